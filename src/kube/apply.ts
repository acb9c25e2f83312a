/**
 * Server-side apply of manifest documents, checked as a whole before the first write: every kind
 * resolved by discovery and every object applied with dryRun=All, so that unknown kinds, invalid
 * objects and RBAC refusals come out naming the document's file:line while nothing has changed.
 * A refused apply of a new object may lack `create` rather than `patch`, which the API server's
 * answer does not say; a SelfSubjectAccessReview finds out which. For an object in a Namespace that
 * the same batch creates, the dry run passes the `patch` authorization and then finds no namespace;
 * whether the object may be created is asked the same way.
 *
 * Ports without `protocol` get the default `TCP` written out, in Services and in the containers of
 * pod templates: API servers before 1.21 refuse a server-side apply without it, protocol being part
 * of the ports' list key (kubernetes-sigs/structured-merge-diff#130, #183; fixed by
 * kubernetes/kubernetes#98576).
 *
 * Then everything is applied in dependency order, the order Helm installs in (pkg/releaseutil
 * kind_sorter.go) with CustomResourceDefinitions moved up after Namespaces; kinds of other API
 * groups (custom resources) come last. `force` defaults to true: CI owns the fields its manifests
 * set, as with `kubectl apply --server-side --force-conflicts`.
 *
 * `changed` compares resourceVersions (and the objects apart from managedFields, which a Secret's
 * stringData rewrites on every apply); for objects with a generation (workloads and the like, whose
 * status controllers keep writing) it compares the generation and the labels and annotations the
 * manifest sets instead, so a controller's status write is not taken for a change. Secret data never
 * leaves this module: `before` and `after` of a Secret carry its keys with the values redacted.
 */
import { isDeepStrictEqual } from 'node:util'
import { messageOf } from '../action/errors.js'
import {
  refOf,
  resourceName,
  UnknownKindError,
  type KubeClient,
  type ObjectRef,
  type ResourceInfo
} from './client.js'
import { describe, KubeError } from './errors.js'
import { podSpecOf } from './images.js'
import type { KubeObject, ManifestDocument } from './manifests.js'

/** What applying one document did. */
export interface AppliedObject {
  /** The object as applied (namespace resolved). */
  readonly ref: ObjectRef
  readonly resource: ResourceInfo
  /** It did not exist before. */
  readonly created: boolean
  /** Applying changed it (always true when created). */
  readonly changed: boolean
  /** The live object before the apply; undefined when created. */
  readonly before?: KubeObject
  /** The object as the API server answered the apply. */
  readonly after: KubeObject
  readonly file: string
  readonly line: number
}

/** Options of {@link applyManifests}. */
export interface ApplyOptions {
  /** Field manager that owns the applied fields, e.g. `rollout-kit`. */
  readonly fieldManager: string
  /** Namespace for every namespaced object, overriding what the documents say. */
  readonly namespace?: string
  /** Namespace for namespaced objects whose document names none (default: the kubeconfig's). */
  readonly defaultNamespace?: string
  /** Take over fields that other managers own (default true). */
  readonly force?: boolean
}

/** A document that could not be applied: names its file:line; `applied` lists what was before it. */
export class ApplyError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    reason: unknown,
    /** Objects applied before this failure, in order (empty when the checks failed). */
    readonly applied: readonly AppliedObject[] = [],
    /** False when the checks before any write failed, so that nothing was applied. */
    readonly writing = false
  ) {
    super(
      `${file}:${line}: ${messageOf(reason)}` +
        (writing
          ? ` (${applied.length} object(s) were applied before this one)`
          : ' (found before applying anything: nothing was changed)'),
      { cause: reason }
    )
    this.name = 'ApplyError'
  }
}

/** A document resolved for applying. */
interface Planned {
  readonly document: ManifestDocument
  readonly object: KubeObject
  readonly ref: ObjectRef
  readonly resource: ResourceInfo
}

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

async function plan(
  client: KubeClient,
  documents: readonly ManifestDocument[],
  options: ApplyOptions
): Promise<Planned[]> {
  const planned: Planned[] = []
  const seen = new Map<string, ManifestDocument>()
  for (const document of documents) {
    const fail = (reason: unknown): ApplyError =>
      new ApplyError(document.file, document.line, reason)
    const { apiVersion, kind, metadata } = document.object
    if (!apiVersion || !kind || !metadata?.name) {
      throw fail('a Kubernetes object needs apiVersion, kind and metadata.name')
    }
    const resource = await client.resource(apiVersion, kind).catch((error: unknown) => {
      throw fail(definedInBatch(error, documents, document.object))
    })
    const namespace = resource.namespaced
      ? (options.namespace ?? metadata.namespace ?? options.defaultNamespace ?? client.namespace)
      : undefined
    const object = withDefaultProtocols({
      ...document.object,
      metadata: { ...metadata, namespace }
    })
    if (!namespace) delete object.metadata.namespace
    const ref = refOf(object)
    const key = `${resourceName(resource)} ${namespace ?? ''} ${ref.name}`
    const earlier = seen.get(key)
    if (earlier) {
      const what = describe({ server: '', verb: 'apply', resource: resourceName(resource), ...ref })
      throw fail(`${what} again: it is also at ${earlier.file}:${earlier.line}`)
    }
    seen.set(key, document)
    planned.push({ document, object, ref, resource })
  }
  return planned
}

