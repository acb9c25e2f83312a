/**
 * The Services that promote routes traffic with: the one in front of a workload's pods, variant
 * Services beside it (canary, baseline, green) that select only one variant's pods, and selector
 * switches for blue-green. Selectors are Service-style equality maps, so matching them is a few
 * lines here rather than a label-selector library (Services have no set-based expressions).
 *
 * Variant Services are written by server-side apply and carry `rollout-kit/variant-of`, so that a
 * Service of the same name that rollout-kit did not create is refused instead of taken over.
 */
import { isDeepStrictEqual } from 'node:util'
import type { KubeClient, ObjectRef } from '../client.js'
import type { KubeObject } from '../manifests.js'
import { VARIANT_OF_ANNOTATION } from '../variants.js'

/** Cluster state that keeps promote from routing traffic: names the object, namespace and what is expected. */
export class TrafficError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'TrafficError'
  }
}

/** Annotation on a variant Service: the name of the stable Service it stands beside. */
export { VARIANT_OF_ANNOTATION }

type Labels = Record<string, string>

interface ServicePort {
  name?: string
  port: number
  targetPort?: number | string
  protocol?: string
  [k: string]: unknown
}

interface ServiceSpec {
  selector?: Labels
  ports?: ServicePort[]
  type?: string
  [k: string]: unknown
}

const serviceRef = (namespace: string, name: string): ObjectRef => ({
  apiVersion: 'v1',
  kind: 'Service',
  name,
  namespace
})

const specOf = (service: KubeObject): ServiceSpec => (service.spec ?? {}) as ServiceSpec

/** `app=web, tier=front`, for messages. */
export function formatLabels(labels: Labels | undefined): string {
  const entries = Object.entries(labels ?? {})
  return entries.length === 0 ? '(none)' : entries.map(([k, v]) => `${k}=${v}`).join(', ')
}

/** Does a Service-style equality selector select these labels? An empty selector selects nothing. */
export function selectorMatches(selector: Labels | undefined, labels: Labels): boolean {
  const entries = Object.entries(selector ?? {})
  return entries.length > 0 && entries.every(([key, value]) => labels[key] === value)
}

/**
 * The Service in front of a workload's pods. With `name`: that Service, which must exist, have a
 * selector and select `podLabels`. Without: the one Service of the namespace whose selector selects
 * `podLabels`; none or several fail, naming what was found.
 */
export async function findService(
  client: KubeClient,
  opts: { namespace: string; podLabels: Labels; name?: string; workload: string }
): Promise<KubeObject> {
  const { namespace, podLabels, name, workload } = opts
  if (name !== undefined) {
    const service = await client.get(serviceRef(namespace, name))
    if (!service) {
      throw new TrafficError(`Service ${name} does not exist in namespace ${namespace}`)
    }
    const selector = specOf(service).selector
    if (Object.keys(selector ?? {}).length === 0) {
      throw new TrafficError(
        `Service ${name} in namespace ${namespace} has no selector: promote routes traffic by selecting pods`
      )
    }
    if (!selectorMatches(selector, podLabels)) {
      throw new TrafficError(
        `Service ${name} in namespace ${namespace} selects ${formatLabels(selector)}, which does not ` +
          `select the pods of ${workload} (labels ${formatLabels(podLabels)})`
      )
    }
    return service
  }
  const services = await client.list<KubeObject>('v1', 'Service', namespace)
  const matching = services.filter((s) => selectorMatches(specOf(s).selector, podLabels))
  if (matching.length === 1) return matching[0] as KubeObject
  if (matching.length === 0) {
    throw new TrafficError(
      `No Service in namespace ${namespace} selects the pods of ${workload} ` +
        `(labels ${formatLabels(podLabels)}): create one, or name it in the 'service' input`
    )
  }
  const names = matching.map((s) => s.metadata.name).join(', ')
  throw new TrafficError(
    `Several Services in namespace ${namespace} select the pods of ${workload}: ${names}; ` +
      `name the one to route with in the 'service' input`
  )
}

