import { describe, expect, it } from '@jest/globals'
import type { KubeObject } from '../../src/kube/manifests.js'
import {
  containersOf,
  imageOf,
  parseImage,
  pickContainer,
  podSpecOf,
  repositoryOfImage,
  revisionOf,
  withContainerImage,
  withImagePullSecrets
} from '../../src/kube/workload.js'

const WEB = `registry.example/acme/web@sha256:${'a'.repeat(64)}`
const NEW = `registry.example/acme/web@sha256:${'b'.repeat(64)}`

function deployment(
  containers: { name: string; image: string }[],
  initContainers: { name: string; image: string }[] = []
): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', annotations: { 'deployment.kubernetes.io/revision': '7' } },
    spec: { template: { spec: { initContainers, containers } } }
  }
}

describe('the containers of a workload', () => {
  it('reads init containers first, then containers, on every built-in workload kind', () => {
    const cron: KubeObject = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'nightly' },
      spec: {
        jobTemplate: {
          spec: { template: { spec: { containers: [{ name: 'job', image: 'busybox' }] } } }
        }
      }
    }
    expect(containersOf(cron)).toEqual([{ name: 'job', image: 'busybox', init: false }])
    const web = deployment([{ name: 'app', image: WEB }], [{ name: 'migrate', image: WEB }])
    expect(containersOf(web).map((c) => `${c.name}:${c.init}`)).toEqual([
      'migrate:true',
      'app:false'
    ])
    // a custom resource that happens to be called Deployment has no pod spec we know of
    expect(containersOf({ ...web, apiVersion: 'example.com/v1' })).toEqual([])
    expect(podSpecOf({ ...web, apiVersion: 'example.com/v1' })).toBeUndefined()
  })

  it('sets one container image in a copy, init containers included', () => {
    const web = deployment([{ name: 'app', image: WEB }], [{ name: 'migrate', image: WEB }])
    const changed = withContainerImage(web, 'migrate', NEW)
    expect(imageOf(changed, 'migrate')).toBe(NEW)
    expect(imageOf(changed, 'app')).toBe(WEB)
    expect(imageOf(web, 'migrate')).toBe(WEB)
    expect(imageOf(web, 'nothing')).toBeUndefined()
  })
})

describe('pickContainer', () => {
  const two = deployment(
    [
      { name: 'app', image: WEB },
      { name: 'proxy', image: 'envoy:1.30' }
    ],
    [{ name: 'migrate', image: 'registry.example/acme/migrate:1' }]
  )
  const cases: [string, KubeObject, Parameters<typeof pickContainer>[1], string][] = [
    ['the one named', two, { name: 'proxy' }, 'proxy'],
    ['the one running the repository', two, { repository: 'registry.example/acme/web' }, 'app'],
    ['an init container only when asked', two, { name: 'migrate', init: true }, 'migrate'],
    [
      'an init container running the repository',
      two,
      { repository: 'registry.example/acme/migrate', init: true },
      'migrate'
    ],
    [
      'the only container, whatever it runs',
      deployment([{ name: 'solo', image: 'nginx' }]),
      { repository: 'registry.example/acme/web' },
      'solo'
    ]
  ]
  it.each(cases)('picks %s', (_, object, wanted, name) => {
    const choice = pickContainer(object, wanted)
    expect(choice).toMatchObject({ ok: true, container: { name } })
  })

  it('says why it cannot pick, with the candidates', () => {
    expect(pickContainer(two, { name: 'migrate' })).toMatchObject({
      ok: false,
      reason: 'unknown-name',
      candidates: [{ name: 'app' }, { name: 'proxy' }]
    })
    expect(pickContainer(two, { repository: 'docker.io/library/redis' })).toMatchObject({
      ok: false,
      reason: 'ambiguous',
      running: 0
    })
    const twins = deployment([
      { name: 'a', image: WEB },
      { name: 'b', image: NEW }
    ])
    expect(pickContainer(twins, { repository: 'registry.example/acme/web' })).toMatchObject({
      ok: false,
      reason: 'ambiguous',
      running: 2
    })
  })
})

