/**
 * Rollout watching: `waitForRollout` follows a Deployment, StatefulSet or DaemonSet until its
 * rollout is done as `kubectl rollout status` says it (see status.ts), failed, deleted, or
 * out of time. It settles on the watch event that completes the rollout, so there is no polling
 * interval on the way to success; watch.ts does the watching.
 */
import type { KubeClient } from '../client.js'
import type { RolloutOutcome, WaitOptions, WorkloadRef } from './types.js'
import { RolloutWatch } from './watch.js'

export type { RolloutOutcome, WaitOptions, WorkloadRef } from './types.js'

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
