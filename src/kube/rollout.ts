/**
 * Rollout watching. `rolloutState` says what `kubectl rollout status` says of a Deployment,
 * StatefulSet or DaemonSet: a port of kubectl's pkg/polymorphichelpers/rollout_status.go, which
 * client-node lacks. One deviation: a missing `updateStrategy.type` counts as RollingUpdate, the
 * API server's default (kubectl only ever sees defaulted objects).
 *
 * `waitForRollout` follows the workload by watch events (GET, then watch from its resourceVersion)
 * and settles on the event that completes the rollout, so there is no polling interval on the way
 * to success. It is hand-written on client-node's Watch rather than on its ListWatch informer,
 * because the informer keeps a watch running when stopped while it connects, waits out its
 * reconnect delays with timers that cannot be cancelled (both keep the process alive), and turns a
 * missing workload into an empty list instead of an error.
 */
import {
  AppsV1Api,
  Watch,
  type KubeConfig,
  type V1DaemonSet,
  type V1Deployment,
  type V1StatefulSet,
  type V1Status
} from '@kubernetes/client-node'
import { backoffDelay, DEFAULT_RETRY, withRetry, type RetryPolicy } from '../retry/index.js'
import { classifyKube, kubeError, KubeError, type KubeOperation } from './errors.js'

/** A workload whose rollout can be watched. */
export interface WorkloadRef {
  readonly kind: 'Deployment' | 'StatefulSet' | 'DaemonSet'
  readonly name: string
  readonly namespace: string
}

/** What `kubectl rollout status` would say: finished, failed for good, or still going. */
export interface RolloutState {
  readonly done: boolean
  /** The rollout cannot finish by waiting (a Deployment past its progress deadline). */
  readonly failed: boolean
  readonly message: string
}

/** How a wait ended. `object` is the workload as last seen, in its JSON form. */
export type RolloutOutcome =
  | {
      readonly ok: true
      readonly revision?: string
      readonly object: unknown
      readonly message: string
    }
  | {
      readonly ok: false
      readonly reason: 'deadline' | 'timeout' | 'deleted'
      readonly message: string
      readonly object?: unknown
    }

/** Options of {@link waitForRollout}. */
export interface WaitOptions {
  /** Give up after this long (the outcome is then `timeout`). */
  readonly timeoutMs: number
  /** Aborting rejects the wait with the signal's reason. */
  readonly signal?: AbortSignal
  /** Called with each distinct progress message of an unfinished rollout. */
  readonly onProgress?: (message: string) => void
}

const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision'
const DAEMONSET_GENERATION_ANNOTATION = 'deprecated.daemonset.template.generation'
const ROLLING = 'RollingUpdate'
const ONLY_ROLLING = `rollout status is only available for ${ROLLING} strategy type`

const quote = (name: string | undefined): string => JSON.stringify(name ?? '')
const going = (message: string): RolloutState => ({ done: false, failed: false, message })
const finished = (message: string): RolloutState => ({ done: true, failed: false, message })

/** The rollout status of a workload given as JSON (or as client-node's model), as kubectl says it. */
export function rolloutState(object: unknown): RolloutState {
  const kind =
    typeof object === 'object' && object !== null ? (object as { kind?: unknown }).kind : undefined
  if (kind === 'Deployment') return deploymentState(object as V1Deployment)
  if (kind === 'StatefulSet') return statefulSetState(object as V1StatefulSet)
  if (kind === 'DaemonSet') return daemonSetState(object as V1DaemonSet)
  throw new TypeError(
    `rollout status is implemented for Deployment, StatefulSet and DaemonSet, not ${JSON.stringify(kind)}`
  )
}

function deploymentState(deployment: V1Deployment): RolloutState {
  const name = quote(deployment.metadata?.name)
  const status = deployment.status ?? {}
  if ((deployment.metadata?.generation ?? 0) > (status.observedGeneration ?? 0)) {
    return going('Waiting for deployment spec update to be observed...')
  }
  const progressing = status.conditions?.find((condition) => condition.type === 'Progressing')
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    return {
      done: false,
      failed: true,
      message: `deployment ${name} exceeded its progress deadline`
    }
  }
  const waiting = `Waiting for deployment ${name} rollout to finish:`
  const updated = status.updatedReplicas ?? 0
  const replicas = deployment.spec?.replicas
  if (replicas !== undefined && updated < replicas) {
    return going(`${waiting} ${updated} out of ${replicas} new replicas have been updated...`)
  }
  if ((status.replicas ?? 0) > updated) {
    return going(
      `${waiting} ${(status.replicas ?? 0) - updated} old replicas are pending termination...`
    )
  }
  if ((status.availableReplicas ?? 0) < updated) {
    return going(
      `${waiting} ${status.availableReplicas ?? 0} of ${updated} updated replicas are available...`
    )
  }
  return finished(`deployment ${name} successfully rolled out`)
}

