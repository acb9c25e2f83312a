import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { KubeConfig } from '@kubernetes/client-node'
import { KubeClient } from '../../src/kube/client.js'
import { diagnoseWorkload, type Diagnosis } from '../../src/kube/rollout/diagnose.js'
import { KubeError } from '../../src/kube/errors.js'
import { waitForRollout, type WorkloadRef } from '../../src/kube/rollout/wait.js'
import { startControlPlane, type ControlPlane } from '../../harness/kube-control-plane.js'
import { deploymentObject, podTemplate } from '../../harness/kube-objects.js'
import { kubeOk, waitFor } from '../../harness/kube-request.js'

let cluster: ControlPlane
let kube: KubeClient

beforeAll(async () => {
  cluster = await startControlPlane({ node: { restartIntervalMs: 500 } })
  const kc = new KubeConfig()
  kc.loadFromString(cluster.kubeconfig)
  kube = new KubeClient(kc)
}, 90_000)
afterAll(() => cluster?.stop())

const APPS = '/apis/apps/v1/namespaces/dev'

async function createDeployment(name: string, image: string, replicas = 2): Promise<void> {
  const object = deploymentObject(name, image, { replicas, labelled: false })
  await kubeOk(cluster, 'POST', `${APPS}/deployments`, object)
}

const deployment = (name: string): WorkloadRef => ({ kind: 'Deployment', name, namespace: 'dev' })

/** Diagnoses until `ready` accepts the diagnosis (pods take a moment to show their trouble). */
function diagnoseUntil(
  ref: WorkloadRef,
  what: string,
  ready: (diagnosis: Diagnosis) => boolean
): Promise<Diagnosis> {
  return waitFor(
    what,
    async () => {
      const diagnosis = await diagnoseWorkload(kube, ref)
      return ready(diagnosis) && diagnosis
    },
    { timeoutMs: 20_000 }
  )
}

