import { describe, expect, it } from '@jest/globals'
import type { V1Pod } from '@kubernetes/client-node'
import { podProblems, selectorString } from '../../src/kube/rollout/pod-problems.js'

function pod(status: object, extra: { nodeName?: string; deleting?: boolean } = {}): V1Pod {
  return {
    metadata: {
      name: 'web-1',
      ...(extra.deleting ? { deletionTimestamp: new Date() } : {})
    },
    spec: { containers: [{ name: 'app' }], nodeName: extra.nodeName },
    status
  }
}

const notReady = { type: 'Ready', status: 'False', reason: 'ContainersNotReady' }

describe('podProblems', () => {
  it.each([
    [
      'a ready pod',
      pod({ phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] }, { nodeName: 'n' }),
      []
    ],
    [
      'a terminating pod',
      pod({ phase: 'Running', conditions: [notReady] }, { nodeName: 'n', deleting: true }),
      []
    ],
    [
      'an unschedulable pod',
      pod({
        phase: 'Pending',
        conditions: [
          {
            type: 'PodScheduled',
            status: 'False',
            reason: 'Unschedulable',
            message: '0/3 nodes are available: 3 Insufficient cpu.'
          }
        ]
      }),
      [
        {
          pod: 'web-1',
          reason: 'Pending',
          message: 'Unschedulable: 0/3 nodes are available: 3 Insufficient cpu.',
          restarts: 0
        }
      ]
    ],
    [
      'a pod no scheduler has looked at',
      pod({ phase: 'Pending' }),
      [{ pod: 'web-1', reason: 'Pending', message: 'not scheduled to a node yet', restarts: 0 }]
    ],
    [
      'a container killed for memory, restarting',
      pod(
        {
          phase: 'Running',
          conditions: [notReady],
          containerStatuses: [
            {
              name: 'app',
              ready: false,
              restartCount: 3,
              state: {
                waiting: {
                  reason: 'CrashLoopBackOff',
                  message: 'back-off 40s restarting failed container=app'
                }
              },
              lastState: { terminated: { exitCode: 137, reason: 'OOMKilled' } }
            }
          ]
        },
        { nodeName: 'n' }
      ),
      [
        {
          pod: 'web-1',
          container: 'app',
          reason: 'CrashLoopBackOff',
          message: 'back-off 40s restarting failed container=app; last exit code 137 (OOMKilled)',
          restarts: 3
        }
      ]
    ],
    [
      'a container that ended in OOMKilled',
      pod(
        {
          phase: 'Running',
          conditions: [notReady],
          containerStatuses: [
            {
              name: 'app',
              ready: false,
              restartCount: 0,
              state: { terminated: { exitCode: 137, reason: 'OOMKilled' } }
            }
          ]
        },
        { nodeName: 'n' }
      ),
      [
        {
          pod: 'web-1',
          container: 'app',
          reason: 'OOMKilled',
          message: 'exited with code 137',
          restarts: 0
        }
      ]
    ],
    [
      'an evicted pod',
      pod(
        { phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: memory.' },
        { nodeName: 'n' }
      ),
      [
        {
          pod: 'web-1',
          reason: 'Evicted',
          message: 'The node was low on resource: memory.',
          restarts: 0
        }
      ]
    ],
    [
      'a bound pod without container statuses yet',
      pod(
        {
          phase: 'Pending',
          conditions: [{ ...notReady, message: 'containers with unready status: [app]' }]
        },
        { nodeName: 'n' }
      ),
      [
        {
          pod: 'web-1',
          reason: 'Pending',
          message: 'containers with unready status: [app]',
          restarts: 0
        }
      ]
    ]
  ])('%s', (_case, input, problems) => {
    expect(podProblems(input)).toEqual(problems)
  })
})

describe('selectorString', () => {
  it.each([
    [{ matchLabels: { app: 'web' } }, 'app=web'],
    [
      {
        matchLabels: { app: 'web', tier: 'front' },
        matchExpressions: [
          { key: 'track', operator: 'In', values: ['stable', 'canary'] },
          { key: 'zone', operator: 'NotIn', values: ['a'] },
          { key: 'owner', operator: 'Exists' },
          { key: 'legacy', operator: 'DoesNotExist' }
        ]
      },
      'app=web,tier=front,track in (stable,canary),zone notin (a),owner,!legacy'
    ],
    [undefined, '']
  ])('%j → %s', (selector, text) => {
    expect(selectorString(selector)).toBe(text)
  })
})
