/**
 * Canary traffic through ingress-nginx: beside each Ingress that routes to the stable Service, a
 * canary Ingress `<name>-canary` with the same class, hosts and TLS, only the paths that go to the
 * stable Service (sent to the canary Service instead) and the NGINX canary annotations with a
 * weight (https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/#canary).
 * ingress-nginx splits a host/path between the main and the canary Ingress by that weight.
 *
 * Canary Ingresses are written by server-side apply and labelled `rollout-kit/canary-of`, which
 * keeps them out of the Ingresses to route and keeps an Ingress rollout-kit did not create from
 * being overwritten or deleted.
 */
import type { KubeClient, ObjectRef } from '../client.js'
import type { KubeObject } from '../manifests.js'
import { sameContent, TrafficError } from './services.js'

/** Label on a canary Ingress: the name of the Ingress it splits traffic of. */
export const CANARY_OF_LABEL = 'rollout-kit/canary-of'

const CANARY = 'nginx.ingress.kubernetes.io/canary'
const CANARY_WEIGHT = 'nginx.ingress.kubernetes.io/canary-weight'
const CANARY_WEIGHT_TOTAL = 'nginx.ingress.kubernetes.io/canary-weight-total'
const INGRESS_CLASS = 'kubernetes.io/ingress.class'

interface Backend {
  service?: { name: string; port?: unknown }
  [k: string]: unknown
}
interface IngressPath {
  backend?: Backend
  [k: string]: unknown
}
interface IngressRule {
  host?: string
  http?: { paths?: IngressPath[] }
}
interface IngressSpec {
  ingressClassName?: string
  defaultBackend?: Backend
  tls?: unknown[]
  rules?: IngressRule[]
}

const ingressRef = (namespace: string, name: string): ObjectRef => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  name,
  namespace
})

const specOf = (ingress: KubeObject): IngressSpec => (ingress.spec ?? {}) as IngressSpec
const labelsOf = (o: KubeObject): Record<string, string> =>
  (o.metadata.labels ?? {}) as Record<string, string>
const annotationsOf = (o: KubeObject): Record<string, string> =>
  (o.metadata.annotations ?? {}) as Record<string, string>

/** The name of the canary Ingress of an Ingress. */
export const canaryIngressName = (ingressName: string): string => `${ingressName}-canary`

/** Does any backend of the Ingress (rules' paths or the default backend) name `service`? */
function routesTo(ingress: KubeObject, service: string): boolean {
  const spec = specOf(ingress)
  if (spec.defaultBackend?.service?.name === service) return true
  return (spec.rules ?? []).some((rule) =>
    (rule.http?.paths ?? []).some((path) => path.backend?.service?.name === service)
  )
}

/**
 * The Ingresses of the namespace with a backend naming `service`, canary Ingresses left out; with
 * `name`, that Ingress, which must route to the Service. Finding none fails.
 */
export async function ingressesFor(
  client: KubeClient,
  opts: { namespace: string; service: string; name?: string }
): Promise<KubeObject[]> {
  const { namespace, service, name } = opts
  if (name !== undefined) {
    const ingress = await client.get(ingressRef(namespace, name))
    if (!ingress) {
      throw new TrafficError(`Ingress ${name} does not exist in namespace ${namespace}`)
    }
    if (!routesTo(ingress, service)) {
      throw new TrafficError(
        `Ingress ${name} does not route to Service ${service} in namespace ${namespace}: ` +
          `none of its backends names it`
      )
    }
    return [ingress]
  }
  const all = await client.list<KubeObject>('networking.k8s.io/v1', 'Ingress', namespace)
  const found = all.filter((i) => !(CANARY_OF_LABEL in labelsOf(i)) && routesTo(i, service))
  if (found.length === 0) {
    throw new TrafficError(
      `No Ingress (networking.k8s.io/v1) in namespace ${namespace} routes to Service ${service}`
    )
  }
  return found
}

