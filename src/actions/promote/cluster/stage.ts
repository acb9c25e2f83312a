import { randomUUID } from 'node:crypto'
import * as core from '@actions/core'
import { messageOf } from '../../../action/errors.js'
import { code, preformatted, writeSummary } from '../../../action/summary.js'
import { DeploymentRecorder, runContext } from '../../../github/index.js'
import { KubeClient, openKubeConfig } from '../../../kube/index.js'
import { onSide, pinnedReference, RegistryClient, repositoryName } from '../../../registry/index.js'
import type { ClusterInputs } from '../cluster-inputs.js'
import { blueGreenStage } from './blue-green.js'
import { finalizeStage } from './blue-green-rollback.js'
import { canaryStage } from './canary.js'
import type { ClusterContext, StageResult } from './context.js'
import { productionStage } from './production.js'
import { rollbackStage } from './rollback.js'

/** Runs a cluster stage: clients, the source's digest, the stage, outputs, Deployment record, summary. */
export async function runClusterStage(inputs: ClusterInputs): Promise<void> {
  const started = Date.now()
  const loaded = openKubeConfig({
    content: inputs.kubeconfig,
    env: process.env,
    context: inputs.context,
    namespace: inputs.namespace
  })
  const namespace = loaded.namespace
  const image = await resolveImage(inputs)
  const github = runContext()
  const recorder = new DeploymentRecorder({
    token: inputs.githubToken,
    apiUrl: github.apiUrl,
    repository: github.repository,
    ref: github.sha,
    environment: inputs.environment,
    environmentUrl: inputs.environmentUrl,
    transient: false,
    production: true,
    logUrl: github.runUrl || undefined,
    label: `promote ${inputs.stage}`,
    payload: { stage: inputs.stage, image, weight: inputs.weight, strategy: inputs.strategy }
  })
  const context: ClusterContext = {
    inputs,
    kube: new KubeClient(loaded.kc),
    server: loaded.server,
    namespace,
    ref: { apiVersion: 'apps/v1', kind: 'Deployment', name: inputs.workload, namespace },
    label: `deployment/${inputs.workload} in namespace ${namespace}`,
    image,
    holder: `${github.runId || 'local'}-${randomUUID()}`,
    runUrl: github.runUrl || undefined,
    begin: (description) => recorder.begin(description)
  }
  try {
    const result = await stageOf(inputs)(context)
    core.info(result.message)
    await recorder.finish('success', result.message)
    setOutputs(inputs, result, recorder)
    await writeSummary(
      `promote ${inputs.stage}${inputs.dryRun ? ' (dry run)' : ''} on ${inputs.environment}`,
      [
        ['workload', code(context.label)],
        ['server', code(context.server)],
        ['image', result.image ? code(result.image) : '—'],
        ['previous image', result.previousImage ? code(result.previousImage) : '—'],
        ...(result.weight === undefined
          ? []
          : ([['canary weight', `${result.weight} %`]] as const)),
        ...(result.activeColor ? ([['active colour', result.activeColor]] as const) : []),
        ['changed', String(result.changed)],
        ...result.rows,
        ['time', `${((Date.now() - started) / 1000).toFixed(1)} s`]
      ],
      [result.message, ...(recorder.note ? [recorder.note] : [])]
    )
  } catch (error) {
    await recorder.finish('failure', messageOf(error).split('\n')[0])
    core.setOutput('stage', inputs.stage)
    core.setOutput('deployment-id', recorder.id ?? '')
    await writeSummary(
      `promote ${inputs.stage} failed on ${inputs.environment}`,
      [
        ['workload', code(context.label)],
        ['server', code(context.server)]
      ],
      [preformatted(messageOf(error)), ...(recorder.note ? [recorder.note] : [])]
    )
    throw error
  }
}

function stageOf(inputs: ClusterInputs): (context: ClusterContext) => Promise<StageResult> {
  switch (inputs.stage) {
    case 'canary':
      return canaryStage
    case 'production':
      return inputs.strategy === 'blue-green' ? blueGreenStage : productionStage
    case 'rollback':
      return rollbackStage
    case 'finalize':
      return finalizeStage
  }
}

function setOutputs(
  inputs: ClusterInputs,
  result: StageResult,
  recorder: DeploymentRecorder
): void {
  const digest = result.image?.split('@')[1] ?? ''
  core.setOutput('digest', digest)
  core.setOutput('image', result.image ?? '')
  core.setOutput('tags', '')
  core.setOutput('stage', inputs.stage)
  core.setOutput('previous-image', result.previousImage ?? '')
  core.setOutput('copied', '{}')
  core.setOutput('changed', String(result.changed))
  core.setOutput('weight', result.weight === undefined ? '' : String(result.weight))
  core.setOutput('active-color', result.activeColor ?? '')
  core.setOutput('deployment-id', recorder.id ?? '')
}

/** The source as `repository@sha256:…`; a tag is resolved once at its registry. */
async function resolveImage(inputs: ClusterInputs): Promise<string | undefined> {
  const source = inputs.source
  if (!source) return undefined
  if (source.digest) return pinnedReference(source, source.digest)
  const client = new RegistryClient({
    credentials: inputs.sourceCredentials ? { [source.registry]: inputs.sourceCredentials } : {},
    insecure: [...inputs.insecureRegistries]
  })
  try {
    const digest = await client.resolveDigest(source)
    core.info(`${repositoryName(source)}:${source.tag} is ${digest}`)
    return pinnedReference(source, digest)
  } catch (error) {
    throw onSide(error, 'source', source.registry)
  } finally {
    await client.close()
  }
}
