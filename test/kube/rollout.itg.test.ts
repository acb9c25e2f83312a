import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { KubeConfig } from '@kubernetes/client-node'
import { KubeClient } from '../../src/kube/client.js'
import { KubeError } from '../../src/kube/errors.js'
import { rolloutState } from '../../src/kube/rollout/status.js'
import { waitForRollout, type WorkloadRef } from '../../src/kube/rollout/wait.js'
import { startControlPlane, type ControlPlane } from '../../harness/kube-control-plane.js'
import {
  deploymentObject,
  podTemplate,
  type DeploymentOptions
} from '../../harness/kube-objects.js'
import { kubeOk, kubeWatch, waitFor, type KubeObject } from '../../harness/kube-request.js'
import { freePort } from '../../harness/ports.js'
import { startTcpRelay } from '../../harness/tcp-relay.js'

let cluster: ControlPlane
let kube: KubeClient

beforeAll(async () => {
  cluster = await startControlPlane()
  kube = clientFor(cluster.kubeconfig)
}, 90_000)
afterAll(() => cluster?.stop())

function clientFor(yaml: string): KubeClient {
  const config = new KubeConfig()
  config.loadFromString(yaml)
  return new KubeClient(config)
}

const APPS = '/apis/apps/v1/namespaces/dev'

async function createDeployment(
  name: string,
  image: string,
  options: Pick<DeploymentOptions, 'replicas' | 'progressDeadlineSeconds'> = {}
): Promise<void> {
  const object = deploymentObject(name, image, { ...options, labelled: false })
  await kubeOk(cluster, 'POST', `${APPS}/deployments`, object)
}

async function setImage(resource: string, name: string, image: string): Promise<void> {
  await kubeOk(
    cluster,
    'PATCH',
    `${APPS}/${resource}/${name}`,
    { spec: { template: { spec: { containers: [{ name: 'app', image }] } } } },
    { contentType: 'application/strategic-merge-patch+json' }
  )
}

const deployment = (name: string): WorkloadRef => ({ kind: 'Deployment', name, namespace: 'dev' })

/** Resolves with the first progress message, for tests that act once the wait is under way. */
function progressTracker(): {
  messages: string[]
  first: Promise<string>
  onProgress: (m: string) => void
} {
  const messages: string[] = []
  let resolveFirst: (message: string) => void = () => undefined
  const first = new Promise<string>((resolve) => (resolveFirst = resolve))
  return {
    messages,
    first,
    onProgress: (message) => {
      messages.push(message)
      resolveFirst(message)
    }
  }
}

