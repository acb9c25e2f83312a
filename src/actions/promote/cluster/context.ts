import type { KubeClient, ObjectRef } from '../../../kube/index.js'
import type { CanaryInputs, ClusterInputs } from './inputs.js'

/** What every cluster stage works with, set up once by runClusterStage. */
export interface ClusterContext<I extends ClusterInputs = ClusterInputs> {
  readonly inputs: I
  readonly kube: KubeClient
  /** The API server URL, for messages. */
  readonly server: string
  readonly namespace: string
  /** The stable workload (a Deployment or a StatefulSet). */
  readonly ref: ObjectRef & { namespace: string }
  /** `deployment/web in namespace prod` (or `statefulset/…`), for messages. */
  readonly label: string
  /** The source as `repository@sha256:…`, when given. */
  readonly image?: string
  /** This run's claim holder id. */
  readonly holder: string
  /** The workflow run's page, recorded with the state. */
  readonly runUrl?: string
  /** The run's cancellation (SIGINT/SIGTERM from the runner). */
  readonly signal: AbortSignal
  /** Says a cluster change is about to happen (starts the GitHub Deployment). */
  readonly begin: (description: string) => Promise<void>
  /**
   * Says the stage's own undo put back everything it had changed: it fails leaving the cluster as
   * it found it (output `started` is then `false`, and a workflow has nothing to roll back for it).
   */
  readonly putBack: () => void
}

/** What stage canary works with: its own inputs, and the source's digest, which it requires. */
export interface CanaryContext extends ClusterContext<CanaryInputs> {
  readonly image: string
}

/** What a stage did, for outputs, the Deployment record and the job summary. */
export interface StageResult {
  /** The image the stage put in place: the canary's, or the one stable now runs. */
  readonly image?: string
  /** What stable ran before, when this stage changed it. */
  readonly previousImage?: string
  /** Whether the cluster changed. */
  readonly changed: boolean
  /** The canary's share of traffic that the stage set up, in percent. */
  readonly weight?: number
  /** PromQL matchers of the canary's (and baseline's) pods, after stage canary. */
  readonly selectors?: { readonly canary: string; readonly baseline?: string }
  /** The colour serving after a blue-green stage. */
  readonly activeColor?: string
  /** One sentence on what happened. */
  readonly message: string
  /** Lines for the job summary's table. */
  readonly rows: readonly (readonly [string, string])[]
}
