import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { KubeClient } from '../../src/kube/client.js'
import type { KubeObject } from '../../src/kube/manifests.js'
import { TrafficError } from '../../src/kube/traffic/services.js'
import {
  restoreRouteBackends,
  routesFor,
  routeWeights,
  setRouteBackends
} from '../../src/kube/traffic/gateway.js'
import { httpRouteObject, installHttpRouteCrd } from '../../harness/gateway-crd.js'
import { adminClientIn, kubeClient } from '../../harness/kube-client.js'
import { startControlPlane, type ControlPlane } from '../../harness/kube-control-plane.js'
import { rejection } from '../../harness/rejection.js'
import {
  startKubeCountingProxy,
  type KubeCountingProxy
} from '../../harness/kube-counting-proxy.js'

const NS = 'gw'
const MANAGER = 'rollout-kit-test'
const CANARY = ['web', 'web-canary', 'web-baseline']

let cluster: ControlPlane
let client: KubeClient
let proxy: KubeCountingProxy | undefined

beforeAll(async () => {
  cluster = await startControlPlane()
  client = await adminClientIn(cluster, NS)
}, 90_000)
afterAll(async () => {
  await proxy?.stop()
  await cluster?.stop()
})

/** An HTTPRoute as the tests look at it. */
interface Route extends KubeObject {
  metadata: KubeObject['metadata'] & { annotations?: Record<string, string> }
  spec: { rules: { backendRefs: unknown[] }[] }
}

const get = async (name: string): Promise<Route> => {
  const route = await client.get<Route>({
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    name,
    namespace: NS
  })
  if (!route) throw new Error(`HTTPRoute ${name} is missing`)
  return route
}
const refsOf = (route: Route): unknown[] => route.spec.rules[0].backendRefs
const set = (route: string, managed: string[], backends: { name: string; weight?: number }[]) =>
  setRouteBackends(client, { namespace: NS, route, managed, backends, fieldManager: MANAGER })
const restore = (route: string) =>
  restoreRouteBackends(client, { namespace: NS, route, fieldManager: MANAGER })

describe('routesFor without the Gateway API', () => {
  it('says that HTTPRoute is not served', async () => {
    const error = await rejection(routesFor(client, { namespace: NS, service: 'web' }))
    expect(error).toBeInstanceOf(TrafficError)
    expect(error.message).toBe(
      `HTTPRoute (gateway.networking.k8s.io/v1) is not served by the cluster at ${cluster.server}: ` +
        'install the Gateway API CRDs, or route traffic another way'
    )
  })
})

