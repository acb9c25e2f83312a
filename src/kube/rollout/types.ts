/** A workload whose rollout is waited for, how the wait ended, and its options. */
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
  /**
   * Ride out an API server that does not answer from the first request on, not only once it has
   * answered: for a caller that was just answered by it (an action that has just applied).
   */
  readonly patient?: boolean
  /** Called with each distinct progress message of an unfinished rollout. */
  readonly onProgress?: (message: string) => void
}