/** An unknown kind whose CustomResourceDefinition is in the same batch says so. */
function definedInBatch(
  error: unknown,
  documents: readonly ManifestDocument[],
  object: KubeObject
): unknown {
  const group = object.apiVersion.split('/')[0]
  const crd = documents.find(({ object: o }) => {
    const spec = o.spec as { group?: string; names?: { kind?: string } } | undefined
    return (
      o.kind === 'CustomResourceDefinition' &&
      spec?.group === group &&
      spec.names?.kind === object.kind
    )
  })
  if (!(error instanceof UnknownKindError) || !crd) return error
  return `${error.message}; its CustomResourceDefinition is in this batch (${crd.file}:${crd.line}): apply it before the ${object.kind} objects, in a step of its own`
}

async function dryRun(
  client: KubeClient,
  planned: readonly Planned[],
  options: { fieldManager: string; force: boolean }
): Promise<void> {
  const namespacesInBatch = new Set(
    planned
      .filter((p) => p.resource.group === '' && p.ref.kind === 'Namespace')
      .map((p) => p.ref.name)
  )
  for (const item of planned) {
    const at = (reason: unknown): ApplyError =>
      new ApplyError(item.document.file, item.document.line, reason)
    try {
      await client.apply(item.object, { ...options, dryRun: true })
    } catch (error) {
      if (!(error instanceof KubeError)) throw at(error)
      const namespace = item.ref.namespace
      if (error.status === 404 && namespace && namespacesInBatch.has(namespace)) {
        // the namespace comes with this batch: creating it is the one question left
        await mayCreate(client, item).catch((reason: unknown) => Promise.reject(at(reason)))
        continue
      }
      // a refused apply of a new object may lack `create` rather than `patch`: say which
      const patch =
        error.status === 403
          ? await allowed(client, item, 'patch').catch(() => undefined)
          : undefined
      if (patch?.allowed) {
        await mayCreate(client, item).catch((reason: unknown) => Promise.reject(at(reason)))
      }
      throw at(error)
    }
  }
}

/** Throws, naming verb, resource and namespace, when RBAC does not let us create the object. */
async function mayCreate(client: KubeClient, item: Planned): Promise<void> {
  const review = await allowed(client, item, 'create')
  if (review.allowed) return
  const { ref, resource } = item
  const what = describe({
    server: client.server,
    verb: 'create',
    resource: resourceName(resource),
    name: ref.name,
    namespace: ref.namespace
  })
  throw new Error(
    `Kubernetes API ${client.server}: not allowed to ${what} (grant the verb by RBAC)` +
      (review.reason ? `: ${review.reason}` : '')
  )
}

/** The API server's SelfSubjectAccessReview of one verb on the object. */
async function allowed(
  client: KubeClient,
  { ref, resource }: Planned,
  verb: string
): Promise<{ allowed: boolean; reason?: string }> {
  const review = await client.create<{ status?: { allowed?: boolean; reason?: string } }>({
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SelfSubjectAccessReview',
    spec: {
      resourceAttributes: {
        verb,
        group: resource.group,
        resource: resource.plural,
        namespace: ref.namespace,
        name: ref.name
      }
    }
  })
  return { allowed: review.status?.allowed === true, reason: review.status?.reason || undefined }
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

/** A copy with `protocol: TCP` on every port that names none (see the header). */
function withDefaultProtocols(object: KubeObject): KubeObject {
  const copy = structuredClone(object)
  const fill = (ports: unknown): void => {
    for (const port of Array.isArray(ports) ? ports : []) {
      if (port && typeof port === 'object' && !('protocol' in port)) port.protocol = 'TCP'
    }
  }
  if (copy.apiVersion === 'v1' && copy.kind === 'Service') fill(field(copy.spec, 'ports'))
  const podSpec = podSpecOf(copy)
  for (const list of ['containers', 'initContainers', 'ephemeralContainers']) {
    const containers = field(podSpec, list)
    for (const container of Array.isArray(containers) ? containers : []) {
      fill(field(container, 'ports'))
    }
  }
  return copy
}

function field(value: unknown, name: string): unknown {
  return value && typeof value === 'object' ? (value as Record<string, unknown>)[name] : undefined
}

/** Helm's install order, CustomResourceDefinitions moved up after Namespaces. */
const KIND_ORDER = (
  'PriorityClass Namespace CustomResourceDefinition NetworkPolicy ResourceQuota LimitRange ' +
  'PodSecurityPolicy PodDisruptionBudget ServiceAccount Secret ConfigMap StorageClass ' +
  'PersistentVolume PersistentVolumeClaim ClusterRole ClusterRoleBinding Role RoleBinding ' +
  'Service DaemonSet Pod ReplicationController ReplicaSet Deployment HorizontalPodAutoscaler ' +
  'StatefulSet Job CronJob IngressClass Ingress APIService MutatingWebhookConfiguration ' +
  'ValidatingWebhookConfiguration'
).split(' ')

function inApplyOrder(planned: readonly Planned[]): Planned[] {
  const rank = (p: Planned): number => {
    const group = p.resource.group
    // a kind of Kubernetes' own groups; `Service` of serving.knative.dev is a custom resource
    const builtIn = !group.includes('.') || group.endsWith('.k8s.io')
    const index = builtIn ? KIND_ORDER.indexOf(p.ref.kind) : -1
    return index < 0 ? KIND_ORDER.length : index
  }
  // Array.prototype.sort is stable: documents of one kind keep their order
  return [...planned].sort((a, b) => rank(a) - rank(b))
}