describe('diagnoseWorkload', () => {
  it('says which new pods crash-loop, with restarts and the last exit code', async () => {
    cluster.node.crashImages.add('registry.test/crashy')
    await createDeployment('crashy', 'registry.test/crashy:1')
    const diagnosis = await diagnoseUntil(
      deployment('crashy'),
      'two pods restarting twice',
      (d) => d.problems.length === 2 && d.problems.every((p) => p.restarts >= 2)
    )
    for (const problem of diagnosis.problems) {
      expect(problem).toMatchObject({
        pod: expect.stringMatching(/^crashy-[a-z0-9]+-[a-z0-9]{5}$/),
        container: 'app',
        reason: 'CrashLoopBackOff',
        message: 'back-off restarting failed container app; last exit code 1'
      })
    }
    expect(diagnosis.summary).toMatch(
      /^2 of 2 new pods of deployment\/crashy are failing: crashy-\S+ CrashLoopBackOff \(\d+ restarts, last exit code 1\); crashy-\S+ CrashLoopBackOff \(\d+ restarts, last exit code 1\)\nlatest warning: pod\/crashy-\S+ BackOff: Back-off restarting failed container$/
    )
    const pods = new Set(diagnosis.problems.map((p) => p.pod))
    expect(diagnosis.events).toHaveLength(2)
    for (const event of diagnosis.events) {
      expect(event).toMatchObject({
        reason: 'BackOff',
        message: 'Back-off restarting failed container',
        type: 'Warning',
        count: 1
      })
      expect(pods.has(event.object.replace('pod/', ''))).toBe(true)
    }
  })

  it('gives the message of an image that cannot be pulled', async () => {
    cluster.node.pullFailImages.add('registry.test/ghost:1')
    await createDeployment('ghost', 'registry.test/ghost:1', 1)
    const diagnosis = await diagnoseUntil(
      deployment('ghost'),
      'a pod in ImagePullBackOff and its event',
      (d) => d.problems.length === 1 && d.events.length === 1
    )
    expect(diagnosis.problems[0]).toMatchObject({
      container: 'app',
      reason: 'ImagePullBackOff',
      message: 'Back-off pulling image "registry.test/ghost:1"',
      restarts: 0
    })
    expect(diagnosis.summary).toBe(
      `1 of 1 new pods of deployment/ghost are failing: ${diagnosis.problems[0]?.pod} ImagePullBackOff: Back-off pulling image "registry.test/ghost:1"\n` +
        `latest warning: pod/${diagnosis.problems[0]?.pod} Failed: Back-off pulling image`
    )
  })

  it('calls running pods that never become ready Unready', async () => {
    cluster.node.failImages.add('registry.test/sleepy')
    await createDeployment('sleepy', 'registry.test/sleepy:1', 1)
    const diagnosis = await diagnoseUntil(
      deployment('sleepy'),
      'an unready pod and its event',
      (d) => d.problems.length === 1 && d.events.length === 1
    )
    expect(diagnosis.problems[0]).toMatchObject({
      container: 'app',
      reason: 'Unready',
      message: 'running but not ready: readiness probe failing',
      restarts: 0
    })
    expect(diagnosis.events[0]).toMatchObject({
      object: `pod/${diagnosis.problems[0]?.pod}`,
      reason: 'Unhealthy',
      message: 'Readiness probe failed'
    })
    expect(diagnosis.summary.split('\n')[0]).toBe(
      `1 of 1 new pods of deployment/sleepy are failing: ${diagnosis.problems[0]?.pod} Unready (running, readiness probe failing)`
    )
  })

  it("looks only at the pods of the Deployment's newest revision", async () => {
    await createDeployment('shop', 'registry.test/shop:1')
    await expect(
      waitForRollout(kube, deployment('shop'), { timeoutMs: 30_000 })
    ).resolves.toMatchObject({ ok: true })
    await expect(diagnoseWorkload(kube, deployment('shop'))).resolves.toEqual({
      problems: [],
      events: [],
      summary: 'all 2 new pods of deployment/shop are ready'
    })

    cluster.node.crashImages.add('registry.test/shop:2')
    await kubeOk(
      cluster,
      'PATCH',
      `${APPS}/deployments/shop`,
      {
        spec: {
          template: { spec: { containers: [{ name: 'app', image: 'registry.test/shop:2' }] } }
        }
      },
      { contentType: 'application/strategic-merge-patch+json' }
    )
    // maxSurge 1, maxUnavailable 0: one new pod crash-loops beside the two old ones
    const diagnosis = await diagnoseUntil(
      deployment('shop'),
      'the new pod crash-looping',
      (d) => d.problems.length === 1 && d.problems[0]?.reason === 'CrashLoopBackOff'
    )
    const sets = await kubeOk<{
      items: { metadata: { name: string; annotations: Record<string, string> } }[]
    }>(cluster, 'GET', `${APPS}/replicasets?labelSelector=app%3Dshop`)
    const newest = sets.items.find(
      (rs) => rs.metadata.annotations['deployment.kubernetes.io/revision'] === '2'
    )
    expect(diagnosis.problems[0]?.pod.startsWith(`${newest?.metadata.name}-`)).toBe(true)
    expect(diagnosis.summary).toMatch(/^1 of 1 new pods of deployment\/shop are failing: /)
  })

  it('diagnoses a StatefulSet by the pods of its update revision', async () => {
    cluster.node.crashImages.add('registry.test/db')
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
    // OrderedReady: db-1 waits for db-0, which never becomes ready
    const diagnosis = await diagnoseUntil(
      { kind: 'StatefulSet', name: 'db', namespace: 'dev' },
      'db-0 crash-looping',
      (d) => d.problems.length === 1 && d.problems[0]?.restarts >= 1
    )
    expect(diagnosis.problems[0]).toMatchObject({ pod: 'db-0', reason: 'CrashLoopBackOff' })
    expect(diagnosis.summary).toMatch(
      /^1 of 1 new pods of statefulset\/db are failing: db-0 CrashLoopBackOff \(\d+ restarts, last exit code 1\)/
    )
  })

  it('diagnoses a DaemonSet by the pods of its template generation', async () => {
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
      ok: true
    })
    cluster.node.pullFailImages.add('registry.test/agent:2')
    await kubeOk(
      cluster,
      'PATCH',
      `${APPS}/daemonsets/agent`,
      {
        spec: {
          template: { spec: { containers: [{ name: 'app', image: 'registry.test/agent:2' }] } }
        }
      },
      { contentType: 'application/strategic-merge-patch+json' }
    )
    const diagnosis = await diagnoseUntil(ref, 'the new agent pod failing to pull', (d) =>
      d.problems.some((p) => p.reason === 'ImagePullBackOff')
    )
    // the DaemonSet controller labels its pods with the template generation (2 after one update)
    const failing = await kubeOk(
      cluster,
      'GET',
      `/api/v1/namespaces/dev/pods/${diagnosis.problems[0]?.pod}`
    )
    expect(failing.metadata.labels?.['pod-template-generation']).toBe('2')
    expect(diagnosis.problems).toEqual([
      expect.objectContaining({
        reason: 'ImagePullBackOff',
        message: 'Back-off pulling image "registry.test/agent:2"'
      })
    ])
  })

  it('bounds the events by maxEvents, newest first', async () => {
    const all = await diagnoseWorkload(kube, deployment('crashy'))
    expect(all.events.length).toBeGreaterThanOrEqual(2)
    const one = await diagnoseWorkload(kube, deployment('crashy'), { maxEvents: 1 })
    expect(one.events).toEqual([all.events[0]])
  })

  it('throws a KubeError for a workload that does not exist', async () => {
    const missing = diagnoseWorkload(kube, deployment('nowhere'))
    await expect(missing).rejects.toBeInstanceOf(KubeError)
    await expect(missing).rejects.toMatchObject({ status: 404 })
  })
})
