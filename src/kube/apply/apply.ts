/**
 * Server-side apply of manifest documents, checked as a whole before the first write
 * (check.ts: kinds, namespaces, dry run, RBAC) and then applied in dependency order
 * (order.ts). `force` defaults to true: CI owns the fields its manifests set, as with
 * `kubectl apply --server-side --force-conflicts`.
 *
 * `changed` compares resourceVersions (and the objects apart from managedFields, which a Secret's
 * stringData rewrites on every apply); for objects with a generation (workloads and the like, whose
 * status controllers keep writing) it compares the generation and the labels and annotations the
 * manifest sets instead, so a controller's status write is not taken for a change. Secret data never
 * leaves this module: `before` and `after` of a Secret carry its keys with the values redacted.
 */
import { isDeepStrictEqual } from 'node:util'
import { dryRun, plan } from './check.js'
import { ApplyError } from './error.js'
import { inApplyOrder } from './order.js'
import type { KubeClient } from '../client.js'
import type { AppliedObject, ApplyOptions, Planned } from './types.js'
import type { KubeObject, ManifestDocument } from '../manifests.js'

export { ApplyError } from './error.js'
export type { AppliedObject, ApplyOptions } from './types.js'

/**
 * Applies the documents server-side after checking all of them (kinds, dry run, RBAC), in
 * dependency order; returns what happened to each, in the order applied.
 */
export async function applyManifests(
  client: KubeClient,
  documents: readonly ManifestDocument[],
  options: ApplyOptions
): Promise<AppliedObject[]> {
  const planned = inApplyOrder(await plan(client, documents, options))
  const force = options.force ?? true
  await dryRun(client, planned, { fieldManager: options.fieldManager, force })
  const applied: AppliedObject[] = []
  for (const item of planned) {
    try {
      applied.push(await applyOne(client, item, { fieldManager: options.fieldManager, force }))
    } catch (error) {
      throw new ApplyError(item.document.file, item.document.line, error, [...applied], true)
    }
  }
  return applied
}

async function applyOne(
  client: KubeClient,
  item: Planned,
  options: { fieldManager: string; force: boolean }
): Promise<AppliedObject> {
  const before = await client.get<KubeObject>(item.ref)
  const after = await client.apply<KubeObject>(item.object, options)
  return {
    ref: item.ref,
    resource: item.resource,
    created: before === undefined,
    changed: before === undefined || changedBy(before, after, item.object),
    ...(before ? { before: redacted(before) } : {}),
    after: redacted(after),
    file: item.document.file,
    line: item.document.line
  }
}

type Metadata = {
  resourceVersion?: string
  generation?: number
  labels?: Record<string, string>
  annotations?: Record<string, string>
}

function changedBy(before: KubeObject, after: KubeObject, applied: KubeObject): boolean {
  const [was, is, wanted] = [before, after, applied].map((o) => o.metadata as Metadata)
  if (was.generation === undefined) {
    // a write that changed only managedFields (a Secret's stringData does that) changed nothing
    return (
      was.resourceVersion !== is.resourceVersion && !isDeepStrictEqual(bare(before), bare(after))
    )
  }
  const differs = (field: 'labels' | 'annotations'): boolean =>
    Object.keys(wanted[field] ?? {}).some((key) => was[field]?.[key] !== is[field]?.[key])
  return was.generation !== is.generation || differs('labels') || differs('annotations')
}

/** The object without the metadata every write changes. */
function bare(object: KubeObject): KubeObject {
  const metadata: Record<string, unknown> = { ...object.metadata }
  delete metadata.resourceVersion
  delete metadata.managedFields
  return { ...object, metadata: metadata as KubeObject['metadata'] }
}

/** A Secret with its values replaced: keys stay visible, values never leave. */
function redacted(object: KubeObject): KubeObject {
  if (object.apiVersion !== 'v1' || object.kind !== 'Secret') return object
  const hide = (values: unknown): Record<string, string> | undefined =>
    values && typeof values === 'object'
      ? Object.fromEntries(Object.keys(values).map((key) => [key, '(redacted)']))
      : undefined
  const annotations = { ...(object.metadata as Metadata).annotations }
  // kubectl's client-side apply keeps the whole Secret, data included, in this annotation
  delete annotations['kubectl.kubernetes.io/last-applied-configuration']
  const copy: KubeObject = { ...object, metadata: { ...object.metadata, annotations } }
  for (const field of ['data', 'stringData']) {
    if (field in object) copy[field] = hide(object[field])
  }
  return copy
}
