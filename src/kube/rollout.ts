/**
 * Rollout watching: `waitForRollout` follows a Deployment, StatefulSet or DaemonSet until its
 * rollout is done as `kubectl rollout status` says it (see rollout-status.ts), failed, deleted, or
 * out of time. It settles on the watch event that completes the rollout, so there is no polling
 * interval on the way to success; rollout-watch.ts does the watching.
 */
import type { KubeClient } from './client.js'
import { RolloutWatch } from './rollout-watch.js'

/** A workload whose rollout can be watched. */
export interface WorkloadRef {
  readonly kind: 'Deployment' | 'StatefulSet' | 'DaemonSet'
  readonly name: string
  readonly namespace: string
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

/**
 * Waits until the workload's rollout is done (as `rolloutState` says), failed (`deadline`),
 * deleted, or `timeoutMs` passed. A workload missing at the start and refusals of the API server
 * throw a KubeError.
 */
export async function waitForRollout(
  kube: KubeClient,
  ref: WorkloadRef,
  options: WaitOptions
): Promise<RolloutOutcome> {
  if (!Number.isFinite(options.timeoutMs) || options.timeoutMs <= 0) {
    throw new RangeError(
      `waitForRollout: timeoutMs is ${options.timeoutMs}; expected a positive number of milliseconds`
    )
  }
  options.signal?.throwIfAborted()
  return new RolloutWatch(kube.kc, ref, options).run()
}
