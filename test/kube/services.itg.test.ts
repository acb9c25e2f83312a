import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { KubeClient } from '../../src/kube/client.js'
import type { KubeObject } from '../../src/kube/manifests.js'
import {
  deleteServiceIfPresent,
  ensureVariantService,
  findService,
  selectorMatches,
  setServiceSelector,
  TrafficError
} from '../../src/kube/traffic/services.js'
import { adminClientIn } from '../../harness/kube-client.js'
import { startControlPlane, type ControlPlane } from '../../harness/kube-control-plane.js'
import { rejection } from '../../harness/rejection.js'

const NS = 'svc'
const MANAGER = 'rollout-kit-test'

let cluster: ControlPlane
let client: KubeClient

beforeAll(async () => {
  cluster = await startControlPlane()
  client = await adminClientIn(cluster, NS)
  await create(service('web', { app: 'web' }, 'NodePort'))
  await create(service('multi-a', { app: 'multi' }))
  await create(service('multi-b', { app: 'multi', tier: 'front' }))
  await create(service('external', undefined))
}, 90_000)
afterAll(() => cluster?.stop())

function service(
  name: string,
  selector: Record<string, string> | undefined,
  type = 'ClusterIP'
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: NS, labels: { team: 'shop' } },
    spec: {
      type,
      ...(selector ? { selector } : {}),
      ports: [
        { name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' },
        { name: 'metrics', port: 9090, targetPort: 'metrics', protocol: 'TCP' }
      ]
    }
  }
}

const create = (object: KubeObject): Promise<unknown> => client.create(object)
/** A Service as the tests look at it. */
interface ServiceObject extends KubeObject {
  spec: { selector?: Record<string, string>; type: string; ports: { nodePort?: number }[] }
}

const get = (name: string): Promise<ServiceObject | undefined> =>
  client.get<ServiceObject>({ apiVersion: 'v1', kind: 'Service', name, namespace: NS })

describe('selectorMatches', () => {
  it.each([
    [{ app: 'web' }, { app: 'web', 'pod-template-hash': 'abc' }, true],
    [{ app: 'web', tier: 'front' }, { app: 'web' }, false],
    [{ app: 'web' }, { app: 'api' }, false],
    [{}, { app: 'web' }, false],
    [undefined, { app: 'web' }, false]
  ])('%j selects %j: %s', (selector, labels, expected) => {
    expect(selectorMatches(selector, labels)).toBe(expected)
  })
})

describe('findService', () => {
  const podLabels = { app: 'web', 'pod-template-hash': '5d8f7' }

  it('gets the named Service that selects the pods', async () => {
    const found = await findService(client, {
      namespace: NS,
      podLabels,
      name: 'web',
      workload: 'web'
    })
    expect(found.metadata.name).toBe('web')
    expect(found.spec).toMatchObject({ selector: { app: 'web' }, type: 'NodePort' })
  })

  it('finds the one Service selecting the pods when none is named', async () => {
    const found = await findService(client, { namespace: NS, podLabels, workload: 'web' })
    expect(found.metadata.name).toBe('web')
  })

  it('fails naming the labels when no Service selects the pods', async () => {
    const error = await rejection(
      findService(client, { namespace: NS, podLabels: { app: 'api' }, workload: 'api' })
    )
    expect(error).toBeInstanceOf(TrafficError)
    expect(error.message).toBe(
      "No Service in namespace svc selects the pods of api (labels app=api): create one, or name it in the 'service' input"
    )
  })

  it('fails listing the Services when several select the pods', async () => {
    const labels = { app: 'multi', tier: 'front' }
    const error = await rejection(
      findService(client, { namespace: NS, podLabels: labels, workload: 'multi' })
    )
    expect(error.message).toBe(
      "Several Services in namespace svc select the pods of multi: multi-a, multi-b; name the one to route with in the 'service' input"
    )
  })

  it('refuses a named Service without a selector', async () => {
    const error = await rejection(
      findService(client, { namespace: NS, podLabels, name: 'external', workload: 'web' })
    )
    expect(error).toBeInstanceOf(TrafficError)
    expect(error.message).toBe(
      'Service external in namespace svc has no selector: promote routes traffic by selecting pods'
    )
  })

  it('refuses a named Service whose selector does not select the pods', async () => {
    const error = await rejection(
      findService(client, { namespace: NS, podLabels, name: 'multi-b', workload: 'web' })
    )
    expect(error.message).toBe(
      'Service multi-b in namespace svc selects app=multi, tier=front, which does not select the pods of web (labels app=web, pod-template-hash=5d8f7)'
    )
  })

  it('names a Service that does not exist and its namespace', async () => {
    const error = await rejection(
      findService(client, { namespace: NS, podLabels, name: 'nope', workload: 'web' })
    )
    expect(error.message).toBe('Service nope does not exist in namespace svc')
  })
})

