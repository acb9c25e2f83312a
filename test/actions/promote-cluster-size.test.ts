import { describe, expect, it } from '@jest/globals'
import { canarySize, replicasToShare } from '../../src/actions/promote/cluster/canary.js'

describe('canary size', () => {
  it.each([
    // method, stable replicas, weight, baseline → canary, baseline, weight the replicas give
    ['replicas', 4, 20, false, { canary: 1, baseline: 0, weight: 20 }],
    ['replicas', 4, 40, false, { canary: 3, baseline: 0, weight: 43 }],
    ['replicas', 4, 50, false, { canary: 4, baseline: 0, weight: 50 }],
    ['replicas', 1, 20, false, { canary: 1, baseline: 0, weight: 50 }],
    ['replicas', 4, 0, false, { canary: 0, baseline: 0, weight: 0 }],
    ['replicas', 8, 20, true, { canary: 3, baseline: 3, weight: 21 }],
    ['replicas', 9, 10, true, { canary: 1, baseline: 1, weight: 9 }],
    ['nginx', 4, 20, false, { canary: 1, baseline: 0, weight: 20 }],
    ['nginx', 4, 50, false, { canary: 2, baseline: 0, weight: 50 }],
    ['gateway-api', 4, 100, false, { canary: 4, baseline: 0, weight: 100 }],
    ['gateway-api', 4, 0, true, { canary: 1, baseline: 1, weight: 0 }],
    ['gateway-api', 3, 30, true, { canary: 1, baseline: 1, weight: 30 }]
  ])('%s beside %i stable at %i %% (baseline %s)', (method, stable, weight, baseline, expected) => {
    expect(canarySize(method, stable, weight, baseline)).toEqual(expected)
  })
})

describe('the replicas a canary takes its share of', () => {
  const stable = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: { replicas: 4 }
  }
  const hpa = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web' }
  }

  it('are those the HPA keeps now when one scales stable', () => {
    expect(replicasToShare(stable, { object: hpa, currentReplicas: 8 })).toBe(8)
    // 20 % beside the HPA's 8 is 2 canary pods; beside the spec's 4 it would be 1
    expect(
      canarySize(
        'replicas',
        replicasToShare(stable, { object: hpa, currentReplicas: 8 }),
        20,
        false
      ).canary
    ).toBe(2)
  })

  it('are stable’s own without an HPA, or before the HPA has looked', () => {
    expect(replicasToShare(stable, undefined)).toBe(4)
    expect(replicasToShare(stable, { object: hpa })).toBe(4)
  })
})
