import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from '@jest/globals'
import { stringify } from 'yaml'
import { podTemplate } from '../../harness/kube-objects.js'
import { kubeOk, waitFor, type KubeObject } from '../../harness/kube-request.js'
import {
  clusterSuite,
  expectFailed,
  expectSucceeded,
  digest,
  image,
  pods,
  podsSelectedBy
} from './promote-cluster-support.js'

const suite = clusterSuite()
const promote = suite.promote
const NS = '/apis/apps/v1/namespaces/dev'

/** A StatefulSet `name` of `replicas` pods (`app: <name>`) running `image`, waited for. */
async function statefulSet(
  name: string,
  options: { replicas?: number; onDelete?: boolean; ordered?: boolean } = {}
): Promise<void> {
  const replicas = options.replicas ?? 4
  await kubeOk(suite.cluster, 'POST', `${NS}/statefulsets`, {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name },
    spec: {
      replicas,
      serviceName: name,
      podManagementPolicy: options.ordered ? 'OrderedReady' : 'Parallel',
      selector: { matchLabels: { app: name } },
      updateStrategy: options.onDelete ? { type: 'OnDelete' } : { type: 'RollingUpdate' },
      template: podTemplate(name, image('a'), 8080)
    }
  })
  await waitFor(`statefulset/${name} to be ready`, async () => {
    const set = await kubeOk(suite.cluster, 'GET', `${NS}/statefulsets/${name}`)
    return set.status?.readyReplicas === replicas
  })
}

async function getSet(name: string): Promise<KubeObject> {
  return kubeOk(suite.cluster, 'GET', `${NS}/statefulsets/${name}`)
}

const partitionOf = (set: KubeObject) => set.spec.updateStrategy?.rollingUpdate?.partition
const imageOfSet = (set: KubeObject) =>
  (set.spec.template.spec.containers as { image: string }[])[0].image

/** The `rollout-kit/*` annotations of a StatefulSet, without the prefix. */
async function stateOf(name: string): Promise<Record<string, string>> {
  const set = await getSet(name)
  return Object.fromEntries(
    Object.entries((set.metadata.annotations ?? {}) as Record<string, string>)
      .filter(([key]) => key.startsWith('rollout-kit/'))
      .map(([key, value]) => [key.slice('rollout-kit/'.length), value])
  )
}

/** Each pod of the StatefulSet by name: its image, revision label and readiness. */
async function podsOf(
  name: string
): Promise<Record<string, { image: string; revision: string; ready: boolean }>> {
  const found = await pods(suite.cluster, `app=${name}`)
  return Object.fromEntries(
    found
      .map((pod) => [
        pod.metadata.name,
        {
          image: (pod.spec?.containers as { image: string }[])[0].image,
          revision: (pod.metadata.labels ?? {})['controller-revision-hash'],
          ready: ((pod.status?.conditions ?? []) as { type: string; status: string }[]).some(
            (c) => c.type === 'Ready' && c.status === 'True'
          )
        }
      ])
      .sort()
  )
}

/** Pods 0..n-1 of `name`, each running the image at its index of `images`, ready. */
function expectPods(
  found: Awaited<ReturnType<typeof podsOf>>,
  name: string,
  images: string[],
  revisions: string[]
): void {
  expect(found).toEqual(
    Object.fromEntries(
      images.map((img, i) => [`${name}-${i}`, { image: img, revision: revisions[i], ready: true }])
    )
  )
}

