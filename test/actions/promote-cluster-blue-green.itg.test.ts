import { describe, expect, it } from '@jest/globals'
import { httpRouteObject } from '../../harness/gateway-crd.js'
import { kubeOk } from '../../harness/kube-request.js'
import {
  deployment,
  expectFailed,
  expectRunning,
  expectSucceeded,
  image,
  imageOfDeployment,
  clusterSuite,
  stableWorkload,
  stateOf,
  waitForEndpoints
} from './promote-cluster-support.js'

const suite = clusterSuite({ httpRoutes: true })

const promote = suite.promote
const selector = async (name: string) =>
  (await kubeOk(suite.cluster, 'GET', `/api/v1/namespaces/dev/services/${name}`)).spec.selector
const ROUTES = '/apis/gateway.networking.k8s.io/v1/namespaces/dev/httproutes'
const GREEN = 'rollout-kit/track=green,rollout-kit/workload='

describe('promote blue-green (traffic replicas: the Service selector)', () => {
  it('switches to green, finalizes blue, deploys into blue, rolls back to green once', async () => {
    await stableWorkload(suite.cluster, 'bg', { replicas: 2 })
    const blueGreen = (inputs: Record<string, string>) =>
      promote({
        strategy: 'blue-green',
        workload: 'deployment/bg',
        'scale-down-delay': '0s',
        ...inputs
      })

    const first = await blueGreen({ stage: 'production', source: image('b') })
    expectSucceeded(first, {
      image: image('b'),
      'previous-image': image('a'),
      'active-color': 'green',
      changed: 'true'
    })
    const green = await deployment(suite.cluster, 'bg-green')
    expect(imageOfDeployment(green)).toBe(image('b'))
    expect(green?.status).toMatchObject({ availableReplicas: 2 })
    expect(await selector('bg')).toEqual({ app: 'bg-green', 'rollout-kit/track': 'green' })
    await waitForEndpoints(suite.cluster, 'bg', `${GREEN}bg`, 2)
    const blue = await deployment(suite.cluster, 'bg')
    expect(blue?.spec.replicas).toBe(2)
    expect(imageOfDeployment(blue)).toBe(image('a'))
    expect(await stateOf(suite.cluster, 'bg')).toMatchObject({
      stage: 'production',
      strategy: 'blue-green',
      'active-color': 'green',
      'stable-image': image('b'),
      'previous-image': image('a'),
      'blue-selector': '{"app":"bg"}',
      service: 'bg'
    })

    const canary = await promote({
      stage: 'canary',
      workload: 'deployment/bg',
      source: image('c'),
      weight: '10'
    })
    expectFailed(canary, 'it is a blue-green pair with the green colour serving')
    expect(await deployment(suite.cluster, 'bg-canary')).toBeUndefined()

    const finalize = await blueGreen({ stage: 'finalize' })
    expectSucceeded(finalize, { changed: 'true', 'active-color': 'green' })
    expect((await deployment(suite.cluster, 'bg'))?.spec.replicas).toBe(0)
    expect(await stateOf(suite.cluster, 'bg')).not.toHaveProperty('scale-down-at')

    const second = await blueGreen({ stage: 'production', source: image('c') })
    expectSucceeded(second, {
      image: image('c'),
      'previous-image': image('b'),
      'active-color': 'blue'
    })
    await expectRunning(suite.cluster, 'bg', image('c'), 2)
    expect(await selector('bg')).toEqual({ app: 'bg' })
    await waitForEndpoints(suite.cluster, 'bg', 'app=bg', 2)

    const rollback = await blueGreen({ stage: 'rollback' })
    expectSucceeded(rollback, {
      image: image('b'),
      'previous-image': image('c'),
      'active-color': 'green',
      changed: 'true'
    })
    expect(await selector('bg')).toEqual({ app: 'bg-green', 'rollout-kit/track': 'green' })
    await waitForEndpoints(suite.cluster, 'bg', `${GREEN}bg`, 2)
    const twice = await blueGreen({ stage: 'rollback' })
    expectSucceeded(twice, { changed: 'false', 'active-color': 'green' })
    expect(await selector('bg')).toEqual({ app: 'bg-green', 'rollout-kit/track': 'green' })
    expect(await stateOf(suite.cluster, 'bg')).toMatchObject({
      stage: 'rolled-back',
      'active-color': 'green',
      'stable-image': image('b')
    })
  }, 120_000)
})

describe('promote blue-green (traffic gateway-api: the HTTPRoute backend)', () => {
  it('switches the route to green and back on rollback', async () => {
    await stableWorkload(suite.cluster, 'bgw', { replicas: 2 })
    await kubeOk(suite.cluster, 'POST', ROUTES, httpRouteObject('bgw', 'dev', 'bgw'))
    const blueGreen = (inputs: Record<string, string>) =>
      promote({
        strategy: 'blue-green',
        traffic: 'gateway-api',
        workload: 'deployment/bgw',
        ...inputs
      })
    const refs = async () =>
      (
        (await kubeOk(suite.cluster, 'GET', `${ROUTES}/bgw`)).spec.rules[0].backendRefs as {
          name: string
        }[]
      ).map((r) => r.name)

    const production = await blueGreen({ stage: 'production', source: image('b') })
    expectSucceeded(production, { 'active-color': 'green' })
    expect(await refs()).toEqual(['bgw-green'])
    expect(await selector('bgw')).toEqual({ app: 'bgw' })
    await waitForEndpoints(suite.cluster, 'bgw-green', `${GREEN}bgw`, 2)
    await waitForEndpoints(suite.cluster, 'bgw', 'app=bgw', 2)

    const finalize = await blueGreen({ stage: 'finalize' })
    expect(finalize.outputs).toMatchObject({ changed: 'false' })
    expect((await deployment(suite.cluster, 'bgw'))?.spec.replicas).toBe(2)

    const otherway = await promote({
      stage: 'production',
      strategy: 'blue-green',
      workload: 'deployment/bgw',
      source: image('c')
    })
    expectFailed(
      otherway,
      'Refusing stage production with traffic replicas: the blue-green pair of deployment/bgw in namespace dev switches by gateway-api'
    )
    expect(await refs()).toEqual(['bgw-green'])

    // a rollback dispatched with no more than the stage and workload switches the way the pair was
    const rollback = await promote({ stage: 'rollback', workload: 'deployment/bgw' })
    expectSucceeded(rollback, { 'active-color': 'blue', image: image('a') })
    expect(await refs()).toEqual(['bgw'])
    expect(imageOfDeployment(await deployment(suite.cluster, 'bgw'))).toBe(image('a'))
  }, 90_000)
})
