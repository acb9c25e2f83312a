import * as core from '@actions/core'
import { cancellation } from '../../action/cancel.js'
import { code, type SummaryRow } from '../../action/summary.js'
import { parseReference, registryClient } from '../../registry/index.js'
import { openCluster, runRecorded, stepRecorder } from '../shared/cluster-step.js'
import { applyMode } from './apply-mode.js'
import type { DeployContext, DeployResult } from './context.js'
import type { DeployInputs } from './inputs.js'
import { pollMode } from './poll-mode.js'

/** Runs a checked set of inputs: sets up the clients, runs the mode, writes outputs and summary. */
export async function deploy(inputs: DeployInputs): Promise<void> {
  const cluster = openCluster(inputs)
  const registry = registryClient(credentialPairs(inputs), inputs.insecureRegistries)
  const recorder = stepRecorder(cluster, {
    token: inputs.githubToken,
    environment: inputs.environment,
    environmentUrl: inputs.environmentUrl,
    transient: inputs.transientEnvironment,
    production: false,
    label: 'deploy-dev'
  })
  const context: DeployContext = {
    kube: cluster.kube,
    registry,
    server: cluster.server,
    namespace: cluster.namespace,
    timeoutMs: inputs.timeoutMs,
    rollbackOnFailure: inputs.rollbackOnFailure,
    recorder,
    signal: cancellation()
  }
  try {
    await runRecorded(recorder, {
      failedTitle: `deploy-dev (${inputs.mode}) failed on ${inputs.environment}`,
      where: [
        ['server', code(cluster.server)],
        ['namespace', code(cluster.namespace)]
      ],
      run: () => (inputs.mode === 'apply' ? applyMode(context, inputs) : pollMode(context, inputs)),
      report: (result) => ({
        title: `deploy-dev (${inputs.mode}) on ${inputs.environment}`,
        description: result.image ?? 'applied',
        rows: summaryRows(inputs, context, result),
        notes: result.notes
      }),
      outputs: (result, deploymentId) => {
        if (result) setOutputs(inputs, result)
        core.setOutput('deployment-id', deploymentId)
      }
    })
  } finally {
    await registry.close()
  }
}

/** The credentials go to one registry only: the watched one, or the first image's. */
function credentialPairs(inputs: DeployInputs): [string, DeployInputs['registryCredentials']][] {
  const registry =
    inputs.mode === 'poll'
      ? inputs.repository.registry
      : inputs.images[0] && parseReference(inputs.images[0].image).registry
  return registry ? [[registry, inputs.registryCredentials]] : []
}

function setOutputs(inputs: DeployInputs, result: DeployResult): void {
  core.setOutput('image', result.image ?? '')
  core.setOutput('digest', result.digest ?? '')
  core.setOutput('previous-image', result.previousImage ?? '')
  core.setOutput('changed', String(result.changed))
  core.setOutput('revision', result.revision ?? '')
  core.setOutput('environment-url', inputs.environmentUrl ?? '')
}

function summaryRows(
  inputs: DeployInputs,
  context: DeployContext,
  result: DeployResult
): SummaryRow[] {
  return [
    [
      'environment',
      inputs.environmentUrl
        ? `${inputs.environment} (${inputs.environmentUrl})`
        : inputs.environment
    ],
    ['server', code(context.server)],
    ['namespace', code(context.namespace)],
    ['image', result.image ? code(result.image) : '—'],
    ['previous image', result.previousImage ? code(result.previousImage) : '—'],
    ['changed', String(result.changed)],
    ...result.rows.map(([label, value]) => [label, code(value)] as const),
    ...result.workloads.map(
      (w) =>
        [
          `${w.ref.kind}/${w.ref.name}`,
          `${w.message}${w.revision ? ` (revision ${w.revision})` : ''}`
        ] as const
    )
  ]
}
