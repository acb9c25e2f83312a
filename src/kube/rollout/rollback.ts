/**
 * Puts back the pod template a workload had before this run's apply, the equivalent of
 * `kubectl rollout undo` to the revision that ran before: a Deployment's controller then scales the
 * ReplicaSet of that template up again, a StatefulSet or DaemonSet rolls its pods back. The write is
 * a read-modify-write with the resourceVersion (conflicts re-read and retried), not an apply, so
 * that ownership of the other fields stays with the manifests' field manager.
 *
 * spec.replicas is left alone: a HorizontalPodAutoscaler may own it, and the replica count is not
 * part of a revision (`kubectl rollout undo` leaves it too). Waiting for the rollback's rollout is
 * the caller's job (or-undo.ts, beside it).
 */
import { isDeepStrictEqual } from 'node:util'
import type { AppliedObject } from '../apply/types.js'
import { resourceName, type KubeClient, type ObjectRef } from '../client.js'
import type { KubeObject } from '../manifests.js'
import { revisionOf } from '../workload.js'

/** What {@link rollbackWorkload} did. */
export interface RollbackResult {
  readonly ref: ObjectRef
  /** The workload has the pod template from before the apply again. */
  readonly restored: boolean
  /** For people: what was done, or why nothing was. */
  readonly message: string
}

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet'])

/** The field manager of the rollback's write, visible in managedFields. */
export const ROLLBACK_FIELD_MANAGER = 'rollout-kit-rollback'

/**
 * Restores `spec.template` of a Deployment, StatefulSet or DaemonSet from `applied.before`. A
 * workload that the apply created has no previous revision: it is left in place, restored=false.
 */
export async function rollbackWorkload(
  client: KubeClient,
  applied: AppliedObject,
  options: { fieldManager?: string } = {}
): Promise<RollbackResult> {
  const { ref, resource, before } = applied
  const what = `${resourceName(resource)}/${ref.name}${ref.namespace ? ` in namespace ${ref.namespace}` : ''}`
  if (resource.group !== 'apps' || !WORKLOAD_KINDS.has(ref.kind)) {
    const message = `${what} is not a Deployment, StatefulSet or DaemonSet: nothing to roll back`
    return { ref, restored: false, message }
  }
  const previous = before ? templateOf(before) : undefined
  if (!previous) {
    const message = `${what} was created by this apply: there is no previous revision to go back to, so it is left in place`
    return { ref, restored: false, message }
  }
  let already = false
  await client.update<KubeObject>(
    ref,
    (live) => {
      already = isDeepStrictEqual(templateOf(live), previous)
      return already ? undefined : { ...live, spec: { ...specOf(live), template: previous } }
    },
    { fieldManager: options.fieldManager ?? ROLLBACK_FIELD_MANAGER }
  )
  const revision = revisionOf(before)
  const from = `the pod template from before this apply${revision ? ` (revision ${revision})` : ''}`
  const message = already ? `${what} already has ${from}` : `${what}: put back ${from}`
  return { ref, restored: true, message }
}

function specOf(object: KubeObject): Record<string, unknown> {
  const spec = object.spec
  return spec && typeof spec === 'object' ? (spec as Record<string, unknown>) : {}
}

function templateOf(object: KubeObject): unknown {
  return specOf(object).template
}