describe('revisionOf', () => {
  it('reads the revision of each workload kind', () => {
    expect(revisionOf(deployment([]))).toBe('7')
    expect(
      revisionOf({ kind: 'StatefulSet', metadata: {}, status: { updateRevision: 'db-5d8f' } })
    ).toBe('db-5d8f')
    expect(
      revisionOf({
        kind: 'DaemonSet',
        metadata: {
          generation: 3,
          annotations: { 'deprecated.daemonset.template.generation': '2' }
        }
      })
    ).toBe('2')
    expect(revisionOf({ kind: 'DaemonSet', metadata: { generation: 3 } })).toBe('3')
    expect(revisionOf({ metadata: { generation: 3 } }, 'DaemonSet')).toBe('3')
    expect(revisionOf({ kind: 'Service', metadata: {} })).toBeUndefined()
    expect(revisionOf(undefined)).toBeUndefined()
  })
})

describe('image references', () => {
  it('parses references and normalises repositories, and passes over what is not one', () => {
    expect(repositoryOfImage('nginx:1.27')).toBe('docker.io/library/nginx')
    expect(repositoryOfImage(WEB)).toBe('registry.example/acme/web')
    expect(parseImage('${IMAGE}')).toBeUndefined()
    expect(repositoryOfImage('${IMAGE}')).toBeUndefined()
  })
})

describe('withImagePullSecrets', () => {
  const spec = (imagePullSecrets?: { name: string }[]) => ({
    containers: [{ name: 'app', image: WEB }],
    ...(imagePullSecrets ? { imagePullSecrets } : {})
  })
  const template = (imagePullSecrets?: { name: string }[]) => ({
    template: { spec: spec(imagePullSecrets) }
  })
  const kinds: [string, (secrets?: { name: string }[]) => KubeObject][] = [
    ['Deployment', (s) => workload('apps/v1', 'Deployment', template(s))],
    ['StatefulSet', (s) => workload('apps/v1', 'StatefulSet', template(s))],
    ['DaemonSet', (s) => workload('apps/v1', 'DaemonSet', template(s))],
    ['ReplicaSet', (s) => workload('apps/v1', 'ReplicaSet', template(s))],
    ['Job', (s) => workload('batch/v1', 'Job', template(s))],
    ['CronJob', (s) => workload('batch/v1', 'CronJob', { jobTemplate: { spec: template(s) } })],
    ['Pod', (s) => workload('v1', 'Pod', spec(s))]
  ]

  function workload(apiVersion: string, kind: string, body: unknown): KubeObject {
    return { apiVersion, kind, metadata: { name: 'web' }, spec: body }
  }

  it.each(kinds)('adds the names to the pod spec of a %s', (_, make) => {
    const before = make()
    const after = withImagePullSecrets(before, ['regcred', 'mirror'])
    expect(after).toEqual(make([{ name: 'regcred' }, { name: 'mirror' }]))
    expect(podSpecOf(after)?.imagePullSecrets).toEqual([{ name: 'regcred' }, { name: 'mirror' }])
    // the object given is left as it was
    expect(before).toEqual(make())
  })

  it.each(kinds)(
    'keeps the entries a %s has, in order, and appends only the missing names',
    (_, make) => {
      const before = make([{ name: 'mirror' }, { name: 'legacy' }])
      expect(withImagePullSecrets(before, ['regcred', 'mirror', 'regcred', 'extra'])).toEqual(
        make([{ name: 'mirror' }, { name: 'legacy' }, { name: 'regcred' }, { name: 'extra' }])
      )
    }
  )

  const had = [{ name: 'mirror' }, { name: 'legacy' }]
  it.each([
    ['no names, and no imagePullSecrets is added', [] as string[], undefined],
    ['no names', [] as string[], had],
    ['only names it already has', ['legacy', 'mirror', 'legacy'], had]
  ])('leaves the content unchanged for %s', (_, names, secrets) => {
    const before = kinds[0][1](secrets)
    const after = withImagePullSecrets(before, names)
    expect(after).toEqual(before)
    expect(after).not.toBe(before)
    expect(Object.keys(podSpecOf(after) ?? {})).toEqual(Object.keys(podSpecOf(before) ?? {}))
  })

  it('leaves objects without a built-in pod spec alone', () => {
    const config: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }
    expect(withImagePullSecrets(config, ['regcred'])).toEqual(config)
    const custom = { ...deployment([{ name: 'app', image: WEB }]), apiVersion: 'example.com/v1' }
    expect(withImagePullSecrets(custom, ['regcred'])).toEqual(custom)
  })
})
