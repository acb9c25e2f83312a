import { describe, expect, it } from '@jest/globals'
import { kubeFind, kubeOk, type KubeObject } from '../../harness/kube-request.js'
import { canarySize } from '../../src/actions/promote/cluster/canary.js'
import {
  clusterSuite,
  deployment,
  expectSucceeded,
  image,
  imageOfDeployment,
  stableWorkload
} from './promote-cluster-support.js'

const suite = clusterSuite()
const promote = suite.promote
const HPAS = '/apis/autoscaling/v1/namespaces/dev/horizontalpodautoscalers'

/** An HPA (autoscaling/v1, which every cluster serves) on deployment/`target`. */
async function autoscaler(name: string, target: string, min: number, max: number): Promise<void> {
  await kubeOk(suite.cluster, 'POST', HPAS, {
    apiVersion: 'autoscaling/v1',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: target },
      minReplicas: min,
      maxReplicas: max,
      targetCPUUtilizationPercentage: 80
    }
  })
}

type HpaSpec = {
  scaleTargetRef: { name: string }
  minReplicas: number
  maxReplicas: number
}

describe('promote and a HorizontalPodAutoscaler', () => {
  it('sizes a canary from the replicas the HPA keeps, and never writes stable’s replicas', async () => {
    await stableWorkload(suite.cluster, 'auto', { replicas: 4 })
    await autoscaler('auto', 'auto', 2, 10)
    // the HPA scaled stable to 5 (as it would under load): that is the size to take a share of
    await kubeOk(
      suite.cluster,
      'PATCH',
      '/apis/apps/v1/namespaces/dev/deployments/auto/scale',
      { spec: { replicas: 5 } },
      { contentType: 'application/merge-patch+json' }
    )
    const canary = await promote({
      stage: 'canary',
      workload: 'deployment/auto',
      source: image('b'),
      weight: '20'
    })
    expectSucceeded(canary)
    expect(canary.summary).toContain('(horizontalpodautoscaler/auto)')
    const hpa = await kubeOk<KubeObject>(suite.cluster, 'GET', `${HPAS}/auto`)
    const seen = (hpa.status as { currentReplicas?: number } | undefined)?.currentReplicas || 5
    const want = canarySize('replicas', seen, 20, false)
    expect((await deployment(suite.cluster, 'auto-canary'))?.spec).toMatchObject({
      replicas: want.canary
    })
    expect(canary.outputs.weight).toBe(String(want.weight))

    const production = await promote({ stage: 'production', workload: 'deployment/auto' })
    expectSucceeded(production, { image: image('b') })
    const stable = await deployment(suite.cluster, 'auto')
    expect(imageOfDeployment(stable)).toBe(image('b'))
    // the HPA's number, not one of promote's
    expect(stable?.spec).toMatchObject({ replicas: 5 })
  }, 90_000)

  it('gives green an HPA of its own, a copy of blue’s, before green takes the traffic', async () => {
    await stableWorkload(suite.cluster, 'scaled', { replicas: 2 })
    await autoscaler('scaled', 'scaled', 2, 6)
    const result = await promote({
      stage: 'production',
      strategy: 'blue-green',
      traffic: 'replicas',
      workload: 'deployment/scaled',
      source: image('b')
    })
    expectSucceeded(result, { 'active-color': 'green' })
    expect(result.summary).toContain(
      'horizontalpodautoscaler/scaled-green scales deployment/scaled-green'
    )
    const green = await kubeFind<KubeObject>(suite.cluster, `${HPAS}/scaled-green`)
    expect(green?.spec as HpaSpec).toMatchObject({
      scaleTargetRef: { name: 'scaled-green' },
      minReplicas: 2,
      maxReplicas: 6
    })
    const blue = await kubeOk<KubeObject>(suite.cluster, 'GET', `${HPAS}/scaled`)
    expect((blue.spec as HpaSpec).scaleTargetRef.name).toBe('scaled')
    expect(imageOfDeployment(await deployment(suite.cluster, 'scaled-green'))).toBe(image('b'))
  }, 90_000)
})
