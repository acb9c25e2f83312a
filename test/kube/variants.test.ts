import { describe, expect, it } from '@jest/globals'
import type { KubeObject } from '../../src/kube/manifests.js'
import {
  podLabelsOf,
  relabelled,
  replicasOf,
  variantDeployment,
  variantName,
  variantPromQLSelector,
  variantSelector
} from '../../src/kube/variants.js'
import { containersOf, imageOf, withContainerImage } from '../../src/kube/workload.js'

const A = `registry.example/acme/web@sha256:${'a'.repeat(64)}`
const B = `registry.example/acme/web@sha256:${'b'.repeat(64)}`

/** A stable Deployment as the API server returns it: status, revision, paused, a sidecar. */
function stable(labels?: Record<string, string>): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'prod',
      ...(labels ? { labels } : {}),
      annotations: { 'deployment.kubernetes.io/revision': '3', 'rollout-kit/stage': 'production' },
      resourceVersion: '42',
      uid: 'u-1'
    },
    spec: {
      replicas: 4,
      paused: true,
      progressDeadlineSeconds: 30,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: {
          labels: { app: 'web', tier: 'front' },
          annotations: { 'prometheus.io/scrape': 'true' }
        },
        spec: {
          containers: [
            { name: 'app', image: A, ports: [{ containerPort: 8080 }] },
            { name: 'proxy', image: 'envoy:1.30' }
          ]
        }
      }
    },
    status: { replicas: 4, readyReplicas: 4 }
  }
}

describe('variants', () => {
  it('makes a canary of an unlabelled Deployment: own selector, stable pod labels kept', () => {
    const canary = variantDeployment(stable(), {
      track: 'canary',
      container: 'app',
      image: B,
      replicas: 1,
      relabel: []
    })
    expect(canary).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: 'web-canary',
        namespace: 'prod',
        labels: { 'rollout-kit/workload': 'web', 'rollout-kit/track': 'canary' },
        annotations: { 'rollout-kit/variant-of': 'web' }
      },
      spec: {
        replicas: 1,
        progressDeadlineSeconds: 30,
        selector: { matchLabels: { 'rollout-kit/workload': 'web', 'rollout-kit/track': 'canary' } },
        template: {
          metadata: {
            labels: {
              app: 'web',
              tier: 'front',
              'rollout-kit/workload': 'web',
              'rollout-kit/track': 'canary'
            },
            annotations: { 'prometheus.io/scrape': 'true' }
          },
          spec: {
            containers: [
              { name: 'app', image: B, ports: [{ containerPort: 8080 }] },
              { name: 'proxy', image: 'envoy:1.30' }
            ]
          }
        }
      }
    })
  })

  it('relabels the Service selector keys of a variant that must stay out of the stable Service', () => {
    const green = variantDeployment(stable({ app: 'web', team: 'a' }), {
      track: 'green',
      container: 'app',
      image: B,
      replicas: 4,
      relabel: ['app']
    })
    expect(green.metadata.labels).toEqual({
      app: 'web',
      team: 'a',
      'rollout-kit/workload': 'web',
      'rollout-kit/track': 'green'
    })
    expect(podLabelsOf(green)).toEqual({
      app: 'web-green',
      tier: 'front',
      'rollout-kit/workload': 'web',
      'rollout-kit/track': 'green'
    })
  })

  it('leaves the stable Deployment it copies unchanged', () => {
    const original = stable()
    const copy = JSON.parse(JSON.stringify(original)) as KubeObject
    variantDeployment(original, {
      track: 'baseline',
      container: 'app',
      image: A,
      replicas: 1,
      relabel: ['app']
    })
    withContainerImage(original, 'app', B)
    expect(original).toEqual(copy)
  })

  it.each([
    [{ app: 'web' }, ['app'], 'canary', { app: 'web-canary' }],
    [
      { app: 'web', tier: 'front' },
      ['app', 'missing'],
      'green',
      { app: 'web-green', tier: 'front' }
    ],
    [{ app: 'x'.repeat(63) }, ['app'], 'canary', { app: `${'x'.repeat(56)}-canary` }],
    [{ app: `${'x'.repeat(55)}.-_y` }, ['app'], 'canary', { app: `${'x'.repeat(55)}-canary` }],
    [{ app: '---' }, ['app'], 'baseline', { app: 'baseline' }]
  ])('relabels %j on %j with -%s', (labels, keys, suffix, expected) => {
    const result = relabelled(labels, keys, suffix)
    expect(result).toEqual(expected)
    for (const value of Object.values(result)) expect(value.length).toBeLessThanOrEqual(63)
  })

  it('names variants and their selectors', () => {
    expect(variantName('web', 'baseline')).toBe('web-baseline')
    expect(variantSelector('web', 'green')).toEqual({
      'rollout-kit/workload': 'web',
      'rollout-kit/track': 'green'
    })
  })

  it('reads containers, images, replicas and pod labels', () => {
    const deployment = stable()
    expect(containersOf(deployment)).toEqual([
      { name: 'app', image: A, init: false },
      { name: 'proxy', image: 'envoy:1.30', init: false }
    ])
    expect(imageOf(deployment, 'proxy')).toBe('envoy:1.30')
    expect(imageOf(deployment, 'none')).toBeUndefined()
    expect(imageOf(withContainerImage(deployment, 'app', B), 'app')).toBe(B)
    expect(replicasOf(deployment)).toBe(4)
    expect(replicasOf({ ...deployment, spec: {} })).toBe(1)
    expect(containersOf({ ...deployment, spec: undefined })).toEqual([])
    expect(podLabelsOf(deployment)).toEqual({ app: 'web', tier: 'front' })
  })
})

describe('variantPromQLSelector', () => {
  it('names the variant’s own labels as Prometheus’s Kubernetes discovery maps them', () => {
    expect(variantPromQLSelector('prod', 'web', 'canary')).toBe(
      'namespace="prod",rollout_kit_workload="web",rollout_kit_track="canary"'
    )
    expect(variantPromQLSelector('prod', 'web', 'baseline')).toBe(
      'namespace="prod",rollout_kit_workload="web",rollout_kit_track="baseline"'
    )
  })

  it('matches the labels variantDeployment gives the pods, whatever was relabelled', () => {
    const canary = variantDeployment(stable(), {
      track: 'canary',
      container: 'app',
      image: B,
      replicas: 1,
      relabel: ['app']
    })
    const labels = (canary.spec as { template: { metadata: { labels: Record<string, string> } } })
      .template.metadata.labels
    const discovered = Object.fromEntries(
      Object.entries(labels).map(([key, value]) => [key.replace(/[^A-Za-z0-9_]/g, '_'), value])
    )
    const matchers = variantPromQLSelector('prod', 'web', 'canary')
      .split(',')
      .filter((m) => !m.startsWith('namespace='))
      .map((m) => m.split('=') as [string, string])
    for (const [name, value] of matchers) expect(`"${discovered[name]}"`).toBe(value)
    expect(discovered.app).toBe('web-canary')
  })
})