describe('with the HTTPRoute CRD', () => {
  beforeAll(async () => {
    await installHttpRouteCrd(cluster.kubeconfig)
    await installHttpRouteCrd(client) // again: already there is fine
    await client.create(httpRouteObject('web', NS, 'web'))
    await client.create(httpRouteObject('other', NS, 'api', { port: 8080 }))
    await client.create(
      httpRouteObject('mixed', NS, 'web', {
        extraRefs: [{ name: 'legacy', port: 8080, weight: 5 }]
      })
    )
    await client.create(httpRouteObject('bg', NS, 'web'))
    await client.create(httpRouteObject('race', NS, 'web'))
  }, 60_000)

  describe('routesFor', () => {
    it('finds the routes with a backendRef to the Service', async () => {
      const found = await routesFor(client, { namespace: NS, service: 'web' })
      expect(found.map((r) => r.metadata.name).sort()).toEqual(['bg', 'mixed', 'race', 'web'])
      const named = await routesFor(client, { namespace: NS, service: 'api', name: 'other' })
      expect(named.map((r) => r.metadata.name)).toEqual(['other'])
    })

    it('refuses a named route that does not send traffic to the Service', async () => {
      const error = await rejection(
        routesFor(client, { namespace: NS, service: 'web', name: 'other' })
      )
      expect(error.message).toBe(
        'HTTPRoute other in namespace gw does not send traffic to Service web: none of its backendRefs names it'
      )
    })

    it('fails when no route sends traffic to the Service', async () => {
      const error = await rejection(routesFor(client, { namespace: NS, service: 'legacy-api' }))
      expect(error.message).toBe('no HTTPRoute in namespace gw sends traffic to Service legacy-api')
    })

    it('ignores refs to another kind or namespace of the same name', async () => {
      await client.create(
        httpRouteObject('foreign', NS, 'shop', {
          extraRefs: [
            { name: 'shop', kind: 'Bucket', group: 'storage.example.test' },
            { name: 'shop', namespace: 'elsewhere', port: 80 }
          ]
        })
      )
      const found = await routesFor(client, { namespace: NS, service: 'shop' })
      expect(found.map((r) => r.metadata.name)).toEqual(['foreign'])
      await setRouteBackends(client, {
        namespace: NS,
        route: 'foreign',
        managed: ['shop', 'shop-canary'],
        backends: [
          { name: 'shop', weight: 9 },
          { name: 'shop-canary', weight: 1 }
        ],
        fieldManager: MANAGER
      })
      expect(refsOf(await get('foreign'))).toEqual([
        { kind: 'Service', name: 'shop', port: 80, weight: 9 },
        { kind: 'Service', name: 'shop-canary', port: 80, weight: 1 },
        { group: 'storage.example.test', kind: 'Bucket', name: 'shop', weight: 1 },
        { kind: 'Service', name: 'shop', namespace: 'elsewhere', port: 80, weight: 1 }
      ])
    })
  })

  describe('setRouteBackends and restoreRouteBackends', () => {
    it('weights a canary 80/20, then 50/50, then restores the original exactly', async () => {
      const original = await get('web')
      expect(
        await set('web', CANARY, [
          { name: 'web', weight: 80 },
          { name: 'web-canary', weight: 20 }
        ])
      ).toBe(true)
      expect(refsOf(await get('web'))).toEqual([
        { kind: 'Service', name: 'web', port: 80, weight: 80 },
        { kind: 'Service', name: 'web-canary', port: 80, weight: 20 }
      ])
      expect(await routeWeights(client, { namespace: NS, route: 'web', managed: CANARY })).toEqual({
        web: 80,
        'web-canary': 20
      })

      const fifty = [
        { name: 'web', weight: 40 },
        { name: 'web-canary', weight: 50 },
        { name: 'web-baseline', weight: 10 }
      ]
      expect(await set('web', CANARY, fifty)).toBe(true)
      expect(await routeWeights(client, { namespace: NS, route: 'web', managed: CANARY })).toEqual({
        web: 40,
        'web-canary': 50,
        'web-baseline': 10
      })
      const before = await get('web')
      expect(await set('web', CANARY, fifty)).toBe(false)
      expect((await get('web')).metadata.resourceVersion).toBe(before.metadata.resourceVersion)

      expect(await restore('web')).toBe(true)
      const restored = await get('web')
      expect(restored.spec).toEqual(original.spec)
      expect(restored.metadata.annotations ?? {}).toEqual(original.metadata.annotations ?? {})
      expect(await restore('web')).toBe(false)
    })

    it('keeps a backendRef to an unrelated Service in place', async () => {
      const original = await get('mixed')
      await set('mixed', CANARY, [
        { name: 'web', weight: 90 },
        { name: 'web-canary', weight: 10 }
      ])
      expect(refsOf(await get('mixed'))).toEqual([
        { kind: 'Service', name: 'web', port: 80, weight: 90 },
        { kind: 'Service', name: 'web-canary', port: 80, weight: 10 },
        { kind: 'Service', name: 'legacy', port: 8080, weight: 5 }
      ])
      expect(await restore('mixed')).toBe(true)
      expect((await get('mixed')).spec).toEqual(original.spec)
    })

    it('switches blue-green to the green Service and back', async () => {
      const original = await get('bg')
      const colours = ['web', 'web-green']
      expect(await set('bg', colours, [{ name: 'web-green' }])).toBe(true)
      expect(refsOf(await get('bg'))).toEqual([
        { kind: 'Service', name: 'web-green', port: 80, weight: 1 }
      ])
      expect(await routeWeights(client, { namespace: NS, route: 'bg', managed: colours })).toEqual({
        'web-green': 1
      })
      expect(await set('bg', colours, [{ name: 'web' }])).toBe(true)
      expect(refsOf(await get('bg'))).toEqual(refsOf(original))
      expect(await set('bg', colours, [{ name: 'web' }])).toBe(false)
      expect(await restore('bg')).toBe(true)
      expect((await get('bg')).spec).toEqual(original.spec)
    })

    it('refuses backends it does not manage, bad weights and routes without the Services', async () => {
      const before = await get('web')
      await expect(set('web', CANARY, [])).rejects.toThrow('no backends to route to were given')
      await expect(set('web', CANARY, [{ name: 'api' }])).rejects.toThrow(
        'backend api is not one of the managed Services (web, web-canary, web-baseline)'
      )
      await expect(set('web', CANARY, [{ name: 'web', weight: -5 }])).rejects.toThrow(
        'weight of backend web is -5; expected an integer from 0 to 1000000'
      )
      await expect(set('other', CANARY, [{ name: 'web' }])).rejects.toThrow(
        'HTTPRoute other in namespace gw has no backendRef to any of the Services web, web-canary, web-baseline'
      )
      await expect(set('nope', CANARY, [{ name: 'web' }])).rejects.toThrow(
        /update httproutes\.gateway\.networking\.k8s\.io\/nope in namespace gw failed \(HTTP 404/
      )
      expect(await get('web')).toEqual(before)
    })

    it('applies concurrent changes one after the other, keeping the saved original', async () => {
      const original = await get('race')
      proxy = await startKubeCountingProxy(cluster.server, cluster.caPem)
      const racers = [10, 20, 30, 40].map((w) => ({
        client: kubeClient(proxy?.kubeconfigThrough(cluster.kubeconfig) ?? ''),
        backends: [
          { name: 'web', weight: 100 - w },
          { name: 'web-canary', weight: w }
        ]
      }))
      const results = await Promise.all(
        racers.map((r) =>
          setRouteBackends(r.client, {
            namespace: NS,
            route: 'race',
            managed: CANARY,
            backends: r.backends,
            fieldManager: MANAGER
          })
        )
      )
      expect(results).toEqual([true, true, true, true])
      // the writes did race: some PUTs met a newer resourceVersion and were read again
      const puts = proxy.requests.filter((r) => r.method === 'PUT')
      expect(puts.filter((r) => r.status === 409).length).toBeGreaterThan(0)
      expect(puts.filter((r) => r.status === 200)).toHaveLength(4)

      const weights = await routeWeights(client, { namespace: NS, route: 'race', managed: CANARY })
      const expected = racers.map((r) =>
        Object.fromEntries(r.backends.map((b) => [b.name, b.weight]))
      )
      expect(expected).toContainEqual(weights)
      expect(refsOf(await get('race'))).toHaveLength(2)
      const saved = JSON.parse(
        (await get('race')).metadata.annotations?.['rollout-kit/original-backends'] as string
      )
      expect(saved).toEqual([{ rule: 0, backendRefs: refsOf(original) }])
      expect(await restore('race')).toBe(true)
      expect((await get('race')).spec).toEqual(original.spec)
    })
  })
})
