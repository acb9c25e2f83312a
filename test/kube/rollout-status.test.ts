import { describe, expect, it } from '@jest/globals'
import { rolloutState, type RolloutState } from '../../src/kube/rollout/status.js'

const going = (message: string): RolloutState => ({ done: false, failed: false, message })
const done = (message: string): RolloutState => ({ done: true, failed: false, message })

function deployment(generation: number, spec: object, status: object): object {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'dev', generation },
    spec: { replicas: 3, ...spec },
    status
  }
}

const progressing = (reason: string) => ({
  conditions: [
    { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable' },
    {
      type: 'Progressing',
      status: reason === 'ProgressDeadlineExceeded' ? 'False' : 'True',
      reason
    }
  ]
})

describe('rolloutState of a Deployment', () => {
  const waiting = 'Waiting for deployment "web" rollout to finish:'
  it.each([
    [
      'the controller has not seen the new generation',
      deployment(2, {}, { observedGeneration: 1, replicas: 3, updatedReplicas: 3 }),
      going('Waiting for deployment spec update to be observed...')
    ],
    [
      'no status at all yet',
      deployment(1, {}, {}),
      going('Waiting for deployment spec update to be observed...')
    ],
    [
      'the progress deadline passed',
      deployment(
        2,
        {},
        { observedGeneration: 2, updatedReplicas: 1, ...progressing('ProgressDeadlineExceeded') }
      ),
      { done: false, failed: true, message: 'deployment "web" exceeded its progress deadline' }
    ],
    [
      'a deadline from an older generation does not count',
      deployment(3, {}, { observedGeneration: 2, ...progressing('ProgressDeadlineExceeded') }),
      going('Waiting for deployment spec update to be observed...')
    ],
    [
      'new replicas are still being created',
      deployment(
        2,
        {},
        {
          observedGeneration: 2,
          replicas: 4,
          updatedReplicas: 1,
          ...progressing('ReplicaSetUpdated')
        }
      ),
      going(`${waiting} 1 out of 3 new replicas have been updated...`)
    ],
    [
      'old replicas are still terminating',
      deployment(
        2,
        {},
        { observedGeneration: 2, replicas: 5, updatedReplicas: 3, availableReplicas: 3 }
      ),
      going(`${waiting} 2 old replicas are pending termination...`)
    ],
    [
      'updated replicas are not all available',
      deployment(
        2,
        {},
        { observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 1 }
      ),
      going(`${waiting} 1 of 3 updated replicas are available...`)
    ],
    [
      'every updated replica is available',
      deployment(
        2,
        {},
        {
          observedGeneration: 2,
          replicas: 3,
          updatedReplicas: 3,
          availableReplicas: 3,
          ...progressing('NewReplicaSetAvailable')
        }
      ),
      done('deployment "web" successfully rolled out')
    ],
    [
      'scaled to zero',
      deployment(4, { replicas: 0 }, { observedGeneration: 4 }),
      done('deployment "web" successfully rolled out')
    ],
    [
      'without spec.replicas (kubectl skips that check)',
      deployment(
        1,
        { replicas: undefined },
        { observedGeneration: 1, replicas: 1, updatedReplicas: 1, availableReplicas: 1 }
      ),
      done('deployment "web" successfully rolled out')
    ]
  ])('%s', (_case, object, state) => {
    expect(rolloutState(object)).toEqual(state)
  })
})

function statefulSet(generation: number, spec: object, status: object): object {
  return {
    kind: 'StatefulSet',
    metadata: { name: 'db', generation },
    spec: { replicas: 3, updateStrategy: { type: 'RollingUpdate' }, ...spec },
    status
  }
}

const partition = (n: number) => ({
  updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: n } }
})