/**
 * Creates or updates (server-side apply as `fieldManager`) a ClusterIP Service `name` beside
 * `stable`: its ports, the given selector and labels, annotated `rollout-kit/variant-of`. A Service
 * of that name that is not a variant of `stable` is refused. Returns whether anything changed.
 */
export async function ensureVariantService(
  client: KubeClient,
  opts: {
    namespace: string
    stable: KubeObject
    name: string
    selector: Labels
    labels?: Labels
    fieldManager: string
  }
): Promise<boolean> {
  const { namespace, stable, name, selector, labels, fieldManager } = opts
  const stableName = stable.metadata.name
  if (Object.keys(selector).length === 0) {
    throw new RangeError(`the selector of variant Service ${name} must not be empty`)
  }
  const live = await client.get(serviceRef(namespace, name))
  const owner = (live?.metadata.annotations as Labels | undefined)?.[VARIANT_OF_ANNOTATION]
  if (live && owner !== stableName) {
    throw new TrafficError(
      `Service ${name} in namespace ${namespace} exists and is not a variant of Service ` +
        `${stableName} (annotation ${VARIANT_OF_ANNOTATION}: ${owner ?? 'absent'}); ` +
        `rename or delete it`
    )
  }
  const stablePorts = specOf(stable).ports ?? []
  if (stablePorts.length === 0) {
    throw new TrafficError(
      `Service ${stableName} in namespace ${namespace} has no ports: a variant Service beside it ` +
        `needs the ports to serve`
    )
  }
  const ports = stablePorts.map((p) => ({
    ...(p.name === undefined ? {} : { name: p.name }),
    port: p.port,
    ...(p.targetPort === undefined ? {} : { targetPort: p.targetPort }),
    // a key of the ports list for server-side apply, so always given
    protocol: p.protocol ?? 'TCP'
  }))
  const desired: KubeObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name,
      namespace,
      ...(labels ? { labels } : {}),
      annotations: { [VARIANT_OF_ANNOTATION]: stableName }
    },
    spec: { type: 'ClusterIP', ports, selector }
  }
  // the Service is rollout-kit's (checked above): take over fields another manager touched
  const applied = await client.apply<KubeObject>(desired, { fieldManager, force: true })
  return live === undefined || !sameContent(live, applied)
}

/** Sets a Service's spec.selector exactly (read-modify-write); returns the selector it had. */
export async function setServiceSelector(
  client: KubeClient,
  opts: { namespace: string; name: string; selector: Labels; fieldManager: string }
): Promise<Labels> {
  const { namespace, name, selector, fieldManager } = opts
  if (Object.keys(selector).length === 0) {
    throw new RangeError(`the selector of Service ${name} must not be set empty`)
  }
  let old: Labels = {}
  await client.update<KubeObject>(
    serviceRef(namespace, name),
    (live) => {
      const spec = specOf(live)
      old = spec.selector ?? {}
      if (isDeepStrictEqual(old, selector)) return undefined
      return { ...live, spec: { ...spec, selector } }
    },
    { fieldManager }
  )
  return old
}

/** Deletes a Service if present; true when it existed. */
export async function deleteServiceIfPresent(
  client: KubeClient,
  namespace: string,
  name: string
): Promise<boolean> {
  return client.delete(serviceRef(namespace, name))
}

/** Do two versions of an object hold the same content (metadata bookkeeping aside)? */
export function sameContent(before: KubeObject, after: KubeObject): boolean {
  const strip = (o: KubeObject): unknown => {
    const metadata: Record<string, unknown> = { ...o.metadata }
    delete metadata.resourceVersion
    delete metadata.managedFields
    delete metadata.generation
    return { ...o, metadata }
  }
  return isDeepStrictEqual(strip(before), strip(after))
}
