import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { KubeConfig } from '@kubernetes/client-node'
import { connect, createServer, type Socket } from 'node:net'
import { KubeClient, UnknownKindError } from '../../src/kube/client.js'
import { KubeError } from '../../src/kube/errors.js'
import type { KubeObject } from '../../src/kube/manifests.js'
import type { RetryPolicy } from '../../src/retry/index.js'
import { startControlPlane, type ControlPlane } from '../../harness/kube-control-plane.js'
import { kubeOk, kubeRequest, waitFor } from '../../harness/kube-request.js'
import { rejection } from '../../harness/rejection.js'
import { freePort } from '../../harness/ports.js'

let cluster: ControlPlane
let admin: KubeClient

beforeAll(async () => {
  cluster = await startControlPlane()
  admin = new KubeClient(kubeConfig(cluster.kubeconfig))
}, 90_000)
afterAll(() => cluster?.stop())

function kubeConfig(yaml: string): KubeConfig {
  const kc = new KubeConfig()
  kc.loadFromString(yaml)
  return kc
}

/** A retry policy that records its waits instead of sleeping them. */
function recordingRetry(attempts: number): RetryPolicy & { waits: number[] } {
  const waits: number[] = []
  return {
    attempts,
    baseDelayMs: 10,
    maxDelayMs: 50,
    waits,
    sleep: async (ms) => void waits.push(ms)
  }
}

function configMap(name: string, data: Record<string, string>, namespace = 'dev'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace, labels: { suite: 'client' } },
    data
  }
}

const WIDGETS = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.rollout-kit.dev' },
  spec: {
    group: 'example.rollout-kit.dev',
    scope: 'Namespaced',
    names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: { spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } }
          }
        }
      }
    ]
  }
}

describe('discovery', () => {
  it.each([
    ['v1', 'Pod', { plural: 'pods', group: '', version: 'v1', namespaced: true }],
    ['v1', 'Namespace', { plural: 'namespaces', group: '', version: 'v1', namespaced: false }],
    ['apps/v1', 'Deployment', { plural: 'deployments', group: 'apps', namespaced: true }],
    ['batch/v1', 'Job', { plural: 'jobs', group: 'batch', version: 'v1', namespaced: true }],
    ['batch/v1beta1', 'CronJob', { plural: 'cronjobs', group: 'batch', version: 'v1beta1' }]
  ])('finds %s %s', async (apiVersion, kind, expected) => {
    const info = await admin.resource(apiVersion, kind)
    expect(info).toMatchObject(expected)
    expect(info.verbs).toEqual(expect.arrayContaining(['get', 'list', 'create', 'patch', 'delete']))
  })

  it('finds the kind a CustomResourceDefinition adds, and keeps its schema as written', async () => {
    await admin.apply(WIDGETS, { fieldManager: 'client-test' })
    const info = await waitFor('the Widget kind to be served', () =>
      admin.resource('example.rollout-kit.dev/v1', 'Widget').catch(() => undefined)
    )
    expect(info).toEqual({
      plural: 'widgets',
      group: 'example.rollout-kit.dev',
      version: 'v1',
      namespaced: true,
      verbs: expect.arrayContaining(['get', 'patch'])
    })
    // client-node's typed models would have dropped this key on the way out
    const stored = await kubeOk(
      cluster,
      'GET',
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.rollout-kit.dev'
    )
    expect(stored.spec.versions[0].schema.openAPIV3Schema.properties.spec).toEqual({
      type: 'object',
      'x-kubernetes-preserve-unknown-fields': true
    })
    // No Widget is created: this kube-apiserver build (1.20 with Go 1.19) crashes decoding custom
    // resources (json-iterator over modern-go/reflect2 1.0.1 faults on Go >= 1.18).
  })

  it('names the kinds of the apiVersion when it has no such kind', async () => {
    const error = await rejection(admin.resource('batch/v1', 'CronJob'))
    expect(error).toBeInstanceOf(UnknownKindError)
    expect(error.message).toBe(
      `Kubernetes API ${cluster.server} has no kind CronJob in apiVersion batch/v1; batch/v1 has: Job`
    )
    const typo = await rejection(admin.resource('apps/v1', 'Deploymnet'))
    expect(typo.message).toContain(
      'has no kind Deploymnet in apiVersion apps/v1; apps/v1 has: ControllerRevision, DaemonSet, Deployment, ReplicaSet, StatefulSet'
    )
  })

  it('says when an apiVersion is not served, with the versions its group has', async () => {
    const old = await rejection(admin.resource('extensions/v1beta2', 'Deployment'))
    expect(old).toBeInstanceOf(UnknownKindError)
    expect(old.message).toBe(
      `Kubernetes API ${cluster.server} does not serve apiVersion extensions/v1beta2 (kind Deployment); its group is served as: extensions/v1beta1`
    )
    const unknown = await rejection(admin.resource('nothing.example.com/v1', 'Thing'))
    expect(unknown.message).toContain(
      'does not serve apiVersion nothing.example.com/v1 (kind Thing); no such API group is served'
    )
  })
})