describe('ensureVariantService', () => {
  const selector = { app: 'web', 'rollout-kit/variant': 'canary' }
  const labels = { 'rollout-kit/variant': 'canary' }

  it("creates a ClusterIP Service with the stable Service's ports, then changes nothing", async () => {
    const stable = (await get('web')) as ServiceObject
    const opts = {
      namespace: NS,
      stable,
      name: 'web-canary',
      selector,
      labels,
      fieldManager: MANAGER
    }
    expect(await ensureVariantService(client, opts)).toBe(true)
    const created = (await get('web-canary')) as ServiceObject
    expect(created.metadata.labels).toEqual(labels)
    expect(created.metadata.annotations).toEqual({ 'rollout-kit/variant-of': 'web' })
    expect(created.spec).toMatchObject({ type: 'ClusterIP', selector })
    expect(created.spec.ports).toEqual([
      { name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' },
      { name: 'metrics', port: 9090, targetPort: 'metrics', protocol: 'TCP' }
    ])
    // the stable Service is a NodePort one: its node ports are not copied
    expect(stable.spec.ports[0]?.nodePort).toBeGreaterThan(0)

    expect(await ensureVariantService(client, opts)).toBe(false)
    const again = (await get('web-canary')) as ServiceObject
    expect(again.metadata.resourceVersion).toBe(created.metadata.resourceVersion)
  })

  it('changes the selector of an existing variant Service', async () => {
    const stable = (await get('web')) as ServiceObject
    const next = { app: 'web', 'rollout-kit/variant': 'canary', 'rollout-kit/run': '7' }
    const opts = {
      namespace: NS,
      stable,
      name: 'web-canary',
      selector: next,
      fieldManager: MANAGER
    }
    expect(await ensureVariantService(client, opts)).toBe(true)
    expect((await get('web-canary'))?.spec.selector).toEqual(next)
  })

  it('refuses to take over a Service that is not a variant of the stable one', async () => {
    const stable = (await get('web')) as ServiceObject
    const before = await get('multi-a')
    const error = await rejection(
      ensureVariantService(client, {
        namespace: NS,
        stable,
        name: 'multi-a',
        selector,
        fieldManager: MANAGER
      })
    )
    expect(error.message).toBe(
      'Service multi-a in namespace svc exists and is not a variant of Service web (annotation rollout-kit/variant-of: absent); rename or delete it'
    )
    expect(await get('multi-a')).toEqual(before)
  })

  it('refuses a stable Service without ports', async () => {
    await create({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'outside', namespace: NS },
      spec: { type: 'ExternalName', externalName: 'shop.example.test' }
    })
    const stable = (await get('outside')) as ServiceObject
    const error = await rejection(
      ensureVariantService(client, {
        namespace: NS,
        stable,
        name: 'outside-canary',
        selector,
        fieldManager: MANAGER
      })
    )
    expect(error).toBeInstanceOf(TrafficError)
    expect(error.message).toBe(
      'Service outside in namespace svc has no ports: a variant Service beside it needs the ports to serve'
    )
    expect(await get('outside-canary')).toBeUndefined()
  })
})

describe('setServiceSelector', () => {
  it('sets the selector exactly and returns the old one', async () => {
    await create(service('switch', { app: 'web', colour: 'blue', extra: 'x' }))
    const old = await setServiceSelector(client, {
      namespace: NS,
      name: 'switch',
      selector: { app: 'web', colour: 'green' },
      fieldManager: MANAGER
    })
    expect(old).toEqual({ app: 'web', colour: 'blue', extra: 'x' })
    const live = (await get('switch')) as ServiceObject
    expect(live.spec.selector).toEqual({ app: 'web', colour: 'green' })

    const same = await setServiceSelector(client, {
      namespace: NS,
      name: 'switch',
      selector: { app: 'web', colour: 'green' },
      fieldManager: MANAGER
    })
    expect(same).toEqual({ app: 'web', colour: 'green' })
    expect((await get('switch'))?.metadata.resourceVersion).toBe(live.metadata.resourceVersion)
  })

  it('names a Service that does not exist', async () => {
    const error = await rejection(
      setServiceSelector(client, {
        namespace: NS,
        name: 'gone',
        selector: { app: 'web' },
        fieldManager: MANAGER
      })
    )
    expect(error.message).toMatch(/update services\/gone in namespace svc failed \(HTTP 404/)
  })
})

describe('deleteServiceIfPresent', () => {
  it('deletes a Service and says whether it was there', async () => {
    await create(service('doomed', { app: 'doomed' }))
    expect(await deleteServiceIfPresent(client, NS, 'doomed')).toBe(true)
    expect(await get('doomed')).toBeUndefined()
    expect(await deleteServiceIfPresent(client, NS, 'doomed')).toBe(false)
  })
})
