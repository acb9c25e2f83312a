/**
 * The watch behind `waitForRollout`: GET the workload, then watch it from its resourceVersion, and
 * judge each version with `rolloutState`. It is hand-written on client-node's Watch rather than on
 * its ListWatch informer, because the informer keeps a watch running when stopped while it
 * connects, waits out its reconnect delays with timers that cannot be cancelled (both keep the
 * process alive), and turns a missing workload into an empty list instead of an error.
 *
 * Once the first GET has answered (from the start, for a `patient` wait), an API server that stops
 * answering (refused, reset, silent, 5xx) is ridden out until the wait's own deadline, not for a
 * fixed few tries: the controller keeps rolling out while the API server or the path to it is
 * down, and a wait that gave up after seconds would leave a finished rollout reported as failed. A wait that times out during such an
 * outage says since when the API server has not answered.
 */
import { AppsV1Api, Watch, type KubeConfig, type V1Status } from '@kubernetes/client-node'
import {
  backoffDelay,
  DEFAULT_RETRY,
  withRetry,
  type RetryPolicy,
  type Verdict
} from '../../retry/index.js'
import { classifyKube, kubeError, KubeError, type KubeOperation } from '../errors.js'
import { rolloutState } from './status.js'
import type { RolloutOutcome, WaitOptions, WorkloadRef } from './types.js'
import { revisionOf } from '../workload.js'

const RESOURCES = {
  Deployment: 'deployments',
  StatefulSet: 'statefulsets',
  DaemonSet: 'daemonsets'
}

/** Retries during a wait: no count, only the wait's deadline; delays grow to 5 s. */
const RIDE_OUT: RetryPolicy = {
  attempts: Number.POSITIVE_INFINITY,
  baseDelayMs: 500,
  maxDelayMs: 5000
}

/**
 * What a failure during a wait means: any failure without an HTTP status (refused, reset, timed
 * out, a name that does not resolve) is an outage to ride out, as are the statuses classifyKube
 * retries (429, 5xx); a refusal (403, 404 of the API, 401) is not.
 */
function duringWait(error: unknown): Verdict {
  const verdict = classifyKube(error)
  if (verdict.retry) return verdict
  if (error instanceof KubeError && error.status === undefined) {
    return { retry: true, reason: error.reason ?? 'no answer' }
  }
  return { retry: false }
}

/** How one watch request ended. */
interface WatchEnd {
  /** The resourceVersion expired (410): list again. */
  readonly gone: boolean
  /** The watch failed (not a plain end of the stream). */
  readonly error?: unknown
  /** Whether it brought any event. */
  readonly events: number
}

/** One wait: the state it follows and the resources it must release when it settles. */
export class RolloutWatch {
  private readonly apps: AppsV1Api
  private readonly watch: Watch
  private readonly server: string
  private readonly path: string
  private readonly retry: RetryPolicy
  private resourceVersion = ''
  private lastMessage = ''
  private lastObject: unknown
  /** Since when the API server has not answered, and why, while it does not. */
  private silence?: { readonly since: Date; readonly reason: string }
  private settled = false
  private controller?: AbortController
  private wake?: () => void
  private release: () => void = () => undefined
  private resolve: (outcome: RolloutOutcome) => void = () => undefined
  private reject: (error: unknown) => void = () => undefined

  constructor(
    kc: KubeConfig,
    private readonly ref: WorkloadRef,
    private readonly options: WaitOptions
  ) {
    this.apps = kc.makeApiClient(AppsV1Api)
    this.watch = new Watch(kc)
    this.server = kc.getCurrentCluster()?.server ?? '(no current cluster)'
    this.path = `/apis/apps/v1/namespaces/${ref.namespace}/${RESOURCES[ref.kind]}`
    this.retry = { ...DEFAULT_RETRY, sleep: (ms) => this.sleep(ms) }
  }