describe('rolloutState of a StatefulSet', () => {
  it.each([
    [
      'OnDelete is not followed (done, as kubectl says)',
      statefulSet(2, { updateStrategy: { type: 'OnDelete' } }, { observedGeneration: 1 }),
      done('statefulset "db": rollout status is only available for RollingUpdate strategy type')
    ],
    [
      'not observed at all (observedGeneration 0)',
      statefulSet(1, {}, { observedGeneration: 0 }),
      going('Waiting for statefulset spec update to be observed...')
    ],
    [
      'an older generation observed',
      statefulSet(3, {}, { observedGeneration: 2, readyReplicas: 3 }),
      going('Waiting for statefulset spec update to be observed...')
    ],
    [
      'pods not ready',
      statefulSet(2, {}, { observedGeneration: 2, readyReplicas: 1 }),
      going('Waiting for 2 pods to be ready...')
    ],
    [
      'a partitioned update short of its partition',
      statefulSet(2, partition(1), { observedGeneration: 2, readyReplicas: 3, updatedReplicas: 1 }),
      going('Waiting for partitioned roll out to finish: 1 out of 2 new pods have been updated...')
    ],
    [
      'a partitioned update up to its partition',
      statefulSet(2, partition(1), { observedGeneration: 2, readyReplicas: 3, updatedReplicas: 2 }),
      done('partitioned roll out complete: 2 new pods have been updated...')
    ],
    [
      'the API default (partition 0) with every pod updated',
      statefulSet(2, partition(0), { observedGeneration: 2, readyReplicas: 3, updatedReplicas: 3 }),
      done('partitioned roll out complete: 3 new pods have been updated...')
    ],
    [
      'no rollingUpdate: current and update revision differ',
      statefulSet(
        2,
        {},
        {
          observedGeneration: 2,
          readyReplicas: 3,
          updatedReplicas: 1,
          currentRevision: 'db-1',
          updateRevision: 'db-2'
        }
      ),
      going('waiting for statefulset rolling update to complete 1 pods at revision db-2...')
    ],
    [
      'no rollingUpdate: revisions agree',
      statefulSet(
        2,
        {},
        {
          observedGeneration: 2,
          readyReplicas: 3,
          currentReplicas: 3,
          currentRevision: 'db-2',
          updateRevision: 'db-2'
        }
      ),
      done('statefulset rolling update complete 3 pods at revision db-2...')
    ]
  ])('%s', (_case, object, state) => {
    expect(rolloutState(object)).toEqual(state)
  })
})

function daemonSet(generation: number, spec: object, status: object): object {
  return { kind: 'DaemonSet', metadata: { name: 'agent', generation }, spec, status }
}

describe('rolloutState of a DaemonSet', () => {
  const waiting = 'Waiting for daemon set "agent" rollout to finish:'
  const rolling = { updateStrategy: { type: 'RollingUpdate' } }
  it.each([
    [
      'OnDelete is not followed (done, as kubectl says)',
      daemonSet(1, { updateStrategy: { type: 'OnDelete' } }, {}),
      done('daemon set "agent": rollout status is only available for RollingUpdate strategy type')
    ],
    [
      'the new generation not observed yet',
      daemonSet(2, rolling, { observedGeneration: 1, desiredNumberScheduled: 2 }),
      going('Waiting for daemon set spec update to be observed...')
    ],
    [
      'pods of the old template left',
      daemonSet(2, rolling, {
        observedGeneration: 2,
        desiredNumberScheduled: 3,
        updatedNumberScheduled: 1
      }),
      going(`${waiting} 1 out of 3 new pods have been updated...`)
    ],
    [
      'updated pods not available',
      daemonSet(2, rolling, {
        observedGeneration: 2,
        desiredNumberScheduled: 3,
        updatedNumberScheduled: 3,
        numberAvailable: 2
      }),
      going(`${waiting} 2 of 3 updated pods are available...`)
    ],
    [
      'every pod updated and available',
      daemonSet(2, rolling, {
        observedGeneration: 2,
        desiredNumberScheduled: 3,
        updatedNumberScheduled: 3,
        numberAvailable: 3
      }),
      done('daemon set "agent" successfully rolled out')
    ],
    [
      'no updateStrategy: the API default, RollingUpdate',
      daemonSet(
        1,
        {},
        { observedGeneration: 1, desiredNumberScheduled: 1, updatedNumberScheduled: 0 }
      ),
      going(`${waiting} 0 out of 1 new pods have been updated...`)
    ]
  ])('%s', (_case, object, state) => {
    expect(rolloutState(object)).toEqual(state)
  })
})

describe('rolloutState of anything else', () => {
  it.each([
    [{ kind: 'ReplicaSet', metadata: { name: 'web' } }, /not "ReplicaSet"/],
    [{ metadata: { name: 'web' } }, /not undefined/],
    [null, /Deployment, StatefulSet and DaemonSet/]
  ])('refuses %j', (object, error) => {
    expect(() => rolloutState(object)).toThrow(error)
  })
})
