import * as core from '@actions/core'
import { messageOf } from '../../../action/errors.js'
import {
  canaryIngressName,
  deleteServiceIfPresent,
  ensureVariantService,
  findService,
  ingressesFor,
  type KubeObject,
  podLabelsOf,
  removeNginxCanary,
  restoreRouteBackends,
  routesFor,
  setNginxCanary,
  setRouteBackends,
  TRACK_LABEL,
  variantName,
  relabelled,
  type Track
} from '../../../kube/index.js'
import type { TrafficMethod } from './inputs.js'
import type { ClusterContext } from './context.js'

/** The canary's traffic: which pods labels variants change, and how a weight is set. */
export interface CanaryTraffic {
  readonly method: TrafficMethod
  /** The stable Service. */
  readonly service: KubeObject
  /** Pod label keys a variant of this track gets `-<track>` on, to stay out of the stable Service. */
  relabel(track: Track): string[]
  /** Sends `weight` % to the canary and `baselineWeight` % to the baseline (ingress and route methods). */
  route(weight: number, baselineWeight: number): Promise<string[]>
}

/** The stable Service's selector. */
export function selectorOf(service: KubeObject): Record<string, string> {
  return { ...(service.spec as { selector?: Record<string, string> } | undefined)?.selector }
}

/** The Service in front of the stable pods (the `service` input, or the one selecting them). */
export function stableService(context: ClusterContext, stable: KubeObject): Promise<KubeObject> {
  return findService(context.kube, {
    namespace: context.namespace,
    podLabels: podLabelsOf(stable),
    name: context.inputs.service,
    workload: context.label
  })
}

/**
 * Sets up the canary's traffic method for a stable Deployment, reading (and checking) what it
 * routes with before anything changes: the Service, and for nginx the Ingresses, for gateway-api
 * the HTTPRoutes, that send traffic to it.
 */
export async function canaryTraffic(
  context: ClusterContext,
  stable: KubeObject,
  method: TrafficMethod
): Promise<CanaryTraffic> {
  const { kube, namespace, inputs } = context
  const service = await stableService(context, stable)
  const svc = service.metadata.name
  const keys = Object.keys(selectorOf(service))
  const variantService = (track: Track) => ({
    namespace,
    stable: service,
    name: variantName(svc, track),
    selector: { ...relabelled(selectorOf(service), keys, track), [TRACK_LABEL]: track },
    fieldManager: inputs.fieldManager
  })
  if (method === 'replicas') {
    return { method, service, relabel: () => [], route: async () => [] }
  }
  if (method === 'nginx') {
    const ingresses = await ingressesFor(kube, { namespace, service: svc, name: inputs.route })
    return {
      method,
      service,
      // the baseline stays behind the stable Service: NGINX sends a share to one canary only
      relabel: (track) => (track === 'canary' ? keys : []),
      async route(weight) {
        await ensureVariantService(kube, variantService('canary'))
        const lines: string[] = []
        for (const ingress of ingresses) {
          const set = await setNginxCanary(kube, {
            namespace,
            ingress,
            service: svc,
            canaryService: variantName(svc, 'canary'),
            weight,
            fieldManager: inputs.fieldManager
          })
          lines.push(`ingress/${set.name}: canary weight ${weight} %`)
        }
        return lines
      }
    }
  }
  const routes = await routesFor(kube, { namespace, service: svc, name: inputs.route })
  return {
    method,
    service,
    relabel: () => keys,
    async route(weight, baselineWeight) {
      await ensureVariantService(kube, variantService('canary'))
      if (inputs.baseline) await ensureVariantService(kube, variantService('baseline'))
      const backends = [
        { name: svc, weight: 100 - weight - baselineWeight },
        { name: variantName(svc, 'canary'), weight },
        ...(inputs.baseline ? [{ name: variantName(svc, 'baseline'), weight: baselineWeight }] : [])
      ]
      const lines: string[] = []
      for (const route of routes) {
        await setRouteBackends(kube, {
          namespace,
          route: route.metadata.name,
          managed: [svc, variantName(svc, 'canary'), variantName(svc, 'baseline')],
          backends,
          fieldManager: inputs.fieldManager
        })
        lines.push(
          `httproute/${route.metadata.name}: ${backends.map((b) => `${b.name} ${b.weight}`).join(', ')}`
        )
      }
      return lines
    }
  }
}

/**
 * Takes the canary (and baseline) out of the traffic, whichever method put them in: the canary
 * Ingresses go, the HTTPRoutes get their own backends back, the variant Services go. Returns what
 * it did, one line each.
 */
export async function resetCanaryTraffic(
  context: ClusterContext,
  service: KubeObject,
  method: string | undefined
): Promise<string[]> {
  const { kube, namespace } = context
  const svc = service.metadata.name
  const lines: string[] = []
  if (method === 'nginx' || method === undefined) {
    for (const ingress of await optional(() => ingressesFor(kube, { namespace, service: svc }))) {
      if (await removeNginxCanary(kube, namespace, ingress.metadata.name)) {
        lines.push(`ingress/${canaryIngressName(ingress.metadata.name)} removed`)
      }
    }
  }
  if (method === 'gateway-api' || method === undefined) {
    for (const route of await optional(() => routesFor(kube, { namespace, service: svc }))) {
      const fieldManager = context.inputs.fieldManager
      if (
        await restoreRouteBackends(kube, { namespace, route: route.metadata.name, fieldManager })
      ) {
        lines.push(`httproute/${route.metadata.name}: its own backends again`)
      }
    }
  }
  for (const track of ['canary', 'baseline'] as const) {
    if (await deleteServiceIfPresent(kube, namespace, variantName(svc, track))) {
      lines.push(`service/${variantName(svc, track)} removed`)
    }
  }
  return lines
}

/** What `find` returns, or nothing when it fails (no such API, nothing routes to the Service). */
async function optional<T>(find: () => Promise<T[]>): Promise<T[]> {
  try {
    return await find()
  } catch (error) {
    core.info(`Nothing to reset there: ${messageOf(error)}`)
    return []
  }
}
