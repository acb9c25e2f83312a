/**
 * deploy-dev's rollout: the changed workloads among what was applied (or polled) are followed
 * until they roll out; a failure is diagnosed and, with `rollback-on-failure`, every changed
 * workload gets its pod template from before back (all or nothing), as kube's rollOutOrUndo does
 * it for every action.
 */
import * as core from '@actions/core'
import {
  type AppliedObject,
  type RollbackResult,
  rollbackWorkload,
  rollOutOrUndo,
  waitAll,
  workloadLabel,
  type WorkloadRef
} from '../../kube/index.js'
import type { DeployContext, WorkloadReport } from './context.js'

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
  const done = await rollOutOrUndo(context.kube, {
    workloads: changed.map((object) => workloadRef(object, context.namespace)),
    timeoutMs: context.timeoutMs,
    groups: true,
    undo: context.rollbackOnFailure
      ? ({ cancelled }) => rollBack(context, changed, cancelled)
      : undefined,
    notUndone: 'Not rolled back (rollback-on-failure is false).',
    signal: context.signal
  })
  return done.map((d, i) => ({ ref: changed[i].ref, revision: d.revision, message: d.message }))
}

async function rollBack(
  context: DeployContext,
  changed: readonly AppliedObject[],
  cancelled: boolean
): Promise<string> {
  const results: RollbackResult[] = []
  for (const object of changed) results.push(await rollbackWorkload(context.kube, object))
  for (const result of results) core.info(`${workloadLabel(result.ref)}: ${result.message}`)
  const restored = changed.filter((_, i) => results[i].restored)
  if (cancelled) {
    // the runner ends the process in seconds: the rollback's rollout goes on without the run
    return [
      ...restored.map(
        (o) =>
          `Put back the previous revision of ${workloadLabel(o.ref)}; its rollout goes on in the cluster (not waited for: the run was cancelled).`
      ),
      ...results.filter((r) => !r.restored).map((r) => `${workloadLabel(r.ref)}: ${r.message}`)
    ].join(' ')
  }
  const waits = await waitAll(
    context.kube,
    restored.map((object) => workloadRef(object, context.namespace)),
    context.timeoutMs
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
