import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { KubeConfig } from '@kubernetes/client-node'
import { applyManifests, type AppliedObject } from '../../src/kube/apply/apply.js'
import { KubeClient } from '../../src/kube/client.js'
import type { ManifestDocument } from '../../src/kube/manifests.js'
import { rollbackWorkload } from '../../src/kube/rollout/rollback.js'
import { startControlPlane, type ControlPlane } from '../../harness/kube-control-plane.js'
import { deploymentObject } from '../../harness/kube-objects.js'
import { kubeOk, waitFor, type KubeList, type KubeObject } from '../../harness/kube-request.js'

let cluster: ControlPlane
let client: KubeClient

beforeAll(async () => {
  cluster = await startControlPlane()
  const kc = new KubeConfig()
  kc.loadFromString(cluster.deployer.kubeconfig)
  client = new KubeClient(kc)
}, 90_000)
afterAll(() => cluster?.stop())

const GOOD = `registry.test/shop@sha256:${'1'.repeat(64)}`
const CRASHING = `registry.test/shop@sha256:${'2'.repeat(64)}`

function deployment(name: string, image: string): ManifestDocument {
  return {
    file: 'deploy/shop.yaml',
    line: 1,
    object: deploymentObject(name, image)
  }
}

async function apply(document: ManifestDocument): Promise<AppliedObject> {
  const [applied] = await applyManifests(client, [document], { fieldManager: 'rollback-test' })
  if (!applied) throw new Error('nothing applied')
  return applied
}

const path = (name: string): string => `/apis/apps/v1/namespaces/dev/deployments/${name}`

/** The ReplicaSets of a deployment by image: uid and replicas. */
async function replicaSets(
  name: string
): Promise<Record<string, { uid: string; replicas: number }>> {
  const sets = await kubeOk<KubeList>(
    cluster,
    'GET',
    `/apis/apps/v1/namespaces/dev/replicasets?labelSelector=app%3D${name}`
  )
  return Object.fromEntries(
    sets.items.map((rs) => [
      rs.spec.template.spec.containers[0].image,
      { uid: rs.metadata.uid ?? '', replicas: rs.spec.replicas }
    ])
  )
}

/** Waits until the deployment runs `image` on all its replicas, all available. */
function rolledOutTo(name: string, image: string, replicas = 2): Promise<KubeObject> {
  return waitFor(
    `deployment ${name} available with ${replicas} replicas of ${image}`,
    async () => {
      const d = await kubeOk(cluster, 'GET', path(name))
      const s = d.status ?? {}
      return (
        d.spec.template.spec.containers[0].image === image &&
        s.observedGeneration === d.metadata.generation &&
        s.updatedReplicas === replicas &&
        s.availableReplicas === replicas &&
        s.replicas === replicas &&
        d
      )
    },
    { timeoutMs: 30_000 }
  )
}

describe('rollbackWorkload', () => {
  it('puts back the pod template that ran before, reactivating its ReplicaSet', async () => {
    cluster.node.crashImages.add(CRASHING)
    await apply(deployment('shop', GOOD))
    await rolledOutTo('shop', GOOD)
    const good = (await replicaSets('shop'))[GOOD]

    const broken = await apply(deployment('shop', CRASHING))
    expect([broken.created, broken.changed]).toEqual([false, true])
    await waitFor('a pod of the crashing image to restart', async () => {
      const pods = await kubeOk<KubeList>(
        cluster,
        'GET',
        '/api/v1/namespaces/dev/pods?labelSelector=app%3Dshop'
      )
      return pods.items.some(
        (p) =>
          p.spec.containers[0].image === CRASHING &&
          p.status?.containerStatuses?.[0]?.restartCount >= 1
      )
    })
    // meanwhile an autoscaler sets the replicas: the rollback must leave them
    await kubeOk(cluster, 'PATCH', path('shop'), { spec: { replicas: 3 } })

    const result = await rollbackWorkload(client, broken)
    expect(result).toEqual({
      ref: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'shop', namespace: 'dev' },
      restored: true,
      message:
        'deployments.apps/shop in namespace dev: put back the pod template from before this apply (revision 1)'
    })
    const restored = await rolledOutTo('shop', GOOD, 3)
    expect(restored.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('3')
    const sets = await replicaSets('shop')
    expect(sets[GOOD]).toEqual({ uid: good?.uid, replicas: 3 })
    expect(sets[CRASHING]?.replicas).toBe(0)
    const managers = (restored.metadata.managedFields as { manager: string }[]).map(
      (m) => m.manager
    )
    expect(managers).toContain('rollout-kit-rollback')

    const again = await rollbackWorkload(client, broken)
    expect(again.message).toBe(
      'deployments.apps/shop in namespace dev already has the pod template from before this apply (revision 1)'
    )
  })

  it('leaves a workload that the apply created in place', async () => {
    const created = await apply(deployment('fresh', CRASHING))
    const result = await rollbackWorkload(client, created)
    expect(result).toEqual({
      ref: created.ref,
      restored: false,
      message:
        'deployments.apps/fresh in namespace dev was created by this apply: there is no previous revision to go back to, so it is left in place'
    })
    const live = await kubeOk(cluster, 'GET', path('fresh'))
    expect(live.spec.template.spec.containers[0].image).toBe(CRASHING)
    const managers = (live.metadata.managedFields as { manager: string }[]).map((m) => m.manager)
    expect(managers).not.toContain('rollout-kit-rollback')
  })

  it('does not touch objects that are not workloads', async () => {
    const configMap = await apply({
      file: 'deploy/shop.yaml',
      line: 30,
      object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: {} }
    })
    const result = await rollbackWorkload(client, configMap)
    expect(result.restored).toBe(false)
    expect(result.message).toBe(
      'configmaps/settings in namespace dev is not a Deployment, StatefulSet or DaemonSet: nothing to roll back'
    )
  })
})
