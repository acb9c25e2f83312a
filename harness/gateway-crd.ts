/**
 * The Gateway API's HTTPRoute (gateway.networking.k8s.io/v1) for a test control plane, registered by
 * a CustomResourceDefinition with a structural schema of our own: the published CRDs carry CEL
 * validation rules (x-kubernetes-validations) that a 1.20 API server does not know. The schema has
 * what promote reads and writes (parentRefs, hostnames, rules with backendRefs) and the defaults
 * the published CRD gives a backendRef (kind Service, weight 1).
 */
import type { KubeClient } from '../src/kube/client.js'
import { KubeError } from '../src/kube/errors.js'
import type { KubeObject } from '../src/kube/manifests.js'
import { kubeClient } from './kube-client.js'
import { waitFor } from './kube-request.js'

const PRESERVE = { 'x-kubernetes-preserve-unknown-fields': true }
const string = { type: 'string' }

const BACKEND_REF = {
  type: 'object',
  required: ['name'],
  properties: {
    // the published CRD defaults group to '' too, which a 1.20 API server reads as null
    group: string,
    kind: { type: 'string', default: 'Service' },
    name: string,
    namespace: string,
    port: { type: 'integer', minimum: 1, maximum: 65535 },
    weight: { type: 'integer', minimum: 0, maximum: 1_000_000, default: 1 },
    filters: { type: 'array', items: { type: 'object', ...PRESERVE } }
  }
}

const SPEC = {
  type: 'object',
  properties: {
    parentRefs: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name'],
        properties: {
          name: string,
          namespace: string,
          sectionName: string,
          port: { type: 'integer' }
        }
      }
    },
    hostnames: { type: 'array', items: string },
    rules: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          matches: { type: 'array', items: { type: 'object', ...PRESERVE } },
          filters: { type: 'array', items: { type: 'object', ...PRESERVE } },
          backendRefs: { type: 'array', items: BACKEND_REF }
        }
      }
    }
  }
}

/** The CustomResourceDefinition of HTTPRoute, gateway.networking.k8s.io/v1 served and stored. */
export const HTTP_ROUTE_CRD: KubeObject = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: {
    name: 'httproutes.gateway.networking.k8s.io',
    // *.k8s.io groups are protected (https://github.com/kubernetes/enhancements/pull/1111); the
    // published CRDs carry the same approval
    annotations: {
      'api-approved.kubernetes.io': 'https://github.com/kubernetes-sigs/gateway-api/pull/1538'
    }
  },
  spec: {
    group: 'gateway.networking.k8s.io',
    scope: 'Namespaced',
    names: {
      plural: 'httproutes',
      singular: 'httproute',
      kind: 'HTTPRoute',
      listKind: 'HTTPRouteList'
    },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        subresources: { status: {} },
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: { spec: SPEC, status: { type: 'object', ...PRESERVE } }
          }
        }
      }
    ]
  }
}

function clientOf(target: string | KubeClient): KubeClient {
  return typeof target === 'string' ? kubeClient(target) : target
}

/**
 * Creates the HTTPRoute CRD (one that exists already is fine) and waits until it is Established and
 * the API server serves HTTPRoutes. `target`: an admin kubeconfig YAML, or a client.
 */
export async function installHttpRouteCrd(target: string | KubeClient): Promise<void> {
  const client = clientOf(target)
  await client.create(HTTP_ROUTE_CRD).catch((error: unknown) => {
    if (!(error instanceof KubeError && error.status === 409)) throw error
  })
  const ref = {
    apiVersion: HTTP_ROUTE_CRD.apiVersion,
    kind: HTTP_ROUTE_CRD.kind,
    name: HTTP_ROUTE_CRD.metadata.name
  }
  await waitFor('the HTTPRoute CRD to be Established', async () => {
    const crd = await client.get<
      KubeObject & { status?: { conditions?: { type: string; status: string }[] } }
    >(ref)
    return crd?.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')
  })
  // discovery and the resource handler follow the Established condition by a moment
  await waitFor('HTTPRoutes to be served', async () => {
    await client.list('gateway.networking.k8s.io/v1', 'HTTPRoute', 'default')
    return true
  })
}

/** Options of {@link httpRouteObject}. */
export interface HttpRouteOptions {
  /** The rule's backendRef's port (default 80). */
  readonly port?: number
  /** More backendRefs of the one rule, after the Service's. */
  readonly extraRefs?: readonly Record<string, unknown>[]
  readonly hostnames?: readonly string[]
}

/** An HTTPRoute `name` with one rule (path prefix /) sending everything to Service `service`. */
export function httpRouteObject(
  name: string,
  namespace: string,
  service: string,
  opts: HttpRouteOptions = {}
): KubeObject {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name, namespace },
    spec: {
      parentRefs: [{ name: 'gateway' }],
      hostnames: [...(opts.hostnames ?? ['web.example.test'])],
      rules: [
        {
          matches: [{ path: { type: 'PathPrefix', value: '/' } }],
          backendRefs: [{ name: service, port: opts.port ?? 80 }, ...(opts.extraRefs ?? [])]
        }
      ]
    }
  }
}
