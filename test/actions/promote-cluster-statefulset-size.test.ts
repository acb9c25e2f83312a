import { describe, expect, it } from '@jest/globals'
import { statefulSetCanary } from '../../src/actions/promote/cluster/statefulset.js'

describe('statefulSetCanary', () => {
  it.each([
    [4, 25, { pods: 1, partition: 3, weight: 25 }],
    [4, 1, { pods: 1, partition: 3, weight: 25 }],
    [4, 0, { pods: 1, partition: 3, weight: 25 }],
    [4, 26, { pods: 2, partition: 2, weight: 50 }],
    [4, 99, { pods: 3, partition: 1, weight: 75 }],
    [3, 50, { pods: 2, partition: 1, weight: 67 }],
    [2, 50, { pods: 1, partition: 1, weight: 50 }],
    [10, 10, { pods: 1, partition: 9, weight: 10 }],
    [10, 11, { pods: 2, partition: 8, weight: 20 }]
  ])('%i replicas at %i %% → %j', (replicas, weight, expected) => {
    expect(statefulSetCanary(replicas, weight)).toEqual(expected)
  })

  it('refuses a StatefulSet of one pod: stable would keep none', () => {
    expect(() => statefulSetCanary(1, 50)).toThrow('A StatefulSet canary needs at least 2 replicas')
  })
})