describe('promote on a StatefulSet (partition)', () => {
  it('canaries the highest ordinal, promotes every pod, canaries again and rolls back', async () => {
    await statefulSet('db')
    const stableRevision = (await getSet('db')).status.updateRevision as string
    const a = image('a')
    const b = image('b')
    const c = image('c')

    const canary = await promote({
      stage: 'canary',
      workload: 'statefulset/db',
      source: b,
      weight: '25'
    })
    const afterCanary = await getSet('db')
    const canaryRevision = afterCanary.status.updateRevision as string
    expect(canaryRevision).not.toBe(stableRevision)
    expectSucceeded(canary, {
      stage: 'canary',
      image: b,
      'previous-image': a,
      weight: '25',
      changed: 'true',
      started: 'true',
      'canary-selector': `namespace="dev",controller_revision_hash="${canaryRevision}"`,
      'baseline-selector': ''
    })
    expect(partitionOf(afterCanary)).toBe(3)
    expect(imageOfSet(afterCanary)).toBe(b)
    expectPods(
      await podsOf('db'),
      'db',
      [a, a, a, b],
      [stableRevision, stableRevision, stableRevision, canaryRevision]
    )
    // the selector picks out the pod of ordinal 3 alone, as Prometheus labels pods
    expect(await podsSelectedBy(suite.cluster, canary.outputs['canary-selector'])).toEqual(['db-3'])
    const canaryState = await stateOf('db')
    expect(canaryState).toMatchObject({
      stage: 'canary',
      strategy: 'canary',
      container: 'app',
      'stable-image': a,
      'canary-image': b,
      'canary-weight': '25',
      traffic: 'replicas',
      partition: '0'
    })
    expect(canaryState).not.toHaveProperty('lock')

    const production = await promote({ stage: 'production', workload: 'statefulset/db' })
    expectSucceeded(production, {
      stage: 'production',
      image: b,
      'previous-image': a,
      changed: 'true'
    })
    const afterProduction = await getSet('db')
    expect(partitionOf(afterProduction)).toBe(0)
    expect(afterProduction.status.updateRevision).toBe(canaryRevision)
    expectPods(await podsOf('db'), 'db', [b, b, b, b], Array(4).fill(canaryRevision))
    const productionState = await stateOf('db')
    expect(productionState).toMatchObject({
      stage: 'production',
      'stable-image': b,
      'previous-image': a
    })
    for (const gone of ['canary-image', 'canary-weight', 'partition', 'traffic', 'lock']) {
      expect(productionState).not.toHaveProperty(gone)
    }

    // a second canary, at half the pods, then rolled back: every pod on b again, partition 0
    const second = await promote({
      stage: 'canary',
      workload: 'statefulset/db',
      source: c,
      weight: '50'
    })
    expectSucceeded(second, { weight: '50', image: c, 'previous-image': b })
    const secondRevision = (await getSet('db')).status.updateRevision as string
    expect(partitionOf(await getSet('db'))).toBe(2)
    expectPods(
      await podsOf('db'),
      'db',
      [b, b, c, c],
      [canaryRevision, canaryRevision, secondRevision, secondRevision]
    )
    expect(await podsSelectedBy(suite.cluster, second.outputs['canary-selector'])).toEqual([
      'db-2',
      'db-3'
    ])

    const rollback = await promote({ stage: 'rollback', workload: 'statefulset/db' })
    expectSucceeded(rollback, {
      stage: 'rollback',
      image: b,
      'previous-image': c,
      changed: 'true'
    })
    const afterRollback = await getSet('db')
    expect(partitionOf(afterRollback)).toBe(0)
    expect(imageOfSet(afterRollback)).toBe(b)
    expectPods(await podsOf('db'), 'db', [b, b, b, b], Array(4).fill(canaryRevision))
    const rolledBack = await stateOf('db')
    expect(rolledBack).toMatchObject({
      stage: 'rolled-back',
      'stable-image': b,
      'rolled-back-image': c
    })
    for (const gone of ['canary-image', 'canary-weight', 'partition', 'lock']) {
      expect(rolledBack).not.toHaveProperty(gone)
    }
  }, 240_000)

  it('moves the canary pods back below a raised partition when the weight goes down', async () => {
    await statefulSet('kv')
    const stableRevision = (await getSet('kv')).status.updateRevision as string
    const half = await promote({
      stage: 'canary',
      workload: 'statefulset/kv',
      source: image('b'),
      weight: '50'
    })
    expectSucceeded(half, { weight: '50' })
    const canaryRevision = (await getSet('kv')).status.updateRevision as string
    const quarter = await promote({
      stage: 'canary',
      workload: 'statefulset/kv',
      source: image('b'),
      weight: '25'
    })
    expectSucceeded(quarter, { weight: '25', changed: 'true' })
    expect(partitionOf(await getSet('kv'))).toBe(3)
    // the controller leaves kv-2 on the canary's revision below the partition; promote replaces it
    expectPods(
      await podsOf('kv'),
      'kv',
      [image('a'), image('a'), image('a'), image('b')],
      [stableRevision, stableRevision, stableRevision, canaryRevision]
    )
    expect(await stateOf('kv')).toMatchObject({ 'canary-weight': '25', partition: '0' })
  }, 120_000)

  it('puts the image and partition back when the canary pod never becomes ready', async () => {
    // OrderedReady: the controller's own rollback would wait for the broken pod to become ready
    await statefulSet('queue', { replicas: 3, ordered: true })
    const before = await getSet('queue')
    suite.cluster.node.failImages.add(digest('7'))
    try {
      const canary = await promote({
        stage: 'canary',
        workload: 'statefulset/queue',
        source: image('7'),
        weight: '30',
        timeout: '10s'
      })
      expectFailed(canary, 'statefulset/queue in namespace dev did not roll out')
      expectFailed(canary, /Put statefulset\/queue in namespace dev back to .*, partition 0/)
      expect(canary.outputs.started).toBe('false')
    } finally {
      suite.cluster.node.failImages.delete(digest('7'))
    }
    const after = await getSet('queue')
    expect(imageOfSet(after)).toBe(image('a'))
    expect(partitionOf(after)).toBe(0)
    expect(after.status.updateRevision).toBe(before.status.updateRevision)
    // queue-2 ran the canary and never became ready: it runs the stable revision again
    expectPods(
      await podsOf('queue'),
      'queue',
      [image('a'), image('a'), image('a')],
      Array(3).fill(before.status.updateRevision)
    )
    expect(await stateOf('queue')).toEqual({})
  }, 120_000)

  it('rolls source out to every pod without a canary, and rolls production back', async () => {
    await statefulSet('api', { replicas: 2 })
    const stable = await getSet('api')
    const dry = await promote({
      stage: 'canary',
      workload: 'statefulset/api',
      source: image('b'),
      weight: '50',
      'dry-run': 'true'
    })
    expectSucceeded(dry, { changed: 'false', weight: '50', started: 'false' })
    expect((await getSet('api')).metadata.generation).toBe(stable.metadata.generation)

    const production = await promote({
      stage: 'production',
      workload: 'statefulset/api',
      source: image('b')
    })
    expectSucceeded(production, { image: image('b'), 'previous-image': image('a') })
    const promoted = await getSet('api')
    expect(partitionOf(promoted)).toBe(0)
    expectPods(
      await podsOf('api'),
      'api',
      [image('b'), image('b')],
      Array(2).fill(promoted.status.updateRevision)
    )

    const rollback = await promote({ stage: 'rollback', workload: 'statefulset/api' })
    expectSucceeded(rollback, { image: image('a'), 'previous-image': image('b') })
    const back = await getSet('api')
    expect(imageOfSet(back)).toBe(image('a'))
    expect(back.status.updateRevision).toBe(stable.status.updateRevision)
    expectPods(
      await podsOf('api'),
      'api',
      [image('a'), image('a')],
      Array(2).fill(stable.status.updateRevision)
    )
    expect(await stateOf('api')).toMatchObject({
      stage: 'rolled-back',
      'stable-image': image('a'),
      'rolled-back-image': image('b')
    })
    const again = await promote({ stage: 'rollback', workload: 'statefulset/api' })
    expectSucceeded(again, { changed: 'false', image: image('a') })
  }, 120_000)

  it('refuses OnDelete, traffic nginx, a baseline and blue-green, changing nothing', async () => {
    await statefulSet('legacy', { replicas: 2, onDelete: true })
    const before = await getSet('legacy')
    const onDelete = await promote({
      stage: 'canary',
      workload: 'statefulset/legacy',
      source: image('b'),
      weight: '50'
    })
    expectFailed(onDelete, 'its updateStrategy is OnDelete')
    expect(onDelete.outputs.started).toBe('false')
    const after = await getSet('legacy')
    expect(after.metadata.generation).toBe(before.metadata.generation)
    expect(after.metadata.annotations).toEqual(before.metadata.annotations)
    expect(imageOfSet(after)).toBe(image('a'))

    await statefulSet('cache', { replicas: 2 })
    const cache = await getSet('cache')
    const refusals: [Record<string, string>, string][] = [
      [{ traffic: 'nginx' }, "Input 'traffic' is 'nginx'; expected replicas with a StatefulSet"],
      [{ baseline: 'true' }, "Input 'baseline' is 'true'; expected false with a StatefulSet"],
      [
        { stage: 'production', strategy: 'blue-green', weight: '' },
        "Input 'strategy' is 'blue-green'; expected canary with a StatefulSet"
      ]
    ]
    for (const [inputs, message] of refusals) {
      const refused = await promote({
        stage: 'canary',
        workload: 'statefulset/cache',
        source: image('b'),
        weight: '50',
        ...inputs
      })
      expectFailed(refused, message)
    }
    const unchanged = await getSet('cache')
    expect(unchanged.metadata.generation).toBe(cache.metadata.generation)
    expect(unchanged.metadata.annotations).toEqual(cache.metadata.annotations)
    expect(partitionOf(unchanged)).toBe(partitionOf(cache))
    expectPods(
      await podsOf('cache'),
      'cache',
      [image('a'), image('a')],
      Array(2).fill(cache.status.updateRevision)
    )
  }, 120_000)

  it('runs the manifests’ whole template on the canary’s pods, then on every pod, and rolls both back', async () => {
    const name = 'conf'
    await statefulSet(name)
    const manifests = (level: string, greeting: string): string => {
      const dir = mkdtempSync(join(tmpdir(), 'promote-sts-'))
      const template = podTemplate(name, 'registry.example/acme/web:placeholder', 8080) as {
        spec: { containers: Record<string, unknown>[] }
      }
      template.spec.containers[0].env = [{ name: 'LEVEL', value: level }]
      template.spec.containers[0].envFrom = [{ configMapRef: { name: `${name}-config` } }]
      const file = join(dir, `${name}.yaml`)
      writeFileSync(
        file,
        [
          {
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: { name: `${name}-config` },
            data: { greeting }
          },
          {
            apiVersion: 'apps/v1',
            kind: 'StatefulSet',
            metadata: { name },
            spec: {
              replicas: 4,
              serviceName: name,
              podManagementPolicy: 'Parallel',
              selector: { matchLabels: { app: name } },
              updateStrategy: { type: 'RollingUpdate' },
              template
            }
          }
        ]
          .map((o) => stringify(o))
          .join('---\n')
      )
      return file
    }
    type Env = { name: string; value?: string }[]
    /** LEVEL of each pod, by pod name. */
    const levels = async (): Promise<Record<string, string | undefined>> =>
      Object.fromEntries(
        (await pods(suite.cluster, `app=${name}`))
          .map((pod) => [
            pod.metadata.name,
            ((pod.spec?.containers as { env?: Env }[])[0].env ?? []).find((e) => e.name === 'LEVEL')
              ?.value
          ])
          .sort()
      )
    const settled = (want: Record<string, string | undefined>) =>
      waitFor(`the pods of statefulset/${name} to run ${JSON.stringify(want)}`, async () => {
        const now = await levels()
        return JSON.stringify(now) === JSON.stringify(want) ? now : false
      })
    const two = manifests('two', 'hi')

    const canary = await promote({
      stage: 'canary',
      workload: `statefulset/${name}`,
      source: image('b'),
      weight: '25',
      manifests: two
    })
    expectSucceeded(canary, { weight: '25', started: 'true' })
    expect(canary.summary).toContain('`spec.containers[app].env`<br>`spec.containers[app].envFrom`')
    await settled({
      'conf-0': undefined,
      'conf-1': undefined,
      'conf-2': undefined,
      'conf-3': 'two'
    })
    const [canaryPod] = (await pods(suite.cluster, `app=${name}`)).filter(
      (p) => p.metadata.name === 'conf-3'
    )
    const config = ((
      canaryPod.spec?.containers as { envFrom?: { configMapRef: { name: string } }[] }[]
    )[0].envFrom ?? [])[0]?.configMapRef.name
    expect(config).toMatch(/^conf-config-[0-9a-f]{10}$/)
    expect(
      (
        await kubeOk<KubeObject & { data: unknown }>(
          suite.cluster,
          'GET',
          `/api/v1/namespaces/dev/configmaps/${config}`
        )
      ).data
    ).toEqual({ greeting: 'hi' })

    expectSucceeded(
      await promote({ stage: 'production', workload: `statefulset/${name}`, manifests: two })
    )
    await settled({ 'conf-0': 'two', 'conf-1': 'two', 'conf-2': 'two', 'conf-3': 'two' })
    expect(partitionOf(await getSet(name))).toBe(0)

    const rollback = await promote({ stage: 'rollback', workload: `statefulset/${name}` })
    expectSucceeded(rollback, { image: image('a') })
    await settled({
      'conf-0': undefined,
      'conf-1': undefined,
      'conf-2': undefined,
      'conf-3': undefined
    })
    expect(imageOfSet(await getSet(name))).toBe(image('a'))
  }, 180_000)
})
