import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { parse } from 'yaml'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  ensureControlPlaneBinaries,
  startControlPlane,
  type ControlPlane
} from './kube-control-plane.js'
import { deploymentObject, type DeploymentOptions } from './kube-objects.js'
import { kubeOk, kubeRequest, waitFor, type KubeList, type KubeObject } from './kube-request.js'

let cluster: ControlPlane

beforeAll(async () => {
  cluster = await startControlPlane()
}, 90_000)
afterAll(() => cluster?.stop())

const DIGEST = `sha256:${'a'.repeat(64)}`

const deployment = (name: string, image: string, options: DeploymentOptions = {}): KubeObject =>
  deploymentObject(name, image, { containerPort: 8080, ...options })

const deployments = (ns = 'dev'): string => `/apis/apps/v1/namespaces/${ns}/deployments`

async function create(name: string, image: string, options: DeploymentOptions = {}): Promise<void> {
  await kubeOk(cluster, 'POST', deployments(), deployment(name, image, options))
}

function available(name: string, replicas: number): Promise<KubeObject> {
  return waitFor(
    `deployment ${name} to have ${replicas} available replicas`,
    async () => {
      const d = await kubeOk(cluster, 'GET', `${deployments()}/${name}`)
      const s = d.status ?? {}
      return (
        s.observedGeneration === d.metadata.generation &&
        s.availableReplicas === replicas &&
        s.updatedReplicas === replicas &&
        (s.replicas ?? 0) === replicas &&
        d
      )
    },
    { timeoutMs: 20_000 }
  )
}

function pods(selector: string): Promise<KubeList> {
  return kubeOk<KubeList>(
    cluster,
    'GET',
    `/api/v1/namespaces/dev/pods?labelSelector=${encodeURIComponent(selector)}`
  )
}

