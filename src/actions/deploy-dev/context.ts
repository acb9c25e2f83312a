import type { KubeClient, ObjectRef } from '../../kube/index.js'
import type { RegistryClient } from '../../registry/index.js'
import type { DeploymentRecorder } from '../../github/index.js'

/** What both modes work with, set up once by deploy(). */
export interface DeployContext {
  readonly kube: KubeClient
  readonly registry: RegistryClient
  /** The API server URL, for messages. */
  readonly server: string
  /** The namespace objects go to: the input, else the kubeconfig context's, else `default`. */
  readonly namespace: string
  readonly timeoutMs: number
  readonly rollbackOnFailure: boolean
  readonly recorder: DeploymentRecorder
  /** The run's cancellation (SIGINT/SIGTERM from the runner). */
  readonly signal: AbortSignal
}

/** A workload whose rollout was followed, and how it ended. */
export interface WorkloadReport {
  readonly ref: ObjectRef
  readonly revision?: string
  readonly message: string
}

/** What a mode did, for outputs and the job summary. */
export interface DeployResult {
  /** The image now running, `repository@sha256:…`. */
  readonly image?: string
  readonly digest?: string
  /** What ran before; undefined when the workload is new. */
  readonly previousImage?: string
  /** Whether the cluster changed. */
  readonly changed: boolean
  /** The (first) workload's revision after the rollout. */
  readonly revision?: string
  readonly workloads: readonly WorkloadReport[]
  /** Lines for the job summary's table, after the common ones. */
  readonly rows: readonly (readonly [string, string])[]
  /** Sentences below the table. */
  readonly notes: readonly string[]
}

/** The summary's line for `image-pull-secrets`, none when it is empty. */
export function pullSecretsRow(names: readonly string[]): [string, string][] {
  return names.length === 0 ? [] : [['image pull secrets', names.join(', ')]]
}
