import * as core from '@actions/core'
import { messageOf } from '../../action/errors.js'
import { code, preformatted, writeSummary, type SummaryRow } from '../../action/summary.js'
import { KubeClient, openKubeConfig } from '../../kube/index.js'
import { parseReference, RegistryClient } from '../../registry/index.js'
import { applyMode } from './apply-mode.js'
import type { DeployContext, DeployResult } from './context.js'
import type { DeployInputs } from './inputs.js'
import { pollMode } from './poll-mode.js'
import { deployRecorder, type DeploymentRecorder } from './record.js'

/** Runs a checked set of inputs: sets up the clients, runs the mode, writes outputs and summary. */
export async function deploy(inputs: DeployInputs): Promise<void> {
  const started = Date.now()
  const loaded = openKubeConfig({
    content: inputs.kubeconfig,
    env: process.env,
    context: inputs.context,
    namespace: inputs.namespace
  })
  const namespace = loaded.namespace
  const registry = new RegistryClient({
    credentials: credentialMap(inputs),
    insecure: [...inputs.insecureRegistries]
  })
  const recorder = deployRecorder(inputs)
  const context: DeployContext = {
    kube: new KubeClient(loaded.kc),
    registry,
    server: loaded.server,
    namespace,
    timeoutMs: inputs.timeoutMs,
    rollbackOnFailure: inputs.rollbackOnFailure,
    recorder
  }
  try {
    const result =
      inputs.mode === 'apply' ? await applyMode(context, inputs) : await pollMode(context, inputs)
    await recorder.finish('success', result.image ?? 'applied')
    setOutputs(inputs, result)
    core.setOutput('deployment-id', recorder.id ?? '')
    await summarise(inputs, context, result, Date.now() - started, recorder)
  } catch (error) {
    await recorder.finish('failure', messageOf(error).split('\n')[0])
    core.setOutput('deployment-id', recorder.id ?? '')
    await writeSummary(
      `deploy-dev (${inputs.mode}) failed on ${inputs.environment}`,
      [
        ['server', code(loaded.server)],
        ['namespace', code(namespace)]
      ],
      [preformatted(messageOf(error)), ...(recorder.note ? [recorder.note] : [])]
    )
    throw error
  } finally {
    await registry.close()
  }
}

/** The credentials go to one registry only: the watched one, or the first image's. */
function credentialMap(
  inputs: DeployInputs
): Record<string, { username: string; password: string }> {
  if (!inputs.registryCredentials) return {}
  const registry =
    inputs.mode === 'poll'
      ? inputs.repository.registry
      : inputs.images[0] && parseReference(inputs.images[0].image).registry
  return registry ? { [registry]: inputs.registryCredentials } : {}
}

function setOutputs(inputs: DeployInputs, result: DeployResult): void {
  core.setOutput('image', result.image ?? '')
  core.setOutput('digest', result.digest ?? '')
  core.setOutput('previous-image', result.previousImage ?? '')
  core.setOutput('changed', String(result.changed))
  core.setOutput('revision', result.revision ?? '')
  core.setOutput('environment-url', inputs.environmentUrl ?? '')
}

async function summarise(
  inputs: DeployInputs,
  context: DeployContext,
  result: DeployResult,
  elapsedMs: number,
  recorder: DeploymentRecorder
): Promise<void> {
  const rows: SummaryRow[] = [
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
    ),
    ['time', `${(elapsedMs / 1000).toFixed(1)} s`]
  ]
  await writeSummary(`deploy-dev (${inputs.mode}) on ${inputs.environment}`, rows, [
    ...result.notes,
    ...(recorder.note ? [recorder.note] : [])
  ])
}
