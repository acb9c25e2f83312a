import { describe, expect, it } from '@jest/globals'
import { httpRouteObject } from '../../harness/gateway-crd.js'
import { kubeFind, kubeOk, kubeWatch, type KubeObject } from '../../harness/kube-request.js'
import {
  deployment,
  endpointPods,
  expectFailed,
  expectRunning,
  expectSucceeded,
  image,
  imageOfDeployment,
  pods,
  clusterSuite,
  stableWorkload,
  stateOf,
  waitForEndpoints,
  podsSelectedBy
} from './promote-cluster-support.js'

const suite = clusterSuite({ httpRoutes: true })

const promote = suite.promote
const INGRESSES = '/apis/networking.k8s.io/v1/namespaces/dev/ingresses'
const ROUTES = '/apis/gateway.networking.k8s.io/v1/namespaces/dev/httproutes'

function ingress(name: string, service: string): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name },
    spec: {
      ingressClassName: 'nginx',
      rules: [
        {
          host: `${name}.example.test`,
          http: {
            paths: [
              {
                path: '/',
                pathType: 'Prefix',
                backend: { service: { name: service, port: { number: 80 } } }
              }
            ]
          }
        }
      ]
    }
  }
}

/** Polls a Service's Endpoints until stopped; returns every pod name it ever sent to. */
function recordEndpoints(service: string): { stop: () => Promise<string[]> } {
  const seen = new Set<string>()
  let running = true
  const loop = (async () => {
    while (running) {
      for (const name of await endpointPods(suite.cluster, service)) seen.add(name)
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  })()
  return {
    stop: async () => {
      running = false
      await loop
      return [...seen]
    }
  }
}

const backends = async (route: string) =>
  (
    (await kubeOk(suite.cluster, 'GET', `${ROUTES}/${route}`)).spec.rules[0].backendRefs as {
      name: string
      weight: number
    }[]
  ).map((b) => `${b.name} ${b.weight}`)

describe('promote canary with traffic nginx', () => {
  it('splits by a canary Ingress to a canary-only Service; production removes all of it', async () => {
    await stableWorkload(suite.cluster, 'shop')
    await kubeOk(suite.cluster, 'POST', INGRESSES, ingress('shop', 'shop'))
    await kubeOk(suite.cluster, 'POST', INGRESSES, ingress('elsewhere', 'elsewhere'))
    const original = await kubeOk(suite.cluster, 'GET', `${INGRESSES}/shop`)
    const stableEndpoints = recordEndpoints('shop')
    const canary = (weight: string, extra: Record<string, string> = {}) =>
      promote({
        stage: 'canary',
        workload: 'deployment/shop',
        source: image('b'),
        traffic: 'nginx',
        weight,
        ...extra
      })

    const unrelated = await canary('20', { route: 'elsewhere' })
    expectFailed(
      unrelated,
      'Ingress elsewhere does not route to Service shop in namespace dev: none of its backends names it'
    )
    expect(await deployment(suite.cluster, 'shop-canary')).toBeUndefined()

    const first = await canary('20')
    expectSucceeded(first, { weight: '20', changed: 'true' })
    const canaryIngress = await kubeOk(suite.cluster, 'GET', `${INGRESSES}/shop-canary`)
    expect(canaryIngress.metadata.annotations).toMatchObject({
      'nginx.ingress.kubernetes.io/canary': 'true',
      'nginx.ingress.kubernetes.io/canary-weight': '20'
    })
    expect(canaryIngress.metadata.labels).toEqual({ 'rollout-kit/canary-of': 'shop' })
    expect(canaryIngress.spec.ingressClassName).toBe('nginx')
    expect(canaryIngress.spec.rules[0].http.paths[0].backend.service.name).toBe('shop-canary')
    const canaryService = await kubeOk(
      suite.cluster,
      'GET',
      '/api/v1/namespaces/dev/services/shop-canary'
    )
    expect(canaryService.spec.selector).toEqual({
      app: 'shop-canary',
      'rollout-kit/track': 'canary'
    })
    const [pod] = await pods(suite.cluster, 'rollout-kit/track=canary,rollout-kit/workload=shop')
    expect(pod.metadata.labels).toMatchObject({ app: 'shop-canary' })
    expect(
      await waitForEndpoints(suite.cluster, 'shop-canary', 'rollout-kit/workload=shop', 1)
    ).toEqual([pod.metadata.name])
    await waitForEndpoints(suite.cluster, 'shop', 'app=shop', 4)
    // the selector promote outputs finds exactly the canary's pod in Prometheus's terms; the one
    // release.yml guessed before (`app="shop"` and a track label) finds none: NGINX relabelled it
    expect(first.outputs).toMatchObject({
      started: 'true',
      'canary-selector': 'namespace="dev",rollout_kit_workload="shop",rollout_kit_track="canary"',
      'baseline-selector': ''
    })
    expect(await podsSelectedBy(suite.cluster, first.outputs['canary-selector'])).toEqual([
      pod.metadata.name
    ])
    expect(await podsSelectedBy(suite.cluster, 'app="shop",rollout_kit_track="canary"')).toEqual([])

    const half = await canary('50')
    expect(half.outputs).toMatchObject({ weight: '50', changed: 'true' })
    expect(
      (await kubeOk(suite.cluster, 'GET', `${INGRESSES}/shop-canary`)).metadata.annotations
    ).toMatchObject({ 'nginx.ingress.kubernetes.io/canary-weight': '50' })
    await waitForEndpoints(suite.cluster, 'shop-canary', 'rollout-kit/workload=shop', 2)

    const production = await promote({
      stage: 'production',
      workload: 'deployment/shop',
      traffic: 'nginx'
    })
    expectSucceeded(production)
    expect(imageOfDeployment(await deployment(suite.cluster, 'shop'))).toBe(image('b'))
    expect(await kubeFind(suite.cluster, `${INGRESSES}/shop-canary`)).toBeUndefined()
    expect(
      await kubeFind(suite.cluster, '/api/v1/namespaces/dev/services/shop-canary')
    ).toBeUndefined()
    expect(await deployment(suite.cluster, 'shop-canary')).toBeUndefined()
    expect((await kubeOk(suite.cluster, 'GET', `${INGRESSES}/shop`)).spec).toEqual(original.spec)
    await waitForEndpoints(suite.cluster, 'shop', 'app=shop', 4)
    const seen = await stableEndpoints.stop()
    expect(seen.length).toBeGreaterThanOrEqual(8)
    expect(seen.filter((name) => name.startsWith('shop-canary-'))).toEqual([])
  }, 120_000)
})

describe('promote canary with traffic gateway-api', () => {
  it('sets HTTPRoute weights (with a baseline too), restores the route, and rolls back fast', async () => {
    await stableWorkload(suite.cluster, 'cart')
    await kubeOk(suite.cluster, 'POST', ROUTES, httpRouteObject('cart', 'dev', 'cart'))
    await kubeOk(suite.cluster, 'POST', ROUTES, httpRouteObject('other', 'dev', 'elsewhere'))
    const original = (await kubeOk(suite.cluster, 'GET', `${ROUTES}/cart`)).spec
    const canary = (source: string, weight: string, extra: Record<string, string> = {}) =>
      promote({
        stage: 'canary',
        workload: 'deployment/cart',
        source,
        traffic: 'gateway-api',
        weight,
        ...extra
      })

    const unrelated = await canary(image('b'), '20', { route: 'other' })
    expectFailed(
      unrelated,
      'HTTPRoute other in namespace dev does not send traffic to Service cart: none of its backendRefs names it'
    )

    expectSucceeded(await canary(image('b'), '20'))
    expect(await backends('cart')).toEqual(['cart 80', 'cart-canary 20'])
    await waitForEndpoints(
      suite.cluster,
      'cart-canary',
      'rollout-kit/track=canary,rollout-kit/workload=cart',
      1
    )
    await waitForEndpoints(suite.cluster, 'cart', 'app=cart', 4)
    const production = await promote({ stage: 'production', workload: 'deployment/cart' })
    expectSucceeded(production)
    expect((await kubeOk(suite.cluster, 'GET', `${ROUTES}/cart`)).spec).toEqual(original)
    expect(
      (await kubeOk(suite.cluster, 'GET', `${ROUTES}/cart`)).metadata.annotations ?? {}
    ).not.toHaveProperty('rollout-kit/original-backends')
    expect(imageOfDeployment(await deployment(suite.cluster, 'cart'))).toBe(image('b'))

    const withBaseline = await canary(image('c'), '20', { baseline: 'true' })
    expectSucceeded(withBaseline)
    expect(await backends('cart')).toEqual(['cart 60', 'cart-canary 20', 'cart-baseline 20'])
    expect(imageOfDeployment(await deployment(suite.cluster, 'cart-baseline'))).toBe(image('b'))
    const baselinePods = (
      await pods(suite.cluster, 'rollout-kit/track=baseline,rollout-kit/workload=cart')
    ).map((p) => p.metadata.name)
    expect(baselinePods).toHaveLength(1)
    expect(await podsSelectedBy(suite.cluster, withBaseline.outputs['baseline-selector'])).toEqual(
      baselinePods
    )
    const canaryPods = await podsSelectedBy(suite.cluster, withBaseline.outputs['canary-selector'])
    expect(canaryPods).toHaveLength(1)
    expect(canaryPods).not.toEqual(baselinePods)
    await waitForEndpoints(
      suite.cluster,
      'cart-baseline',
      'rollout-kit/track=baseline,rollout-kit/workload=cart',
      1
    )
    // called again without a baseline: the weights go to stable and canary, the baseline goes
    const half = await canary(image('c'), '50')
    expectSucceeded(half, { weight: '50', changed: 'true' })
    expect(await backends('cart')).toEqual(['cart 50', 'cart-canary 50'])
    expect(await deployment(suite.cluster, 'cart-baseline')).toBeUndefined()
    expect(
      await kubeFind(suite.cluster, '/api/v1/namespaces/dev/services/cart-baseline')
    ).toBeUndefined()
    // the same canary by another traffic method would mix two routings
    const nginx = await canary(image('c'), '50', { traffic: 'nginx' })
    expectFailed(
      nginx,
      'Refusing stage canary with traffic nginx: the canary on deployment/cart in namespace dev runs with traffic gateway-api'
    )
    expect(await backends('cart')).toEqual(['cart 50', 'cart-canary 50'])

    // the timed rollback: from a 50 % canary to stable only
    let canaryGone = 0
    let routeRestored = 0
    const deployments = kubeWatch(
      suite.cluster,
      '/apis/apps/v1/namespaces/dev/deployments?fieldSelector=metadata.name%3Dcart-canary',
      (event) => {
        if (event.type === 'DELETED') canaryGone ||= Date.now()
      }
    )
    const routes = kubeWatch(
      suite.cluster,
      `${ROUTES}?fieldSelector=metadata.name%3Dcart`,
      (event) => {
        const refs = (event.object.spec?.rules?.[0]?.backendRefs ?? []) as { name: string }[]
        if (event.type === 'MODIFIED' && refs.every((r) => r.name === 'cart'))
          routeRestored ||= Date.now()
      }
    )
    await new Promise((resolve) => setTimeout(resolve, 300))
    const started = Date.now()
    const rollback = await promote({ stage: 'rollback', workload: 'deployment/cart' })
    const finished = Date.now()
    deployments.stop()
    routes.stop()
    expectSucceeded(rollback)
    expect(canaryGone).toBeGreaterThan(started)
    expect(routeRestored).toBeGreaterThan(started)
    // traffic leaves the canary before the canary goes (timings: npm run bench promote-rollback)
    expect(routeRestored).toBeLessThanOrEqual(canaryGone)
    expect(canaryGone).toBeLessThanOrEqual(finished)
    expect(rollback.outputs).toMatchObject({ image: image('b'), 'previous-image': image('c') })
    expect(await backends('cart')).toEqual(['cart 1'])
    await waitForEndpoints(suite.cluster, 'cart', 'app=cart', 4)
    expect(await stateOf(suite.cluster, 'cart')).toMatchObject({
      stage: 'rolled-back',
      'stable-image': image('b')
    })

    // after production, a rollback goes back to the previous image, once
    const direct = await promote({
      stage: 'production',
      workload: 'deployment/cart',
      source: image('d')
    })
    expect(direct.outputs).toMatchObject({ image: image('d'), 'previous-image': image('b') })
    const back = await promote({ stage: 'rollback', workload: 'deployment/cart' })
    expectSucceeded(back, {
      image: image('b'),
      'previous-image': image('d'),
      changed: 'true'
    })
    const live = await expectRunning(suite.cluster, 'cart', image('b'), 4)
    const twice = await promote({ stage: 'rollback', workload: 'deployment/cart' })
    expectSucceeded(twice, { changed: 'false', image: image('b') })
    // a rollback asked to go to another image (an older one) refuses, and changes nothing
    const older = await promote({
      stage: 'rollback',
      workload: 'deployment/cart',
      source: image('a')
    })
    expectFailed(
      older,
      `Refusing stage rollback to ${image('a')}: the last good image recorded on deployment/cart in namespace dev is ${image('b')}`
    )
    expect((await deployment(suite.cluster, 'cart'))?.metadata.generation).toBe(
      live?.metadata.generation
    )
  }, 150_000)
})