describe('objects', () => {
  it('applies, gets, lists by label and deletes', async () => {
    const created = await admin.apply<KubeObject>(configMap('one', { a: '1' }), {
      fieldManager: 'client-test'
    })
    expect(created.metadata.uid).toEqual(expect.any(String))
    await admin.apply(configMap('two', { b: '2' }), { fieldManager: 'client-test' })
    const ref = { apiVersion: 'v1', kind: 'ConfigMap', name: 'one', namespace: 'dev' }
    expect((await admin.get<KubeObject>(ref))?.data).toEqual({ a: '1' })

    const listed = await admin.list<KubeObject>('v1', 'ConfigMap', 'dev', {
      labelSelector: 'suite=client'
    })
    expect(listed.map((o) => [o.kind, o.apiVersion, o.metadata.name]).sort()).toEqual([
      ['ConfigMap', 'v1', 'one'],
      ['ConfigMap', 'v1', 'two']
    ])
    const byField = await admin.list<KubeObject>('v1', 'ConfigMap', 'dev', {
      fieldSelector: 'metadata.name=two'
    })
    expect(byField.map((o) => o.metadata.name)).toEqual(['two'])

    await admin.delete(ref)
    expect(await admin.get(ref)).toBeUndefined()
    await admin.delete(ref) // already gone: still fine
  })

  it('creates objects, with a generated name, and not at all in a dry run', async () => {
    const draft = { ...configMap('', { d: '1' }), metadata: { generateName: 'draft-' } }
    const dry = await admin.create<KubeObject>(
      { ...draft, metadata: { name: 'dry' } },
      {
        dryRun: true
      }
    )
    expect(dry.metadata.namespace).toBe('default')
    expect(await admin.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'dry' })).toBeUndefined()
    const made = await admin.create<KubeObject>(
      { ...draft, metadata: { ...draft.metadata, namespace: 'dev' } },
      { fieldManager: 'client-test' }
    )
    expect(made.metadata.name).toMatch(/^draft-\w{5}$/)
    const stored = await kubeOk(
      cluster,
      'GET',
      `/api/v1/namespaces/dev/configmaps/${made.metadata.name}`
    )
    expect(stored.data).toEqual({ d: '1' })
  })

  it('returns undefined for an object or a namespace that does not exist', async () => {
    const missing = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'nope', namespace: 'dev' }
    expect(await admin.get(missing)).toBeUndefined()
    expect(await admin.get({ ...missing, namespace: 'no-such-namespace' })).toBeUndefined()
  })

  it('uses the namespace of the kubeconfig context when a ref names none', async () => {
    const deployer = new KubeClient(kubeConfig(cluster.deployer.kubeconfig))
    expect([admin.namespace, deployer.namespace]).toEqual(['default', 'dev'])
    const { metadata, ...rest } = configMap('defaulted', { x: '1' })
    await deployer.apply({ ...rest, metadata: { name: metadata.name } }, { fieldManager: 'ci' })
    const stored = await kubeOk(cluster, 'GET', '/api/v1/namespaces/dev/configmaps/defaulted')
    expect(stored.data).toEqual({ x: '1' })
  })

  it('updates through mutate, and writes nothing when mutate returns undefined', async () => {
    await admin.apply(configMap('counter', { n: '1' }), { fieldManager: 'client-test' })
    const ref = { apiVersion: 'v1', kind: 'ConfigMap', name: 'counter', namespace: 'dev' }
    const updated = await admin.update<KubeObject>(ref, (live) => ({
      ...live,
      data: { n: String(Number((live.data as { n: string }).n) + 1) }
    }))
    expect(updated.data).toEqual({ n: '2' })
    const unchanged = await admin.update<KubeObject>(ref, () => undefined)
    expect(unchanged.metadata.resourceVersion).toBe(updated.metadata.resourceVersion)

    const gone = await rejection(admin.update({ ...ref, name: 'absent' }, (live) => live))
    expect(gone).toBeInstanceOf(KubeError)
    expect(gone.message).toContain('update configmaps/absent in namespace dev failed (HTTP 404')
  })

  it('survives a real conflict: another writer changes the object between read and write', async () => {
    await admin.apply(configMap('contended', { mine: 'old', theirs: 'old' }), {
      fieldManager: 'client-test'
    })
    const ref = { apiVersion: 'v1', kind: 'ConfigMap', name: 'contended', namespace: 'dev' }
    const versions: unknown[] = []
    const result = await admin.update<KubeObject>(ref, async (live) => {
      versions.push(live.metadata.resourceVersion)
      if (versions.length === 1) {
        // the other writer, through its own connection, after our read and before our write
        await kubeOk(cluster, 'PATCH', '/api/v1/namespaces/dev/configmaps/contended', {
          data: { theirs: 'new' }
        })
      }
      return { ...live, data: { ...(live.data as object), mine: 'new' } }
    })
    // a second read (with a newer resourceVersion) happens only after the API server's 409
    expect(versions).toHaveLength(2)
    expect(versions[0]).not.toBe(versions[1])
    expect(result.data).toEqual({ mine: 'new', theirs: 'new' })
    const stored = await kubeOk(cluster, 'GET', '/api/v1/namespaces/dev/configmaps/contended')
    expect(stored.data).toEqual({ mine: 'new', theirs: 'new' })
  })
})