/** A TCP relay to the API server whose connections can be cut (TLS passes through it). */
describe('waitForRollout', () => {
  it('waits for a new Deployment to become available and gives its revision', async () => {
    await createDeployment('web', 'registry.test/web:1')
    const progress = progressTracker()
    const outcome = await waitForRollout(kube, deployment('web'), {
      timeoutMs: 30_000,
      onProgress: progress.onProgress
    })
    expect(outcome).toMatchObject({
      ok: true,
      revision: '1',
      message: 'deployment "web" successfully rolled out'
    })
    const live = await kubeOk(cluster, 'GET', `${APPS}/deployments/web`)
    expect(live.status.availableReplicas).toBe(2)
    expect(progress.messages.length).toBeGreaterThan(0)
    for (const message of progress.messages) expect(message).toMatch(/^Waiting for deployment/)
    // distinct: never the same message twice in a row
    progress.messages.forEach((message, i) => expect(message).not.toBe(progress.messages[i - 1]))
  })

  it('follows an image change to revision 2 and settles on the event that completes it', async () => {
    await createDeployment('shop', 'registry.test/shop:1')
    await expect(
      waitForRollout(kube, deployment('shop'), { timeoutMs: 30_000 })
    ).resolves.toMatchObject({ ok: true, revision: '1' })
    const before = await kubeOk(cluster, 'GET', `${APPS}/deployments/shop`)
    let completedAt: number | undefined
    const observer = kubeWatch(
      cluster,
      `${APPS}/deployments?fieldSelector=metadata.name%3Dshop&resourceVersion=${before.metadata.resourceVersion}`,
      (event) => {
        const object = event.object as KubeObject
        if (
          completedAt === undefined &&
          object.metadata.generation === 2 &&
          rolloutState(object).done
        )
          completedAt = Date.now()
      }
    )
    try {
      await setImage('deployments', 'shop', 'registry.test/shop:2')
      const progress = progressTracker()
      const outcome = await waitForRollout(kube, deployment('shop'), {
        timeoutMs: 30_000,
        onProgress: progress.onProgress
      })
      const settledAt = Date.now()
      expect(outcome).toMatchObject({ ok: true, revision: '2' })
      expect(progress.messages.length).toBeGreaterThan(0)
      const object = (outcome as { object: KubeObject }).object
      expect(object.spec.template.spec.containers[0].image).toBe('registry.test/shop:2')
      expect(object.status.availableReplicas).toBe(2)
      expect(object.status.updatedReplicas).toBe(2)
      // both watches get the same event from the API server; no polling interval lies between
      const seenAt = await waitFor(
        'a second watch to see the rollout complete',
        async () => completedAt
      )
      const lag = settledAt - seenAt
      // eslint-disable-next-line no-console -- the measured lag is worth seeing in the test output
      console.info(`waitForRollout settled ${lag} ms after a second watch saw the rollout complete`)
      expect(lag).toBeLessThan(1000)
    } finally {
      observer.stop()
    }
  })

  it("says when a Deployment exceeds its progress deadline (the controller's ProgressDeadlineExceeded)", async () => {
    cluster.node.failImages.add('registry.test/stuck')
    await createDeployment('stuck', 'registry.test/stuck:1', {
      replicas: 1,
      progressDeadlineSeconds: 5
    })
    const started = Date.now()
    const outcome = await waitForRollout(kube, deployment('stuck'), { timeoutMs: 60_000 })
    expect(outcome).toMatchObject({
      ok: false,
      reason: 'deadline',
      message: 'deployment "stuck" exceeded its progress deadline'
    })
    expect(Date.now() - started).toBeGreaterThanOrEqual(4000)
    const object = (outcome as { object: KubeObject }).object
    const progressing = object.status.conditions.find(
      (c: { type: string }) => c.type === 'Progressing'
    )
    expect(progressing).toMatchObject({ status: 'False', reason: 'ProgressDeadlineExceeded' })
  })

  it('times out with the last progress message', async () => {
    cluster.node.failImages.add('registry.test/slow')
    await createDeployment('slow', 'registry.test/slow:1', { replicas: 1 })
    const started = Date.now()
    const outcome = await waitForRollout(kube, deployment('slow'), { timeoutMs: 3000 })
    const elapsed = Date.now() - started
    expect(outcome).toMatchObject({ ok: false, reason: 'timeout' })
    expect(outcome.message).toBe(
      'deployment/slow in namespace dev did not finish its rollout within 3 s; last status: ' +
        'Waiting for deployment "slow" rollout to finish: 0 of 1 updated replicas are available...'
    )
    expect(elapsed).toBeGreaterThanOrEqual(3000)
    expect(elapsed).toBeLessThan(8000)
  })

  it('says when the workload is deleted while it waits', async () => {
    cluster.node.failImages.add('registry.test/doomed')
    await createDeployment('doomed', 'registry.test/doomed:1', { replicas: 1 })
    const progress = progressTracker()
    const waiting = waitForRollout(kube, deployment('doomed'), {
      timeoutMs: 30_000,
      onProgress: progress.onProgress
    })
    await progress.first
    await kubeOk(cluster, 'DELETE', `${APPS}/deployments/doomed`)
    await expect(waiting).resolves.toMatchObject({
      ok: false,
      reason: 'deleted',
      message: 'deployment/doomed in namespace dev was deleted while waiting for its rollout'
    })
  })

  it('stops promptly when aborted', async () => {
    cluster.node.failImages.add('registry.test/abandoned')
    await createDeployment('abandoned', 'registry.test/abandoned:1', { replicas: 1 })
    const progress = progressTracker()
    const abort = new AbortController()
    const waiting = waitForRollout(kube, deployment('abandoned'), {
      timeoutMs: 60_000,
      signal: abort.signal,
      onProgress: progress.onProgress
    })
    await progress.first
    const aborted = Date.now()
    abort.abort()
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' })
    expect(Date.now() - aborted).toBeLessThan(500)
    await expect(
      waitForRollout(kube, deployment('abandoned'), { timeoutMs: 1000, signal: abort.signal })
    ).rejects.toMatchObject({ name: 'AbortError' })
  })

  it('re-establishes the watch when the connection drops', async () => {
    const relay = await startTcpRelay(Number(new URL(cluster.server).port))
    try {
      cluster.node.failImages.add('registry.test/flaky')
      await createDeployment('flaky', 'registry.test/flaky:1', { replicas: 1 })
      const progress = progressTracker()
      const viaRelay = clientFor(
        cluster.kubeconfig.replace(cluster.server, `https://${relay.host}`)
      )
      const waiting = waitForRollout(viaRelay, deployment('flaky'), {
        timeoutMs: 30_000,
        onProgress: progress.onProgress
      })
      await progress.first
      // one connection for the GET, one for the watch (client-node connects anew for each request)
      await waitFor('the watch to connect through the relay', async () => relay.connections() >= 2)
      const before = relay.connections()
      await relay.cut({ refuse: false })
      cluster.node.failImages.delete('registry.test/flaky')
      await expect(waiting).resolves.toMatchObject({ ok: true, revision: '1' })
      expect(relay.connections()).toBeGreaterThan(before)
    } finally {
      await relay.stop()
    }
  })

  it('follows a StatefulSet through an update to its new revision', async () => {
    await kubeOk(cluster, 'POST', `${APPS}/statefulsets`, {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db' },
      spec: {
        replicas: 2,
        serviceName: 'db',
        selector: { matchLabels: { app: 'db' } },
        template: podTemplate('db', 'registry.test/db:1')
      }
    })
    const ref: WorkloadRef = { kind: 'StatefulSet', name: 'db', namespace: 'dev' }
    const first = await waitForRollout(kube, ref, { timeoutMs: 30_000 })
    expect(first).toMatchObject({
      ok: true,
      message: 'partitioned roll out complete: 2 new pods have been updated...'
    })
    const firstRevision = first.ok ? first.revision : undefined
    expect(firstRevision).toMatch(/^db-[0-9a-z]+$/)

    await setImage('statefulsets', 'db', 'registry.test/db:2')
    const progress = progressTracker()
    const second = await waitForRollout(kube, ref, {
      timeoutMs: 30_000,
      onProgress: progress.onProgress
    })
    expect(second).toMatchObject({ ok: true })
    const secondRevision = second.ok ? second.revision : undefined
    expect(secondRevision).toMatch(/^db-[0-9a-z]+$/)
    expect(secondRevision).not.toBe(firstRevision)
    expect(progress.messages.length).toBeGreaterThan(0)
    const live = await kubeOk(cluster, 'GET', `${APPS}/statefulsets/db`)
    expect(live.status).toMatchObject({ readyReplicas: 2, updatedReplicas: 2 })
  })

  it('follows a DaemonSet through an update to its next template generation', async () => {
    await kubeOk(cluster, 'POST', `${APPS}/daemonsets`, {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'agent' },
      spec: {
        selector: { matchLabels: { app: 'agent' } },
        template: podTemplate('agent', 'registry.test/agent:1')
      }
    })
    const ref: WorkloadRef = { kind: 'DaemonSet', name: 'agent', namespace: 'dev' }
    await expect(waitForRollout(kube, ref, { timeoutMs: 30_000 })).resolves.toMatchObject({
      ok: true,
      revision: '1',
      message: 'daemon set "agent" successfully rolled out'
    })
    await setImage('daemonsets', 'agent', 'registry.test/agent:2')
    const outcome = await waitForRollout(kube, ref, { timeoutMs: 30_000 })
    expect(outcome).toMatchObject({ ok: true, revision: '2' })
    const object = (outcome as { object: KubeObject }).object
    expect(object.status).toMatchObject({
      desiredNumberScheduled: 1,
      updatedNumberScheduled: 1,
      numberAvailable: 1
    })
  })

  it('refuses a workload that does not exist', async () => {
    const waiting = waitForRollout(kube, deployment('nowhere'), { timeoutMs: 5000 })
    await expect(waiting).rejects.toBeInstanceOf(KubeError)
    await expect(waiting).rejects.toMatchObject({
      status: 404,
      message: expect.stringContaining(
        `Kubernetes API ${cluster.server}: get deployments.apps/nowhere in namespace dev failed (HTTP 404 NotFound)`
      )
    })
  })

  it('names the verb, resource and namespace RBAC must grant', async () => {
    const deployer = clientFor(cluster.deployer.kubeconfig)
    const elsewhere = waitForRollout(
      deployer,
      { kind: 'Deployment', name: 'web', namespace: 'default' },
      { timeoutMs: 5000 }
    )
    await expect(elsewhere).rejects.toMatchObject({
      status: 403,
      message: expect.stringContaining('not allowed to get deployments.apps in namespace default')
    })
  })

  it('names the server when it is unreachable', async () => {
    const closed = `https://127.0.0.1:${await freePort()}`
    const unreachable = clientFor(cluster.kubeconfig.replace(cluster.server, closed))
    await expect(
      waitForRollout(unreachable, deployment('web'), { timeoutMs: 5000 })
    ).rejects.toMatchObject({
      reason: 'ECONNREFUSED',
      message: expect.stringContaining(`Kubernetes API ${closed}: get deployments.apps/web`)
    })
  })

  it('refuses a timeout that is not a positive number', async () => {
    await expect(waitForRollout(kube, deployment('web'), { timeoutMs: 0 })).rejects.toThrow(
      'waitForRollout: timeoutMs is 0; expected a positive number of milliseconds'
    )
  })
})