describe('kube control plane', () => {
  it('serves the API with TLS and hands out kubeconfigs', async () => {
    expect(cluster.server).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
    const version = await kubeOk<{ gitVersion: string }>(cluster, 'GET', '/version')
    expect(version.gitVersion).toMatch(/^v1\.20\./)
    const config = parse(cluster.deployer.kubeconfig) as {
      users: { user: { token: string } }[]
      contexts: { context: { namespace: string } }[]
    }
    expect(config.users[0]?.user.token).toBe(cluster.deployer.token)
    expect(config.contexts[0]?.context.namespace).toBe('dev')
    const nodes = await kubeOk<KubeList>(cluster, 'GET', '/api/v1/nodes')
    const ready = nodes.items[0]?.status.conditions.find(
      (c: { type: string }) => c.type === 'Ready'
    )
    expect(nodes.items.map((n) => n.metadata.name)).toEqual(['node-1'])
    expect(ready.status).toBe('True')
  })

  it('rolls a Deployment out to available, then rolls a new ReplicaSet on an image change', async () => {
    const started = Date.now()
    await create('web', `registry.test/web@${DIGEST}`)
    await available('web', 2)
    const firstRollout = Date.now() - started
    expect(firstRollout).toBeLessThan(20_000)
    const running = await pods('app=web')
    expect(running.items).toHaveLength(2)
    for (const pod of running.items) {
      expect(pod.spec.nodeName).toBe('node-1')
      expect(pod.status.phase).toBe('Running')
      expect(pod.status.podIP).toMatch(/^10\.1\.0\.\d+$/)
      expect(pod.status.containerStatuses[0]).toMatchObject({
        image: `registry.test/web@${DIGEST}`,
        imageID: `registry.test/web@${DIGEST}`,
        ready: true,
        started: true,
        restartCount: 0
      })
    }

    await kubeOk(
      cluster,
      'PATCH',
      `${deployments()}/web`,
      {
        spec: {
          template: { spec: { containers: [{ name: 'app', image: 'registry.test/web:v2' }] } }
        }
      },
      { contentType: 'application/strategic-merge-patch+json' }
    )
    const rolled = await available('web', 2)
    expect(rolled.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('2')
    const sets = await kubeOk<KubeList>(
      cluster,
      'GET',
      '/apis/apps/v1/namespaces/dev/replicasets?labelSelector=app%3Dweb'
    )
    const byImage = Object.fromEntries(
      sets.items.map((rs) => [rs.spec.template.spec.containers[0].image, rs.spec.replicas])
    )
    expect(byImage).toEqual({ [`registry.test/web@${DIGEST}`]: 0, 'registry.test/web:v2': 2 })
    // the old pods are gone (the node finishes their deletion as a kubelet would)
    await waitFor('old pods to go', async () => {
      const left = await pods('app=web')
      return (
        left.items.length === 2 &&
        left.items.every((p) => p.spec.containers[0].image === 'registry.test/web:v2')
      )
    })
  })

  it('keeps pods of a failing image unready until the progress deadline passes', async () => {
    cluster.node.failImages.add('registry.test/broken')
    await create('broken', 'registry.test/broken:1', { replicas: 1, progressDeadlineSeconds: 5 })
    const stalled = await waitFor(
      'deployment broken to exceed its progress deadline',
      async () => {
        const d = await kubeOk(cluster, 'GET', `${deployments()}/broken`)
        const progressing = (d.status?.conditions ?? []).find(
          (c: { type: string }) => c.type === 'Progressing'
        )
        return progressing?.reason === 'ProgressDeadlineExceeded' && d
      },
      { timeoutMs: 25_000 }
    )
    expect(stalled.status.availableReplicas ?? 0).toBe(0)
    const [pod] = (await pods('app=broken')).items
    expect(pod?.status.phase).toBe('Running')
    expect(pod?.status.containerStatuses[0].ready).toBe(false)

    // the sets are live: once the image works, the same pod turns Ready and the rollout completes
    cluster.node.failImages.delete('registry.test/broken')
    await available('broken', 1)
  })

  it('shows crash-looping containers with a rising restart count', async () => {
    cluster.node.crashImages.add(`registry.test/crash@${DIGEST}`)
    await create('crash', `registry.test/crash@${DIGEST}`, { replicas: 1 })
    const status = await waitFor(
      'a crash-looping pod restarted twice',
      async () => {
        const [pod] = (await pods('app=crash')).items
        const container = pod?.status?.containerStatuses?.[0]
        return container?.restartCount >= 2 && container
      },
      { timeoutMs: 15_000 }
    )
    expect(status.state.waiting.reason).toBe('CrashLoopBackOff')
    expect(status.lastState.terminated.exitCode).toBe(1)
    expect(status.ready).toBe(false)
  })

  it('reports ImagePullBackOff for images the node cannot pull', async () => {
    cluster.node.pullFailImages.add('registry.test/missing:1')
    await create('missing', 'registry.test/missing:1', { replicas: 1 })
    const pod = await waitFor('a pod in ImagePullBackOff', async () => {
      const [found] = (await pods('app=missing')).items
      return (
        found?.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'ImagePullBackOff' &&
        found
      )
    })
    expect(pod.status.phase).toBe('Pending')
  })

  it('lets the deployer deploy to dev only (RBAC)', async () => {
    const deployer = cluster.as('deployer')
    const inDev = await kubeRequest(
      deployer,
      'POST',
      deployments('dev'),
      deployment('mine', 'registry.test/mine:1', { replicas: 1 })
    )
    expect(inDev.status).toBe(201)
    const inDefault = await kubeRequest<{ reason: string; message: string }>(
      deployer,
      'POST',
      deployments('default'),
      deployment('mine', 'registry.test/mine:1', { replicas: 1 })
    )
    expect(inDefault.status).toBe(403)
    expect(inDefault.body.reason).toBe('Forbidden')
    expect(inDefault.body.message).toContain('User "deployer" cannot create resource "deployments"')
    expect((await kubeRequest(deployer, 'GET', '/api/v1/nodes')).status).toBe(403)
    await available('mine', 1)
  })

  it('gives a Service the endpoints of its ready pods', async () => {
    await kubeOk(cluster, 'POST', '/api/v1/namespaces/dev/services', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web' },
      spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] }
    })
    const ips = (await pods('app=web')).items.map((p) => p.status.podIP).sort()
    const endpoints = await waitFor('endpoints of service web', async () => {
      const e = await kubeOk(cluster, 'GET', '/api/v1/namespaces/dev/endpoints/web')
      const subsets = (e.subsets ?? []) as {
        addresses?: { ip: string }[]
        ports: { port: number }[]
      }[]
      const found = subsets.flatMap((s) => (s.addresses ?? []).map((a) => a.ip)).sort()
      return found.length === 2 && { found, port: subsets[0]?.ports[0]?.port }
    })
    expect(endpoints).toEqual({ found: ips, port: 8080 })
  })

  it('serves custom resources (an HTTPRoute-like CRD with a structural schema)', async () => {
    await kubeOk(cluster, 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'routes.example.rollout-kit.dev' },
      spec: {
        group: 'example.rollout-kit.dev',
        scope: 'Namespaced',
        names: { plural: 'routes', singular: 'route', kind: 'Route' },
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: {
              openAPIV3Schema: {
                type: 'object',
                properties: {
                  spec: {
                    type: 'object',
                    properties: { weight: { type: 'integer', minimum: 0, maximum: 100 } }
                  }
                }
              }
            }
          }
        ]
      }
    })
    const path = '/apis/example.rollout-kit.dev/v1/namespaces/dev/routes'
    // the API server needs a moment to serve a new CRD; a 1.20 built with the vendored reflect2
    // 1.0.1 on Go >= 1.18 crashed here instead
    const created = await waitFor('the Route kind to be served', async () => {
      const res = await kubeRequest(cluster, 'POST', path, {
        apiVersion: 'example.rollout-kit.dev/v1',
        kind: 'Route',
        metadata: { name: 'web' },
        spec: { weight: 20 }
      })
      return res.status === 201 && res.body
    })
    expect(created).toMatchObject({ spec: { weight: 20 } })
    const list = await kubeOk<KubeList>(cluster, 'GET', path)
    expect(list.items.map((item) => item.metadata.name)).toEqual(['web'])
    const invalid = await kubeRequest(cluster, 'POST', path, {
      apiVersion: 'example.rollout-kit.dev/v1',
      kind: 'Route',
      metadata: { name: 'bad' },
      spec: { weight: 120 }
    })
    expect(invalid.status).toBe(422)
  })

  it('has not met API errors in the fake node', () => {
    expect(cluster.node.recentErrors).toEqual([])
  })
})

describe('ensureControlPlaneBinaries', () => {
  it('finds the cached build', () => {
    const binaries = ensureControlPlaneBinaries()
    expect(binaries.version).toMatch(/^kubernetes 1\.20\./)
    expect(cluster.version).toBe(binaries.version)
  })

  it('fails with what to run when the cache is empty', () => {
    const saved = process.env.ROLLOUT_KIT_CACHE
    const empty = mkdtempSync(join(tmpdir(), 'rollout-kit-empty-cache-'))
    process.env.ROLLOUT_KIT_CACHE = empty
    try {
      expect(() => ensureControlPlaneBinaries()).toThrow(/scripts\/kube\/build-control-plane\.sh/)
    } finally {
      if (saved === undefined) delete process.env.ROLLOUT_KIT_CACHE
      else process.env.ROLLOUT_KIT_CACHE = saved
      rmSync(empty, { recursive: true, force: true })
    }
  })
})
