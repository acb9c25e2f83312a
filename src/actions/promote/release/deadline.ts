/**
 * The `timeout` of stages release and verify: past it, every registry request in flight is aborted
 * (the client's signal), blob uploads cancel their sessions as they unwind, no tag is written, and
 * the stage fails with one error naming the stage, the timeout and what was in progress. A cancelled
 * run (SIGINT/SIGTERM from the runner, src/action/cancel.ts) stops the stage the same way at once.
 */
import { cancellation, CancelledError } from '../../../action/cancel.js'
import type { InFlightRequest, RegistryClient } from '../../../registry/index.js'

/** A stage that ran past its `timeout`. */
export class StageTimeoutError extends Error {
  constructor(
    readonly stage: string,
    readonly timeoutMs: number,
    readonly inFlight: readonly InFlightRequest[],
    /** What the stage left behind, e.g. `no tag was written`. */
    readonly left?: string
  ) {
    super(timeoutMessage(stage, timeoutMs, inFlight) + (left ? `; ${left}` : ''))
    this.name = 'StageTimeoutError'
  }
}

/** A stage's deadline: its signal goes to the registry client, `run` bounds the stage's work. */
export interface StageDeadline {
  readonly signal: AbortSignal
  /**
   * Runs `work` with `client` watched; past the deadline its failure becomes the timeout's, with
   * `left(failure)` saying what the stage left behind.
   */
  run<T>(
    client: RegistryClient,
    work: () => Promise<T>,
    left?: (failure: unknown) => string
  ): Promise<T>
}

/** Starts the clock of `stage` at `timeoutMs`; a cancelled run stops it too. */
export function stageDeadline(stage: string, timeoutMs: number): StageDeadline {
  const controller = new AbortController()
  const cancelled = cancellation()
  return {
    signal: controller.signal,
    async run(client, work, left) {
      const timer = setTimeout(() => {
        controller.abort(new StageTimeoutError(stage, timeoutMs, client.inFlight()))
      }, timeoutMs)
      const onCancel = (): void => controller.abort(cancelled.reason)
      if (cancelled.aborted) onCancel()
      else cancelled.addEventListener('abort', onCancel, { once: true })
      try {
        return await work()
      } catch (error) {
        // What unwinds after the abort (aborted requests, their retries) is not the news.
        const reason: unknown = controller.signal.reason
        if (reason instanceof CancelledError) {
          const what = left?.(error)
          throw new Error(
            `${reason.message} during stage ${stage}; every registry request was stopped${what ? `; ${what}` : ''}`
          )
        }
        if (!(reason instanceof StageTimeoutError)) throw error
        throw new StageTimeoutError(stage, timeoutMs, reason.inFlight, left?.(error))
      } finally {
        clearTimeout(timer)
        cancelled.removeEventListener('abort', onCancel)
      }
    }
  }
}

function timeoutMessage(
  stage: string,
  timeoutMs: number,
  inFlight: readonly InFlightRequest[]
): string {
  const what =
    inFlight.length === 0
      ? 'no registry request was in flight'
      : `in progress: ${[...inFlight]
          .sort((a, b) => b.forMs - a.forMs)
          .map((f) => `${f.operation} at ${f.server} (for ${(f.forMs / 1000).toFixed(1)}s)`)
          .join('; ')}`
  return `stage ${stage} did not finish within its timeout of ${formatDuration(timeoutMs)} (input 'timeout'); every registry request was stopped; ${what}`
}

/** `5s`, `1.5s`, `10m`, `1h30m`: how the input is written. */
export function formatDuration(ms: number): string {
  if (ms < 60_000 || ms % 60_000 !== 0) return `${Number((ms / 1000).toFixed(3))}s`
  const hours = Math.floor(ms / 3_600_000)
  const minutes = (ms % 3_600_000) / 60_000
  return `${hours > 0 ? `${hours}h` : ''}${minutes > 0 || hours === 0 ? `${minutes}m` : ''}`
}
