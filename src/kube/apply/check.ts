/**
 * The checks of a manifest batch as a whole before its first write: every kind resolved by
 * discovery, namespaces resolved, duplicates refused, and every object applied with dryRun=All, so
 * that unknown kinds, invalid objects and RBAC refusals come out naming the document's file:line
 * while nothing has changed. A refused apply of a new object may lack `create` rather than `patch`,
 * which the API server's answer does not say; a SelfSubjectAccessReview finds out which. For an
 * object in a Namespace that the same batch creates, the dry run passes the `patch` authorization
 * and then finds no namespace; whether the object may be created is asked the same way.
 *
 * Ports without `protocol` get the default `TCP` written out, in Services and in the containers of
 * pod templates: API servers before 1.21 refuse a server-side apply without it, protocol being part
 * of the ports' list key (kubernetes-sigs/structured-merge-diff#130, #183; fixed by
 * kubernetes/kubernetes#98576).
 */
import type { ApplyOptions, Planned } from './types.js'
import { ApplyError } from './error.js'
import { refOf, resourceName, type KubeClient } from '../client.js'
import { UnknownKindError } from '../discovery.js'
import { describe, KubeError } from '../errors.js'
import type { KubeObject, ManifestDocument } from '../manifests.js'
import { podSpecOf } from '../workload.js'

/** Resolves every document (kind, namespace, default port protocols), refusing duplicates. */
export async function plan(
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

/** Applies every object with dryRun=All, saying which verb RBAC lacks when it refuses one. */
export async function dryRun(
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
