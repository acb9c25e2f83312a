import { describe, expect, it } from '@jest/globals'
import type { KubeObject } from '../../src/kube/manifests.js'
import {
  ClaimedError,
  LOCK_ANNOTATION,
  readClaim,
  readState,
  withAnnotations
} from '../../src/kube/promotion-state.js'

const deployment = (annotations?: Record<string, string>): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', ...(annotations ? { annotations } : {}) }
})

describe('promotion state', () => {
  it('reads every annotation into its field, typed', () => {
    expect(
      readState(
        deployment({
          'rollout-kit/stage': 'canary',
          'rollout-kit/strategy': 'canary',
          'rollout-kit/container': 'app',
          'rollout-kit/stable-image': 'r/a@sha256:1',
          'rollout-kit/previous-image': 'r/a@sha256:0',
          'rollout-kit/canary-image': 'r/a@sha256:2',
          'rollout-kit/canary-weight': '20',
          'rollout-kit/traffic': 'nginx',
          'rollout-kit/baseline': 'false',
          'rollout-kit/active-color': 'green',
          'rollout-kit/blue-selector': '{"app":"web"}',
          'rollout-kit/service': 'web',
          'rollout-kit/scale-down-at': '2030-01-01T00:00:00.000Z',
          'rollout-kit/rolled-back-image': 'r/a@sha256:3',
          'rollout-kit/updated-at': '2029-01-01T00:00:00.000Z',
          'rollout-kit/run-url': 'https://github.com/acme/app/actions/runs/1',
          'deployment.kubernetes.io/revision': '3'
        })
      )
    ).toEqual({
      stage: 'canary',
      strategy: 'canary',
      container: 'app',
      stableImage: 'r/a@sha256:1',
      previousImage: 'r/a@sha256:0',
      canaryImage: 'r/a@sha256:2',
      weight: 20,
      traffic: 'nginx',
      baseline: false,
      activeColor: 'green',
      blueSelector: '{"app":"web"}',
      service: 'web',
      scaleDownAt: '2030-01-01T00:00:00.000Z',
      rolledBackImage: 'r/a@sha256:3',
      updatedAt: '2029-01-01T00:00:00.000Z',
      runUrl: 'https://github.com/acme/app/actions/runs/1'
    })
  })

  it('reads nothing from a Deployment promote never touched, and skips empty values', () => {
    expect(readState(deployment())).toEqual({})
    expect(
      readState(deployment({ 'rollout-kit/stage': '', 'rollout-kit/canary-weight': '0' }))
    ).toEqual({
      weight: 0
    })
  })

  it.each([
    ['a live claim', { holder: 'h1', stage: 'canary', expires: '2030-01-01T00:00:00Z' }, true],
    ['an expired claim', { holder: 'h1', stage: 'canary', expires: '2020-01-01T00:00:00Z' }, false]
  ])('reads %s', (_what, claim, live) => {
    const object = deployment({ [LOCK_ANNOTATION]: JSON.stringify(claim) })
    const now = Date.parse('2025-01-01T00:00:00Z')
    expect(readClaim(object, now)).toEqual(live ? claim : undefined)
  })

  it('ignores a claim that is not JSON, and no claim', () => {
    expect(readClaim(deployment({ [LOCK_ANNOTATION]: 'held' }))).toBeUndefined()
    expect(readClaim(deployment())).toBeUndefined()
  })

  it('sets and removes annotations on a copy', () => {
    const original = deployment({ keep: '1', drop: '2' })
    const changed = withAnnotations(original, { drop: undefined, add: '3', absent: undefined })
    expect(changed.metadata.annotations).toEqual({ keep: '1', add: '3' })
    expect(original.metadata.annotations).toEqual({ keep: '1', drop: '2' })
  })

  it('says who holds a workload and until when', () => {
    const error = new ClaimedError('deployment/web', {
      holder: 'h1',
      stage: 'production',
      runUrl: 'https://github.com/acme/app/actions/runs/7',
      expires: '2030-01-01T00:00:00.000Z'
    })
    expect(error.message).toBe(
      'deployment/web is being changed by another promote run (stage production, https://github.com/acme/app/actions/runs/7) until 2030-01-01T00:00:00.000Z at the latest; wait for it to finish, or run again then'
    )
  })
})
