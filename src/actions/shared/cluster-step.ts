/**
 * The frame every action that changes a cluster runs in (deploy-dev, promote's cluster stages):
 * open the kubeconfig's context and a client, record the step as a GitHub Deployment of the run,
 * run it, and finish both ways the same: the Deployment's final status, the outputs, and a job
 * summary that says what happened or, on failure, the whole error and where it happened.
 */
import { messageOf } from '../../action/errors.js'
import { preformatted, writeSummary, type SummaryRow } from '../../action/summary.js'
import {
  DeploymentRecorder,
  runContext,
  type RecorderOptions,
  type RunContext
} from '../../github/index.js'
import { KubeClient, openKubeConfig } from '../../kube/index.js'

/** The cluster a step works on, and the run it reports to. */
export interface Cluster {
  readonly kube: KubeClient
  /** The API server URL, for messages. */
  readonly server: string
  /** The `namespace` input, else the kubeconfig context's, else `default`. */
  readonly namespace: string
  readonly run: RunContext
}

/** The inputs that choose the cluster. */
export interface KubeconfigInputs {
  readonly kubeconfig?: string
  readonly context?: string
  readonly namespace?: string
}

/** Opens the kubeconfig (input, $KUBECONFIG or ~/.kube/config) at its context. */
export function openCluster(inputs: KubeconfigInputs): Cluster {
  const loaded = openKubeConfig({
    content: inputs.kubeconfig,
    env: process.env,
    context: inputs.context,
    namespace: inputs.namespace
  })
  return {
    kube: new KubeClient(loaded.kc),
    server: loaded.server,
    namespace: loaded.namespace,
    run: runContext()
  }
}

/** The step's GitHub Deployment, of the run's repository and commit, linking the run. */
export function stepRecorder(
  cluster: Cluster,
  options: Omit<RecorderOptions, 'apiUrl' | 'repository' | 'ref' | 'logUrl'>
): DeploymentRecorder {
  return new DeploymentRecorder({
    ...options,
    apiUrl: cluster.run.apiUrl,
    repository: cluster.run.repository,
    ref: cluster.run.sha,
    logUrl: cluster.run.runUrl || undefined
  })
}

/** What a finished step says in its Deployment status and job summary. */
export interface StepReport {
  /** The summary's heading. */
  readonly title: string
  /** The Deployment's success description. */
  readonly description: string
  /** The summary's table, before its `time` row. */
  readonly rows: readonly SummaryRow[]
  /** Sentences below the table. */
  readonly notes: readonly string[]
}

/** A step, and how it reports. */
export interface ClusterStep<R> {
  /** The summary's heading when the step fails. */
  readonly failedTitle: string
  /** The summary's rows when the step fails: where it happened. */
  readonly where: readonly SummaryRow[]
  readonly run: () => Promise<R>
  readonly report: (result: R) => StepReport
  /** Sets the outputs: after the step, or (with no result) after its failure. */
  readonly outputs: (result: R | undefined, deploymentId: string) => void
}

/**
 * Runs the step and finishes it: the Deployment's status (success, or failure with the error's
 * first line), the outputs, the job summary. A failure is thrown again once all of that is written.
 */
export async function runRecorded<R>(
  recorder: DeploymentRecorder,
  step: ClusterStep<R>
): Promise<R> {
  const started = Date.now()
  let result: R
  try {
    result = await step.run()
  } catch (error) {
    await recorder.finish('failure', messageOf(error).split('\n')[0])
    step.outputs(undefined, recorder.id ?? '')
    await writeSummary(step.failedTitle, step.where, [
      preformatted(messageOf(error)),
      ...(recorder.note ? [recorder.note] : [])
    ])
    throw error
  }
  const report = step.report(result)
  await recorder.finish('success', report.description)
  step.outputs(result, recorder.id ?? '')
  await writeSummary(
    report.title,
    [...report.rows, ['time', `${((Date.now() - started) / 1000).toFixed(1)} s`]],
    [...report.notes, ...(recorder.note ? [recorder.note] : [])]
  )
  return result
}
