import { randomUUID } from 'node:crypto'
import * as core from '@actions/core'
import { cancellation } from '../../../action/cancel.js'
import { code } from '../../../action/summary.js'
import { onSide, pinnedReference, registryClient, repositoryName } from '../../../registry/index.js'
import { openCluster, runRecorded, stepRecorder } from '../../shared/cluster-step.js'
import type { ClusterInputs } from './inputs.js'
import { blueGreenStage } from './blue-green.js'
import { finalizeStage } from './blue-green-rollback.js'
import { canaryStage } from './canary.js'
import type { ClusterContext, StageResult } from './context.js'
import { productionStage } from './production.js'
import { rollbackStage } from './rollback.js'
import { statefulSetStage } from './statefulset.js'

/** Runs a cluster stage: clients, the source's digest, the stage, outputs, Deployment record, summary. */
export async function runClusterStage(inputs: ClusterInputs): Promise<void> {
  const cluster = openCluster(inputs)
  const { namespace } = cluster
  const image = await resolveImage(inputs)
  const recorder = stepRecorder(cluster, {
    token: inputs.githubToken,
    environment: inputs.environment,
    environmentUrl: inputs.environmentUrl,
    transient: false,
    production: true,
    label: `promote ${inputs.stage}`,
    payload: { stage: inputs.stage, image, weight: inputs.weight, strategy: inputs.strategy }
  })
  // what the run leaves on the cluster, for output `started`: begun once a change is about to be
  // made, put back when the stage's own undo restored everything it had changed
  const progress = { begun: false, putBack: false }
  const context: ClusterContext = {
    inputs,
    kube: cluster.kube,
    server: cluster.server,
    namespace,
    ref: { apiVersion: 'apps/v1', kind: inputs.kind, name: inputs.workload, namespace },
    label: `${inputs.kind.toLowerCase()}/${inputs.workload} in namespace ${namespace}`,
    image,
    holder: `${cluster.run.runId || 'local'}-${randomUUID()}`,
    runUrl: cluster.run.runUrl || undefined,
    begin: (description) => {
      progress.begun = true
      progress.putBack = false
      return recorder.begin(description)
    },
    putBack: () => {
      progress.putBack = true
    },
    signal: cancellation()
  }
  await runRecorded(recorder, {
    failedTitle: `promote ${inputs.stage} failed on ${inputs.environment}`,
    where: [
      ['workload', code(context.label)],
      ['server', code(context.server)]
    ],
    run: async () => {
      const result = await runStage(context)
      core.info(result.message)
      return result
    },
    report: (result) => ({
      title: `promote ${inputs.stage}${inputs.dryRun ? ' (dry run)' : ''} on ${inputs.environment}`,
      description: result.message,
      rows: [
        ['workload', code(context.label)],
        ['server', code(context.server)],
        ['image', result.image ? code(result.image) : '—'],
        ['previous image', result.previousImage ? code(result.previousImage) : '—'],
        ...(result.weight === undefined
          ? []
          : ([['canary weight', `${result.weight} %`]] as const)),
        ...(result.activeColor ? ([['active colour', result.activeColor]] as const) : []),
        ['changed', String(result.changed)],
        ...result.rows
      ],
      notes: [result.message]
    }),
    outputs: (result, deploymentId) => {
      if (result) setOutputs(inputs, result)
      core.setOutput('started', String(leavesChange(inputs, result, progress)))
      core.setOutput('stage', inputs.stage)
      core.setOutput('deployment-id', deploymentId)
    }
  })
}

/** Runs the stage the inputs name, with the context narrowed to its inputs. */
function runStage(context: ClusterContext): Promise<StageResult> {
  const { inputs, image } = context
  if (inputs.kind === 'StatefulSet') return statefulSetStage(context)
  switch (inputs.stage) {
    case 'canary':
      // readClusterInputs requires a source for stage canary, and resolveImage pins it
      if (image === undefined) throw new Error('stage canary has no source image')
      return canaryStage({ ...context, inputs, image })
    case 'production':
      return inputs.strategy === 'blue-green' ? blueGreenStage(context) : productionStage(context)
    case 'rollback':
      return rollbackStage(context)
    case 'finalize':
      return finalizeStage(context)
  }
}

/**
 * Whether the run leaves a change on the cluster that stage rollback would undo: after success, a
 * canary running (of this source, at whatever weight, even when this call changed nothing) or any
 * other change; after a failure, a change begun and not put back by the stage's own undo. A stage
 * refused before it changed anything leaves none.
 */
function leavesChange(
  inputs: ClusterInputs,
  result: StageResult | undefined,
  progress: { readonly begun: boolean; readonly putBack: boolean }
): boolean {
  if (result) return result.changed || (inputs.stage === 'canary' && !inputs.dryRun)
  return progress.begun && !progress.putBack
}

function setOutputs(inputs: ClusterInputs, result: StageResult): void {
  const digest = result.image?.split('@')[1] ?? ''
  core.setOutput('digest', digest)
  core.setOutput('image', result.image ?? '')
  core.setOutput('tags', '')
  core.setOutput('previous-image', result.previousImage ?? '')
  core.setOutput('copied', '{}')
  core.setOutput('changed', String(result.changed))
  core.setOutput('weight', result.weight === undefined ? '' : String(result.weight))
  core.setOutput('active-color', result.activeColor ?? '')
  core.setOutput('canary-selector', result.selectors?.canary ?? '')
  core.setOutput('baseline-selector', result.selectors?.baseline ?? '')
}

/** The source as `repository@sha256:…`; a tag is resolved once at its registry. */
async function resolveImage(inputs: ClusterInputs): Promise<string | undefined> {
  const source = inputs.source
  if (!source) return undefined
  if (source.digest) return pinnedReference(source, source.digest)
  const client = registryClient(
    [[source.registry, inputs.sourceCredentials]],
    inputs.insecureRegistries
  )
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
