import * as core from '@actions/core'
import {
  type AppliedObject,
  diagnoseWorkload,
  type Diagnosis,
  type RollbackResult,
  rollbackWorkload,
  type RolloutOutcome,
  waitForRollout,
  type WorkloadRef
} from '../../kube/index.js'
import { workloadLabel, type DeployContext, type WorkloadReport } from './context.js'

const ROLLED_OUT_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet'])

/** The workloads among applied objects whose rollout can be followed (apps/v1 kinds). */
export function workloadsOf(applied: readonly AppliedObject[]): AppliedObject[] {
  return applied.filter(
    (object) => object.ref.apiVersion === 'apps/v1' && ROLLED_OUT_KINDS.has(object.ref.kind)
  )
}

function workloadRef(object: AppliedObject, namespace: string): WorkloadRef {
  return {
    kind: object.ref.kind as WorkloadRef['kind'],
    name: object.ref.name,
    namespace: object.ref.namespace ?? namespace
  }
}

/**
 * Waits for every changed workload's rollout (watch-driven, all at once). When one fails or times
 * out: says why per pod, puts back the pod templates that ran before in every changed workload (all
 * or nothing) when `rollbackOnFailure`, waits for that, and throws an error saying all of it.
 */
export async function rollOut(
  context: DeployContext,
  applied: readonly AppliedObject[]
): Promise<WorkloadReport[]> {
  const changed = workloadsOf(applied).filter((object) => object.changed)
  if (changed.length === 0) return []
  const outcomes = await core.group('Wait for the rollout', () =>
    Promise.all(
      changed.map((object) =>
        waitForRollout(context.kc, workloadRef(object, context.namespace), {
          timeoutMs: context.timeoutMs,
          onProgress: (message) => core.info(message)
        })
      )
    )
  )
  const failed = changed.filter((_, i) => !outcomes[i].ok)
  if (failed.length === 0) {
    return changed.map((object, i) => {
      const outcome = outcomes[i] as Extract<RolloutOutcome, { ok: true }>
      core.info(`${workloadLabel(object.ref)}: ${outcome.message}`)
      return { ref: object.ref, revision: outcome.revision, message: outcome.message }
    })
  }
  const reasons = await core.group('Why the rollout failed', () =>
    Promise.all(failed.map((object) => explain(context, object, outcomes[changed.indexOf(object)])))
  )
  const failure = reasons.join('\n')
  if (!context.rollbackOnFailure) {
    throw new Error(`${failure}\nNot rolled back (rollback-on-failure is false).`)
  }
  const rollback = await core.group('Roll back', () => rollBack(context, changed))
  throw new Error(`${failure}\n${rollback}`)
}

async function explain(
  context: DeployContext,
  object: AppliedObject,
  outcome: RolloutOutcome
): Promise<string> {
  const label = `${workloadLabel(object.ref)} in namespace ${object.ref.namespace ?? context.namespace}`
  const why = outcome.ok ? '' : outcome.message
  let diagnosis: Diagnosis | undefined
  try {
    diagnosis = await diagnoseWorkload(context.kc, workloadRef(object, context.namespace))
  } catch (error) {
    core.warning(`Could not read the pods of ${label}: ${String(error)}`)
  }
  for (const event of diagnosis?.events ?? []) {
    core.info(`event ${event.type} ${event.reason} on ${event.object}: ${event.message}`)
  }
  const line = `${label} did not roll out: ${why}`
  const reason = diagnosis?.summary ? `${line}\n${diagnosis.summary}` : line
  core.error(reason)
  return reason
}

async function rollBack(
  context: DeployContext,
  changed: readonly AppliedObject[]
): Promise<string> {
  const results: RollbackResult[] = []
  for (const object of changed) results.push(await rollbackWorkload(context.kube, object))
  for (const result of results) core.info(`${workloadLabel(result.ref)}: ${result.message}`)
  const restored = changed.filter((_, i) => results[i].restored)
  const waits = await Promise.all(
    restored.map((object) =>
      waitForRollout(context.kc, workloadRef(object, context.namespace), {
        timeoutMs: context.timeoutMs,
        onProgress: (message) => core.info(message)
      })
    )
  )
  const unhealthy = restored.filter((_, i) => !waits[i].ok)
  const notRestored = results.filter((result) => !result.restored)
  const parts: string[] = []
  if (restored.length > 0) {
    parts.push(
      unhealthy.length === 0
        ? `Rolled back ${restored.map((o) => workloadLabel(o.ref)).join(', ')} to the previous revision, which is available again.`
        : `Rolled back ${restored.map((o) => workloadLabel(o.ref)).join(', ')}, but ${unhealthy.map((o) => workloadLabel(o.ref)).join(', ')} did not become available again.`
    )
  }
  for (const result of notRestored) parts.push(`${workloadLabel(result.ref)}: ${result.message}`)
  return parts.join(' ')
}