function statefulSetState(set: V1StatefulSet): RolloutState {
  const strategy = set.spec?.updateStrategy
  if ((strategy?.type ?? ROLLING) !== ROLLING) {
    return finished(`statefulset ${quote(set.metadata?.name)}: ${ONLY_ROLLING}`)
  }
  const status = set.status
  const observed = status?.observedGeneration ?? 0
  if (observed === 0 || (set.metadata?.generation ?? 0) > observed) {
    return going('Waiting for statefulset spec update to be observed...')
  }
  const replicas = set.spec?.replicas
  const ready = status?.readyReplicas ?? 0
  if (replicas !== undefined && ready < replicas) {
    return going(`Waiting for ${replicas - ready} pods to be ready...`)
  }
  const updated = status?.updatedReplicas ?? 0
  if (strategy?.rollingUpdate) {
    const partition = strategy.rollingUpdate.partition
    if (replicas !== undefined && partition !== undefined && updated < replicas - partition) {
      return going(
        `Waiting for partitioned roll out to finish: ${updated} out of ${replicas - partition} new pods have been updated...`
      )
    }
    return finished(`partitioned roll out complete: ${updated} new pods have been updated...`)
  }
  if (status?.updateRevision !== status?.currentRevision) {
    return going(
      `waiting for statefulset rolling update to complete ${updated} pods at revision ${status?.updateRevision}...`
    )
  }
  return finished(
    `statefulset rolling update complete ${status?.currentReplicas ?? 0} pods at revision ${status?.currentRevision}...`
  )
}

function daemonSetState(daemon: V1DaemonSet): RolloutState {
  const name = quote(daemon.metadata?.name)
  if ((daemon.spec?.updateStrategy?.type ?? ROLLING) !== ROLLING) {
    return finished(`daemon set ${name}: ${ONLY_ROLLING}`)
  }
  const status = daemon.status
  if ((daemon.metadata?.generation ?? 0) > (status?.observedGeneration ?? 0)) {
    return going('Waiting for daemon set spec update to be observed...')
  }
  const desired = status?.desiredNumberScheduled ?? 0
  const waiting = `Waiting for daemon set ${name} rollout to finish:`
  const updated = status?.updatedNumberScheduled ?? 0
  if (updated < desired) {
    return going(`${waiting} ${updated} out of ${desired} new pods have been updated...`)
  }
  if ((status?.numberAvailable ?? 0) < desired) {
    return going(
      `${waiting} ${status?.numberAvailable ?? 0} of ${desired} updated pods are available...`
    )
  }
  return finished(`daemon set ${name} successfully rolled out`)
}

/**
 * The revision a finished rollout reached: a Deployment's revision annotation, a StatefulSet's
 * update revision, a DaemonSet's template generation (the annotation the API server bumps on each
 * template change, like a Deployment's revision; its status names no revision, and the newest
 * ControllerRevision would take one more list and RBAC on controllerrevisions).
 */
function revisionOf(kind: WorkloadRef['kind'], object: unknown): string | undefined {
  const workload = object as V1Deployment & V1StatefulSet & V1DaemonSet
  const annotations = workload.metadata?.annotations ?? {}
  if (kind === 'Deployment') return annotations[REVISION_ANNOTATION]
  if (kind === 'StatefulSet') return workload.status?.updateRevision
  const generation = workload.metadata?.generation
  return annotations[DAEMONSET_GENERATION_ANNOTATION] ?? generation?.toString()
}

const RESOURCES = {
  Deployment: 'deployments',
  StatefulSet: 'statefulsets',
  DaemonSet: 'daemonsets'
}

/**
 * Waits until the workload's rollout is done (as {@link rolloutState} says), failed (`deadline`),
 * deleted, or `timeoutMs` passed. A workload missing at the start and refusals of the API server
 * throw a KubeError.
 */
export async function waitForRollout(
  kc: KubeConfig,
  ref: WorkloadRef,
  options: WaitOptions
): Promise<RolloutOutcome> {
  if (!Number.isFinite(options.timeoutMs) || options.timeoutMs <= 0) {
    throw new RangeError(
      `waitForRollout: timeoutMs is ${options.timeoutMs}; expected a positive number of milliseconds`
    )
  }
  options.signal?.throwIfAborted()
  return new RolloutWatch(kc, ref, options).run()
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
class RolloutWatch {
  private readonly apps: AppsV1Api
  private readonly watch: Watch
  private readonly server: string
  private readonly path: string
  private readonly retry: RetryPolicy
  private resourceVersion = ''
  private lastMessage = ''
  private lastObject: unknown
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
      if (end.events > 0) failures = 0
      if (!end.gone && end.error === undefined) continue
      if (end.error !== undefined) {
        const error = this.watchError(end.error)
        const transient = error.status === undefined || classifyKube(error).retry
        if (!transient || ++failures >= this.retry.attempts) throw error
        await this.sleep(backoffDelay(this.retry, failures, Math.random(), error.retryAfterMs))
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
      // the typed model differs from the JSON form only in Date fields; watch events are JSON
      const object = JSON.parse(JSON.stringify(await withRetry(this.retry, attempt, classifyKube)))
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
        const revision = revisionOf(this.ref.kind, object)
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

  private describe(): string {
    return `${this.ref.kind.toLowerCase()}/${this.ref.name} in namespace ${this.ref.namespace}`
  }

  private timedOut(): RolloutOutcome {
    const seconds = Math.round(this.options.timeoutMs / 100) / 10
    return {
      ok: false,
      reason: 'timeout',
      message:
        `${this.describe()} did not finish its rollout within ${seconds} s; last status: ` +
        (this.lastMessage || 'none seen yet'),
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