/** A TCP relay to the API server that resets the first `resets` connections it accepts. */
async function resettingRelay(
  target: string,
  resets: number
): Promise<{ url: string; accepted: () => number; stop: () => Promise<void> }> {
  const { hostname, port } = new URL(target)
  const sockets = new Set<Socket>()
  let accepted = 0
  const server = createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    if (++accepted <= resets) {
      socket.resetAndDestroy()
      return
    }
    const upstream = connect(Number(port), hostname)
    sockets.add(upstream)
    upstream.on('close', () => sockets.delete(upstream))
    socket.pipe(upstream).pipe(socket)
    socket.on('error', () => upstream.destroy())
    upstream.on('error', () => socket.destroy())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const relayPort = typeof address === 'object' && address ? address.port : 0
  return {
    url: `https://127.0.0.1:${relayPort}`,
    accepted: () => accepted,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      })
  }
}

describe('failures', () => {
  it('names verb, resource and namespace when RBAC forbids, without retrying', async () => {
    const retry = recordingRetry(5)
    const deployer = new KubeClient(kubeConfig(cluster.deployer.kubeconfig), { retry })
    const error = await rejection(
      deployer.apply(configMap('intruder', { a: '1' }, 'default'), { fieldManager: 'ci' })
    )
    expect(error).toBeInstanceOf(KubeError)
    expect(error).toMatchObject({
      status: 403,
      reason: 'Forbidden',
      verb: 'patch',
      resource: 'configmaps',
      namespace: 'default'
    })
    expect(error.message).toContain(
      `Kubernetes API ${cluster.server}: patch configmaps/intruder in namespace default failed ` +
        '(HTTP 403 Forbidden): not allowed to patch configmaps in namespace default'
    )
    const secrets = await rejection(deployer.list('v1', 'Secret', 'dev'))
    expect(secrets.message).toContain(
      'list secrets in namespace dev failed (HTTP 403 Forbidden): not allowed to list secrets in namespace dev'
    )
    const apps = await rejection(
      deployer.get({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: 'web',
        namespace: 'kube-system'
      })
    )
    expect(apps.message).toContain(
      'get deployments.apps/web in namespace kube-system failed (HTTP 403 Forbidden)'
    )
    expect(retry.waits).toEqual([])
  })

  it('names the server at once when nothing listens there', async () => {
    const server = `https://127.0.0.1:${await freePort()}`
    const retry = recordingRetry(5)
    const client = new KubeClient(kubeConfig(cluster.kubeconfig.replace(cluster.server, server)), {
      retry
    })
    const started = Date.now()
    const error = await rejection(client.get({ apiVersion: 'v1', kind: 'ConfigMap', name: 'x' }))
    expect(error).toBeInstanceOf(KubeError)
    expect(error.message).toBe(
      `Kubernetes API ${server}: get /api/v1 failed: the API server is unreachable (ECONNREFUSED)`
    )
    expect(retry.waits).toEqual([])
    expect(Date.now() - started).toBeLessThan(2_000)
  })

  it('gives up on an API server that does not answer in time, naming it', async () => {
    // a listener that accepts connections and never says a word
    const sockets = new Set<Socket>()
    const silent = createServer((socket) => void sockets.add(socket))
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    const address = silent.address()
    const server = `https://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
    try {
      const retry = recordingRetry(2)
      const kc = kubeConfig(cluster.kubeconfig.replace(cluster.server, server))
      const client = new KubeClient(kc, { retry, timeoutMs: 300 })
      const error = await rejection(client.resource('v1', 'Pod'))
      expect(error).toBeInstanceOf(KubeError)
      expect(error).toMatchObject({ reason: 'ETIMEDOUT', status: undefined })
      expect(error.message).toBe(
        `Kubernetes API ${server}: get /api/v1 failed: no answer in 300 ms`
      )
      expect(retry.waits).toHaveLength(1)
    } finally {
      for (const socket of sockets) socket.destroy()
      await new Promise((resolve) => silent.close(resolve))
    }
  })

  it('retries connections that are reset, then gets its answer', async () => {
    const relay = await resettingRelay(cluster.server, 2)
    try {
      const retry = recordingRetry(5)
      const client = new KubeClient(
        kubeConfig(cluster.kubeconfig.replace(cluster.server, relay.url)),
        { retry }
      )
      const ns = await client.get<KubeObject>({ apiVersion: 'v1', kind: 'Namespace', name: 'dev' })
      expect(ns?.metadata.name).toBe('dev')
      expect(retry.waits).toHaveLength(2)
      expect(relay.accepted()).toBeGreaterThanOrEqual(3)
    } finally {
      await relay.stop()
    }
  })

  it('retries 503 answers of the API server a bounded number of times, then names the status', async () => {
    // an aggregated API whose service does not exist: the real API server answers 503 for it
    await kubeOk(cluster, 'POST', '/apis/apiregistration.k8s.io/v1/apiservices', {
      apiVersion: 'apiregistration.k8s.io/v1',
      kind: 'APIService',
      metadata: { name: 'v1.absent.rollout-kit.dev' },
      spec: {
        group: 'absent.rollout-kit.dev',
        version: 'v1',
        service: { namespace: 'dev', name: 'absent', port: 443 },
        insecureSkipTLSVerify: true,
        groupPriorityMinimum: 100,
        versionPriority: 10
      }
    })
    await waitFor('the absent API to answer 503', async () => {
      const res = await kubeRequest(cluster, 'GET', '/apis/absent.rollout-kit.dev/v1')
      return res.status === 503
    })
    const retry = recordingRetry(3)
    const client = new KubeClient(kubeConfig(cluster.kubeconfig), { retry })
    const error = await rejection(client.resource('absent.rollout-kit.dev/v1', 'Thing'))
    expect(error).toBeInstanceOf(KubeError)
    expect((error as KubeError).status).toBe(503)
    expect(error.message).toContain(
      `Kubernetes API ${cluster.server}: get /apis/absent.rollout-kit.dev/v1 failed (HTTP 503`
    )
    expect(retry.waits).toHaveLength(2)
  })
})
