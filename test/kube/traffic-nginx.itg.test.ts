import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import type { KubeClient } from '../../src/kube/client.js'
import type { KubeObject } from '../../src/kube/manifests.js'
import { TrafficError } from '../../src/kube/traffic/services.js'
import {
  ingressesFor,
  nginxCanaryWeight,
  removeNginxCanary,
  setNginxCanary
} from '../../src/kube/traffic/nginx.js'
import { adminClientIn } from '../../harness/kube-client.js'
import { startControlPlane, type ControlPlane } from '../../harness/kube-control-plane.js'
import { rejection } from '../../harness/rejection.js'

const NS = 'ing'
const MANAGER = 'rollout-kit-test'

let cluster: ControlPlane
let client: KubeClient

const backend = (name: string, port: number | string = 80) => ({
  service: { name, port: typeof port === 'number' ? { number: port } : { name: port } }
})
const path = (p: string, service: string, port?: number | string) => ({
  path: p,
  pathType: 'Prefix',
  backend: backend(service, port)
})

function ingress(name: string, spec: object, annotations?: Record<string, string>): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace: NS, ...(annotations ? { annotations } : {}) },
    spec
  }
}

/** Routes web.example.test / and /static to web, /api and the whole of api.example.test to api. */
const WEB = ingress('web', {
  ingressClassName: 'nginx',
  tls: [{ hosts: ['web.example.test', 'api.example.test'], secretName: 'web-tls' }],
  rules: [
    {
      host: 'web.example.test',
      http: {
        paths: [path('/', 'web', 'http'), path('/api', 'api'), path('/static', 'web', 8080)]
      }
    },
    { host: 'api.example.test', http: { paths: [path('/', 'api')] } }
  ]
})
const LEGACY = ingress(
  'legacy',
  { defaultBackend: backend('web') },
  { 'kubernetes.io/ingress.class': 'nginx', 'example.test/owner': 'shop' }
)
const OTHER = ingress('other', { rules: [{ http: { paths: [path('/', 'api')] } }] })

beforeAll(async () => {
  cluster = await startControlPlane()
  client = await adminClientIn(cluster, NS)
  for (const object of [WEB, LEGACY, OTHER]) await client.create(object)
}, 90_000)
afterAll(() => cluster?.stop())

const get = (name: string): Promise<KubeObject | undefined> =>
  client.get({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name, namespace: NS })

async function live(name: string): Promise<KubeObject> {
  const found = await get(name)
  if (!found) throw new Error(`Ingress ${name} is missing`)
  return found
}

const names = (objects: KubeObject[]): string[] => objects.map((o) => o.metadata.name).sort()

/** Each test starts from the three Ingresses alone: no canary left by another test. */
beforeEach(async () => {
  for (const name of ['web-canary', 'legacy-canary', 'other-canary']) {
    await client.delete({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      name,
      namespace: NS
    })
  }
})

const webCanary = (weight: number) =>
  setNginxCanary(client, {
    namespace: NS,
    ingress: WEB,
    service: 'web',
    canaryService: 'web-canary',
    weight,
    fieldManager: MANAGER
  })

describe('ingressesFor', () => {
  it('finds the Ingresses with a backend naming the Service, default backends included', async () => {
    expect(names(await ingressesFor(client, { namespace: NS, service: 'web' }))).toEqual([
      'legacy',
      'web'
    ])
    expect(names(await ingressesFor(client, { namespace: NS, service: 'api' }))).toEqual([
      'other',
      'web'
    ])
  })

  it('gets a named Ingress that routes to the Service', async () => {
    const found = await ingressesFor(client, { namespace: NS, service: 'web', name: 'web' })
    expect(names(found)).toEqual(['web'])
  })

  it('refuses a named Ingress that does not route to the Service', async () => {
    const error = await rejection(
      ingressesFor(client, { namespace: NS, service: 'web', name: 'other' })
    )
    expect(error).toBeInstanceOf(TrafficError)
    expect(error.message).toBe(
      'Ingress other does not route to Service web in namespace ing: none of its backends names it'
    )
  })

  it('fails when no Ingress routes to the Service', async () => {
    const error = await rejection(ingressesFor(client, { namespace: NS, service: 'nothing' }))
    expect(error.message).toBe(
      'No Ingress (networking.k8s.io/v1) in namespace ing routes to Service nothing'
    )
  })
})