/** The canary Ingress's spec: what of `ingress` goes to `service`, sent to `canaryService`. */
function canarySpec(ingress: KubeObject, service: string, canaryService: string): IngressSpec {
  const spec = specOf(ingress)
  const swap = (backend: Backend): Backend => ({
    ...backend,
    service: { ...backend.service, name: canaryService }
  })
  const rules = (spec.rules ?? []).flatMap((rule) => {
    const paths = (rule.http?.paths ?? [])
      .filter((path) => path.backend?.service?.name === service)
      .map((path) => ({ ...path, backend: swap(path.backend as Backend) }))
    return paths.length === 0 ? [] : [{ ...rule, http: { paths } }]
  })
  const defaultBackend =
    spec.defaultBackend?.service?.name === service ? swap(spec.defaultBackend) : undefined
  return {
    ...(spec.ingressClassName ? { ingressClassName: spec.ingressClassName } : {}),
    ...(defaultBackend ? { defaultBackend } : {}),
    ...(spec.tls ? { tls: spec.tls } : {}),
    ...(rules.length > 0 ? { rules } : {})
  }
}

/** Fails unless an existing `<ingress>-canary` is rollout-kit's canary of `ingressName`. */
function checkOwned(canary: KubeObject | undefined, ingressName: string, namespace: string): void {
  const owner = canary ? labelsOf(canary)[CANARY_OF_LABEL] : undefined
  if (canary && owner !== ingressName) {
    throw new TrafficError(
      `Ingress ${canary.metadata.name} in namespace ${namespace} exists and is not the canary of ` +
        `Ingress ${ingressName} (label ${CANARY_OF_LABEL}: ${owner ?? 'absent'}); rename or delete it`
    )
  }
}

/**
 * Server-side applies `<ingress>-canary` sending `weight` % of what `ingress` routes to `service`
 * to `canaryService`. weight: an integer from 0 to 100. Returns its name and whether it changed.
 */
export async function setNginxCanary(
  client: KubeClient,
  opts: {
    namespace: string
    ingress: KubeObject
    service: string
    canaryService: string
    weight: number
    fieldManager: string
  }
): Promise<{ name: string; changed: boolean }> {
  const { namespace, ingress, service, canaryService, weight, fieldManager } = opts
  if (!Number.isInteger(weight) || weight < 0 || weight > 100) {
    throw new RangeError(`canary weight is ${weight}; expected an integer from 0 to 100`)
  }
  const ingressName = ingress.metadata.name
  if (!routesTo(ingress, service)) {
    throw new TrafficError(
      `Ingress ${ingressName} does not route to Service ${service} in namespace ${namespace}`
    )
  }
  const name = canaryIngressName(ingressName)
  const live = await client.get(ingressRef(namespace, name))
  checkOwned(live, ingressName, namespace)
  const ingressClass = annotationsOf(ingress)[INGRESS_CLASS]
  const canary: KubeObject = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      name,
      namespace,
      labels: { [CANARY_OF_LABEL]: ingressName },
      annotations: {
        ...(ingressClass ? { [INGRESS_CLASS]: ingressClass } : {}),
        [CANARY]: 'true',
        [CANARY_WEIGHT]: String(weight),
        [CANARY_WEIGHT_TOTAL]: '100'
      }
    },
    spec: canarySpec(ingress, service, canaryService)
  }
  // the canary Ingress is rollout-kit's (checked above): take over fields another manager touched
  const applied = await client.apply<KubeObject>(canary, { fieldManager, force: true })
  return { name, changed: live === undefined || !sameContent(live, applied) }
}

/** The canary weight on `<ingress>-canary`, undefined when there is none. */
export async function nginxCanaryWeight(
  client: KubeClient,
  namespace: string,
  ingressName: string
): Promise<number | undefined> {
  const canary = await client.get(ingressRef(namespace, canaryIngressName(ingressName)))
  const weight = canary ? annotationsOf(canary)[CANARY_WEIGHT] : undefined
  return weight === undefined ? undefined : Number(weight)
}

/** Deletes `<ingress>-canary` if present (refusing one that is not its canary); true when it existed. */
export async function removeNginxCanary(
  client: KubeClient,
  namespace: string,
  ingressName: string
): Promise<boolean> {
  const ref = ingressRef(namespace, canaryIngressName(ingressName))
  const canary = await client.get(ref)
  if (!canary) return false
  checkOwned(canary, ingressName, namespace)
  await client.delete(ref)
  return true
}