  run(): Promise<RolloutOutcome> {
    const result = new Promise<RolloutOutcome>((resolve, reject) => {
      this.resolve = resolve
      this.reject = reject
    })
    const { signal, timeoutMs } = this.options
    const timer = setTimeout(() => this.finish(this.timedOut()), timeoutMs)
    const onAbort = (): void => this.fail(signal?.reason)
    signal?.addEventListener('abort', onAbort, { once: true })
    this.release = () => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
      this.controller?.abort()
      this.wake?.()
    }
    this.follow().catch((error: unknown) => this.fail(error))
    return result
  }

  /** GET, then watch; re-watch when a stream ends, list again when it failed or expired. */
  private async follow(): Promise<void> {
    this.observe(await this.read(true))
    let failures = 0
    while (!this.settled) {
      const end = await this.watchOnce()
      if (this.settled) return
      if (end.events > 0) {
        failures = 0
        this.answered()
      }
      if (!end.gone && end.error === undefined) continue
      if (end.error !== undefined) {
        const error = this.watchError(end.error)
        const verdict = duringWait(error)
        if (!verdict.retry) throw error
        this.silent(verdict.reason)
        await this.sleep(backoffDelay(RIDE_OUT, ++failures, Math.random(), error.retryAfterMs))
        if (this.settled) return
      }
      const object = await this.read(false)
      if (object === undefined) return this.finish(this.deleted())
      this.observe(object)
    }
  }

  /** The workload in JSON form, or undefined when it is gone (an error when `initial`). */
  private async read(initial: boolean): Promise<unknown> {
    const operation = this.operation('get')
    const { name, namespace } = this.ref
    const get = {
      Deployment: () => this.apps.readNamespacedDeployment({ name, namespace }),
      StatefulSet: () => this.apps.readNamespacedStatefulSet({ name, namespace }),
      DaemonSet: () => this.apps.readNamespacedDaemonSet({ name, namespace })
    }[this.ref.kind]
    const attempt = (): Promise<object> =>
      this.settled
        ? Promise.reject(new Error('the wait is over')) // no retry after a timeout or an abort
        : get().catch((error: unknown) => Promise.reject(kubeError(error, operation)))
    try {
      const answer =
        initial && !this.options.patient
          ? await withRetry(this.retry, attempt, classifyKube)
          : await withRetry(
              { ...RIDE_OUT, sleep: this.retry.sleep },
              attempt,
              duringWait,
              (reason) => this.silent(reason)
            )
      this.answered()
      // the typed model differs from the JSON form only in Date fields; watch events are JSON
      const object = JSON.parse(JSON.stringify(answer))
      this.resourceVersion = object.metadata?.resourceVersion ?? ''
      return object
    } catch (error) {
      if (!initial && error instanceof KubeError && error.status === 404) return undefined
      throw error
    }
  }

  private watchOnce(): Promise<WatchEnd> {
    return new Promise((resolve) => {
      let gone = false
      let failure: unknown
      let events = 0
      const onEvent = (type: string, object: unknown): void => {
        if (this.settled) return
        if (type === 'ERROR') {
          const status = object as V1Status
          if (status.code === 410) gone = true
          else
            failure = kubeError(
              { code: status.code, body: status, message: status.message },
              this.operation('watch')
            )
          this.controller?.abort()
          return
        }
        events++
        const version = (object as { metadata?: { resourceVersion?: string } }).metadata
          ?.resourceVersion
        if (version) this.resourceVersion = version
        if (type === 'DELETED') this.finish(this.deleted(object))
        else if (type === 'ADDED' || type === 'MODIFIED') this.observe(object)
      }
      const onDone = (error: unknown): void => {
        this.controller = undefined
        const status = (error as { statusCode?: unknown } | null)?.statusCode
        // client-node ends a stream that was silent for 30 s with a TimeoutError: just re-watch
        const quiet = (error as { name?: unknown } | null)?.name === 'TimeoutError'
        resolve({
          gone: gone || status === 410,
          error: failure ?? (gone || status === 410 || quiet || !error ? undefined : error),
          events
        })
      }
      const query = {
        fieldSelector: `metadata.name=${this.ref.name}`,
        resourceVersion: this.resourceVersion,
        allowWatchBookmarks: true,
        // the server ends quiet watches (with a bookmark) before client-node's 30 s idle timeout
        timeoutSeconds: 25
      }
      this.watch.watch(this.path, query, onEvent, onDone).then(
        (controller) => {
          if (this.settled) controller.abort()
          else if (!controller.signal.aborted) this.controller = controller
        },
        (error: unknown) => resolve({ gone: false, error, events })
      )
    })
  }

  /** Reports the state of a new version of the workload; settles when it is final. */
  private observe(object: unknown): void {
    try {
      this.lastObject = object
      const state = rolloutState({ kind: this.ref.kind, ...(object as object) })
      if (state.done) {
        const revision = revisionOf(object, this.ref.kind)
        this.finish({ ok: true, revision, object, message: state.message })
      } else if (state.failed) {
        this.finish({ ok: false, reason: 'deadline', message: state.message, object })
      } else if (state.message !== this.lastMessage) {
        this.lastMessage = state.message
        this.options.onProgress?.(state.message)
      }
    } catch (error) {
      this.fail(error) // client-node's Watch would swallow what a callback throws
    }
  }

  /** A watch failure as a KubeError: client-node's Watch reports a refused stream as `statusCode`. */
  private watchError(error: unknown): KubeError {
    const status = (error as { statusCode?: unknown } | null)?.statusCode
    const cause =
      typeof status === 'number' ? { code: status, message: (error as Error).message } : error
    return kubeError(cause, this.operation('watch'))
  }

  private operation(verb: string): KubeOperation {
    const { name, namespace, kind } = this.ref
    return { server: this.server, verb, resource: `${RESOURCES[kind]}.apps`, name, namespace }
  }

  /** Notes (once per outage, as progress) that the API server does not answer. */
  private silent(reason: string): void {
    if (this.silence || this.settled) return
    this.silence = { since: new Date(), reason }
    this.options.onProgress?.(
      `the API server ${this.server} does not answer (${reason}); waiting for it until the timeout`
    )
  }

  /** Notes that the API server answers again after an outage. */
  private answered(): void {
    if (!this.silence || this.settled) return
    const seconds = Math.round((Date.now() - this.silence.since.getTime()) / 1000)
    this.silence = undefined
    this.options.onProgress?.(`the API server ${this.server} answers again after ${seconds} s`)
  }

  private describe(): string {
    return `${this.ref.kind.toLowerCase()}/${this.ref.name} in namespace ${this.ref.namespace}`
  }

  private timedOut(): RolloutOutcome {
    const seconds = Math.round(this.options.timeoutMs / 100) / 10
    const silence = this.silence
      ? `; the API server ${this.server} has not answered since ${this.silence.since.toISOString()} (${this.silence.reason})`
      : ''
    return {
      ok: false,
      reason: 'timeout',
      message:
        `${this.describe()} did not finish its rollout within ${seconds} s; last status: ` +
        (this.lastMessage || 'none seen yet') +
        silence,
      object: this.lastObject
    }
  }

  private deleted(object: unknown = this.lastObject): RolloutOutcome {
    const message = `${this.describe()} was deleted while waiting for its rollout`
    return { ok: false, reason: 'deleted', message, object }
  }

  /** A delay that ends early when the wait settles, so no timer outlives it. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer)
        if (this.wake === wake) this.wake = undefined
        resolve()
      }
      const timer = setTimeout(wake, this.settled ? 0 : ms)
      this.wake = wake
    })
  }

  private finish(outcome: RolloutOutcome): void {
    if (this.settled) return
    this.settled = true
    this.release()
    this.resolve(outcome)
  }

  private fail(error: unknown): void {
    if (this.settled) return
    this.settled = true
    this.release()
    this.reject(error)
  }
}