describe('setNginxCanary', () => {
  const canary = (weight: number, ingress = WEB) =>
    ingress === WEB
      ? webCanary(weight)
      : setNginxCanary(client, {
          namespace: NS,
          ingress,
          service: 'web',
          canaryService: 'web-canary',
          weight,
          fieldManager: MANAGER
        })

  it("creates a canary Ingress for the Service's paths, with class, TLS and weight", async () => {
    expect(await canary(20)).toEqual({ name: 'web-canary', changed: true })
    const created = await live('web-canary')
    expect(created.metadata.labels).toEqual({ 'rollout-kit/canary-of': 'web' })
    expect(created.metadata.annotations).toEqual({
      'nginx.ingress.kubernetes.io/canary': 'true',
      'nginx.ingress.kubernetes.io/canary-weight': '20',
      'nginx.ingress.kubernetes.io/canary-weight-total': '100'
    })
    expect(created.spec).toEqual({
      ingressClassName: 'nginx',
      tls: [{ hosts: ['web.example.test', 'api.example.test'], secretName: 'web-tls' }],
      rules: [
        {
          host: 'web.example.test',
          http: {
            paths: [path('/', 'web-canary', 'http'), path('/static', 'web-canary', 8080)]
          }
        }
      ]
    })
    expect(await nginxCanaryWeight(client, NS, 'web')).toBe(20)
  })

  it('re-weights the canary, and changes nothing when the weight is the same', async () => {
    await canary(20)
    expect(await canary(50)).toEqual({ name: 'web-canary', changed: true })
    expect(await nginxCanaryWeight(client, NS, 'web')).toBe(50)
    const before = await live('web-canary')
    expect(await canary(50)).toEqual({ name: 'web-canary', changed: false })
    expect((await live('web-canary')).metadata.resourceVersion).toBe(
      before.metadata.resourceVersion
    )
  })

  it('keeps canary Ingresses out of the Ingresses to route', async () => {
    await canary(20)
    const error = await rejection(ingressesFor(client, { namespace: NS, service: 'web-canary' }))
    expect(error.message).toBe(
      'No Ingress (networking.k8s.io/v1) in namespace ing routes to Service web-canary'
    )
    expect(names(await ingressesFor(client, { namespace: NS, service: 'web' }))).toEqual([
      'legacy',
      'web'
    ])
  })

  it.each([101, -1, 2.5, Number.NaN])('refuses weight %s before changing anything', async (w) => {
    await canary(20)
    const before = await live('web-canary')
    const error = await rejection(canary(w))
    expect(error).toBeInstanceOf(RangeError)
    expect(error.message).toBe(`canary weight is ${w}; expected an integer from 0 to 100`)
    expect(await live('web-canary')).toEqual(before)
  })

  it('sends the default backend and the ingress.class annotation over to the canary', async () => {
    expect(await canary(0, LEGACY)).toEqual({ name: 'legacy-canary', changed: true })
    const created = await live('legacy-canary')
    expect(created.metadata.annotations).toMatchObject({
      'kubernetes.io/ingress.class': 'nginx',
      'nginx.ingress.kubernetes.io/canary-weight': '0'
    })
    expect(created.metadata.annotations).not.toHaveProperty('example.test/owner')
    expect(created.spec).toEqual({ defaultBackend: backend('web-canary') })
  })

  it('refuses to overwrite an Ingress named like the canary that is not one', async () => {
    await client.create(ingress('other-canary', { defaultBackend: backend('api') }))
    const before = await live('other-canary')
    const error = await rejection(
      setNginxCanary(client, {
        namespace: NS,
        ingress: OTHER,
        service: 'api',
        canaryService: 'api-canary',
        weight: 10,
        fieldManager: MANAGER
      })
    )
    expect(error.message).toBe(
      'Ingress other-canary in namespace ing exists and is not the canary of Ingress other (label rollout-kit/canary-of: absent); rename or delete it'
    )
    await expect(removeNginxCanary(client, NS, 'other')).rejects.toThrow(/is not the canary of/)
    expect(await live('other-canary')).toEqual(before)
  })
})

describe('removeNginxCanary', () => {
  it('deletes the canary Ingress and says whether there was one', async () => {
    await webCanary(50)
    expect(await nginxCanaryWeight(client, NS, 'web')).toBe(50)
    expect(await removeNginxCanary(client, NS, 'web')).toBe(true)
    expect(await get('web-canary')).toBeUndefined()
    expect(await nginxCanaryWeight(client, NS, 'web')).toBeUndefined()
    expect(await removeNginxCanary(client, NS, 'web')).toBe(false)
    expect(await get('web')).toBeDefined()
  })
})
