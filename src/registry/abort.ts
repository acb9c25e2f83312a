/**
 * Stopping registry work from outside: a stage's timeout aborts every request in flight through an
 * AbortSignal, and no retry waits out its backoff once the signal has fired.
 */
import type { RetryPolicy } from '../retry/index.js'

/** The error of a request not sent (or cut off) because `signal` fired: code ABORT_ERR. */
export function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason
  const message = reason instanceof Error ? reason.message : 'The operation was aborted'
  return Object.assign(new Error(message, { cause: reason }), {
    name: 'AbortError',
    code: 'ABORT_ERR'
  })
}

/** `policy` whose waits between attempts end (rejecting) as soon as `signal` fires. */
export function abortableRetry(policy: RetryPolicy, signal: AbortSignal | undefined): RetryPolicy {
  if (signal === undefined) return policy
  // The default wait is a timer cleared on abort, so that it does not keep the process alive.
  const sleep =
    policy.sleep ??
    ((ms: number) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms)
        signal.addEventListener('abort', () => clearTimeout(timer), { once: true })
      }))
  return {
    ...policy,
    sleep: (ms) =>
      new Promise<void>((resolve, reject) => {
        if (signal.aborted) {
          reject(abortError(signal))
          return
        }
        const stop = (): void => reject(abortError(signal))
        signal.addEventListener('abort', stop, { once: true })
        sleep(ms).then(
          () => {
            signal.removeEventListener('abort', stop)
            resolve()
          },
          (error: unknown) => {
            signal.removeEventListener('abort', stop)
            reject(error instanceof Error ? error : new Error(String(error)))
          }
        )
      })
  }
}
