import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from '@jest/globals'
import { stringify } from 'yaml'
import { deploymentObject } from '../../harness/kube-objects.js'
import { kubeFind, kubeOk } from '../../harness/kube-request.js'
import type { KubeObject } from '../../harness/kube-request.js'
import {
  clusterSuite,
  deployment,
  expectFailed,
  expectSucceeded,
  image,
  imageOfDeployment,
  pods,
  stateOf,
  waitForEndpoints
} from './promote-cluster-support.js'

const suite = clusterSuite()
const promote = suite.promote
const CONFIGMAPS = '/api/v1/namespaces/dev/configmaps'

/** A release's manifests of `name`: a ConfigMap it reads and a LEVEL env value, in a fresh folder. */
function manifests(level: string, greeting: string, name = 'shop'): string {
  const workload = deploymentObject(name, 'registry.example/acme/web:placeholder', {
    replicas: 4
  }) as KubeObject & { spec: { template: { spec: { containers: Record<string, unknown>[] } } } }
  const [app] = workload.spec.template.spec.containers
  app.env = [{ name: 'LEVEL', value: level }]
  app.envFrom = [{ configMapRef: { name: `${name}-config` } }]
  const dir = mkdtempSync(join(tmpdir(), 'promote-change-'))
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
      workload,
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name },
        spec: { selector: { app: name }, ports: [{ port: 80 }] }
      }
    ]
      .map((o) => stringify(o))
      .join('---\n')
  )
  return file
}

type Container = {
  env?: { name: string; value: string }[]
  envFrom?: { configMapRef?: { name: string } }[]
}

/** What a pod template's app container reads: its LEVEL and the ConfigMap its env comes from. */
function reads(object: KubeObject | undefined): { level?: string; config?: string } {
  const spec = object?.spec as {
    template?: { spec: { containers: Container[] } }
    containers?: Container[]
  }
  const [app] = spec.template?.spec.containers ?? spec.containers ?? []
  return {
    level: app?.env?.find((e) => e.name === 'LEVEL')?.value,
    config: app?.envFrom?.[0]?.configMapRef?.name
  }
}

async function configData(name: string): Promise<Record<string, string> | undefined> {
  const found = await kubeFind<KubeObject & { data?: Record<string, string> }>(
    suite.cluster,
    `${CONFIGMAPS}/${name}`
  )
  return found?.data
}

/** LEVEL and config of the pods with these labels, one entry per pod. */
async function podsRead(selector: string): Promise<{ level?: string; config?: string }[]> {
  return (await pods(suite.cluster, selector)).map(reads)
}

/** Creates deployment/`name` from its first manifests (LEVEL one, greeting hello) with image a. */
async function create(name: string): Promise<void> {
  expectSucceeded(
    await promote({
      stage: 'production',
      workload: `deployment/${name}`,
      source: image('a'),
      manifests: manifests('one', 'hello', name)
    })
  )
}

describe('promote with manifests: the canary carries the whole change', () => {
  it('runs env and ConfigMap changes through canary, production and rollback, and finalize deletes orphaned config', async () => {
    const v1 = manifests('one', 'hello')
    const v2 = manifests('two', 'hi')
    expectSucceeded(
      await promote({
        stage: 'production',
        workload: 'deployment/shop',
        source: image('a'),
        manifests: v1
      })
    )
    await waitForEndpoints(suite.cluster, 'shop', 'app=shop', 4)
    const stableBefore = await deployment(suite.cluster, 'shop')
    expect(reads(stableBefore)).toEqual({ level: 'one', config: 'shop-config' })

    // someone edits production by hand (`kubectl set env`): the canary's report says so
    await kubeOk(
      suite.cluster,
      'PATCH',
      '/apis/apps/v1/namespaces/dev/deployments/shop',
      {
        spec: {
          template: {
            spec: { containers: [{ name: 'app', env: [{ name: 'EXTRA', value: 'by-hand' }] }] }
          }
        }
      },
      { contentType: 'application/strategic-merge-patch+json' }
    )
    await waitForEndpoints(suite.cluster, 'shop', 'app=shop', 4)
    const edited = await deployment(suite.cluster, 'shop')
    const dry = await promote({
      stage: 'canary',
      workload: 'deployment/shop',
      source: image('b'),
      manifests: v2,
      weight: '25',
      'dry-run': 'true'
    })
    expectSucceeded(dry, { changed: 'false' })
    expect(dry.stdout).toContain('spec.containers[app].env[LEVEL].value: "one" → "two"')
    expect(dry.stdout).toContain(
      'spec.containers[app].env[EXTRA]: {"name":"EXTRA","value":"by-hand"} → (absent)'
    )
    // the config's content changed, not its name as the manifests give it: no difference there
    expect(dry.stdout).not.toContain('configMapRef')
    expect(dry.summary).toContain('changes besides the image')
    expect(await deployment(suite.cluster, 'shop-canary')).toBeUndefined()

    const canary = await promote({
      stage: 'canary',
      workload: 'deployment/shop',
      source: image('b'),
      manifests: v2,
      weight: '25',
      baseline: 'true'
    })
    expectSucceeded(canary, { changed: 'true', started: 'true' })
    expect(canary.summary).toContain('spec.containers[app].env[LEVEL].value')
    const canaryDeployment = await deployment(suite.cluster, 'shop-canary')
    const canaryReads = reads(canaryDeployment)
    expect(canaryReads.level).toBe('two')
    expect(canaryReads.config).toMatch(/^shop-config-[0-9a-f]{10}$/)
    expect(await configData(canaryReads.config!)).toEqual({ greeting: 'hi' })
    expect(imageOfDeployment(canaryDeployment)).toBe(image('b'))
    // stable and its pods read what they read, and the ConfigMap they read is untouched
    expect((await deployment(suite.cluster, 'shop'))?.spec).toEqual(edited?.spec)
    expect(reads(await deployment(suite.cluster, 'shop'))).toEqual({
      level: 'one',
      config: 'shop-config'
    })
    expect(await podsRead('app=shop,!rollout-kit/track')).toEqual(
      Array(4).fill({ level: 'one', config: 'shop-config' })
    )
    expect(await configData('shop-config')).toEqual({ greeting: 'hello' })
    expect(reads(await deployment(suite.cluster, 'shop-baseline'))).toEqual({
      level: 'one',
      config: 'shop-config'
    })
    const canaryPods = (canaryDeployment?.spec as { replicas: number }).replicas
    expect(await podsRead('rollout-kit/track=canary')).toEqual(Array(canaryPods).fill(canaryReads))

    // production refuses manifests other than the ones the canary ran, and none at all
    const v3 = manifests('three', 'hi')
    expectFailed(
      await promote({ stage: 'production', workload: 'deployment/shop', manifests: v3 }),
      'differ from what the canary ran'
    )
    expectFailed(
      await promote({ stage: 'production', workload: 'deployment/shop' }),
      'runs a template of its own'
    )

    const production = await promote({
      stage: 'production',
      workload: 'deployment/shop',
      manifests: v2
    })
    expectSucceeded(production, { image: image('b'), started: 'true' })
    const stableAfter = await deployment(suite.cluster, 'shop')
    expect(reads(stableAfter)).toEqual(canaryReads)
    expect(imageOfDeployment(stableAfter)).toBe(image('b'))
    expect(await deployment(suite.cluster, 'shop-canary')).toBeUndefined()
    await waitForEndpoints(suite.cluster, 'shop', 'app=shop', 4)
    expect(await podsRead('app=shop,!rollout-kit/track')).toEqual(Array(4).fill(canaryReads))
    expect(await stateOf(suite.cluster, 'shop')).toMatchObject({
      stage: 'production',
      'stable-image': image('b'),
      'previous-image': image('a')
    })

    const rollback = await promote({ stage: 'rollback', workload: 'deployment/shop' })
    expectSucceeded(rollback, { image: image('a') })
    expect(rollback.stdout).toContain('with the pod template of revision')
    expect(reads(await deployment(suite.cluster, 'shop'))).toEqual({
      level: 'one',
      config: 'shop-config'
    })
    await waitForEndpoints(suite.cluster, 'shop', 'app=shop', 4)
    expect(await podsRead('app=shop,!rollout-kit/track')).toEqual(
      Array(4).fill({ level: 'one', config: 'shop-config' })
    )

    // a canary of v3 rolled back leaves its ConfigMap read by nothing; finalize deletes it and
    // keeps v2's, which a ReplicaSet of the history still reads
    expectSucceeded(
      await promote({
        stage: 'canary',
        workload: 'deployment/shop',
        source: image('c'),
        manifests: manifests('three', 'hey'),
        weight: '25'
      })
    )
    const v3Config = reads(await deployment(suite.cluster, 'shop-canary')).config!
    expect(await configData(v3Config)).toEqual({ greeting: 'hey' })
    expectSucceeded(await promote({ stage: 'rollback', workload: 'deployment/shop' }))
    const finalize = await promote({ stage: 'finalize', workload: 'deployment/shop' })
    expectSucceeded(finalize, { changed: 'true' })
    expect(await configData(v3Config)).toBeUndefined()
    expect(await configData(canaryReads.config!)).toEqual({ greeting: 'hi' })
    expect(await configData('shop-config')).toEqual({ greeting: 'hello' })
  }, 240_000)

  it('takes a change of configuration alone (the image stable runs) through a canary, with pull secrets', async () => {
    await create('quiet')
    const louder = manifests('two', 'hello', 'quiet')
    const pullSecrets = (name: string) =>
      deployment(suite.cluster, name).then(
        (d) =>
          (d?.spec as { template: { spec: { imagePullSecrets?: unknown } } }).template.spec
            .imagePullSecrets
      )
    const canary = await promote({
      stage: 'canary',
      workload: 'deployment/quiet',
      source: image('a'),
      manifests: louder,
      weight: '25',
      'image-pull-secrets': 'regcred'
    })
    expectSucceeded(canary, { started: 'true' })
    expect(reads(await deployment(suite.cluster, 'quiet-canary')).level).toBe('two')
    expect(await pullSecrets('quiet-canary')).toEqual([{ name: 'regcred' }])
    expect(reads(await deployment(suite.cluster, 'quiet')).level).toBe('one')
    expect(await pullSecrets('quiet')).toBeUndefined()
    const production = await promote({
      stage: 'production',
      workload: 'deployment/quiet',
      manifests: louder,
      'image-pull-secrets': 'regcred'
    })
    expectSucceeded(production, { changed: 'true', image: image('a') })
    expect(reads(await deployment(suite.cluster, 'quiet')).level).toBe('two')
    expect(await pullSecrets('quiet')).toEqual([{ name: 'regcred' }])
    // the same again is refused as before: nothing besides the image differs, nothing to compare
    expectFailed(
      await promote({
        stage: 'canary',
        workload: 'deployment/quiet',
        source: image('a'),
        manifests: louder,
        weight: '25',
        'image-pull-secrets': 'regcred'
      }),
      'already runs it as stable'
    )
  }, 120_000)

  it('runs the idle colour of a blue-green pair with the manifests’ template, green and blue alike', async () => {
    await create('pair')
    const blueGreen = (source: string, level: string) =>
      promote({
        stage: 'production',
        strategy: 'blue-green',
        traffic: 'replicas',
        workload: 'deployment/pair',
        source,
        manifests: manifests(level, `greeting ${level}`, 'pair')
      })
    const selector = async () =>
      (
        (await kubeOk(suite.cluster, 'GET', '/api/v1/namespaces/dev/services/pair')).spec as {
          selector: Record<string, string>
        }
      ).selector

    expectSucceeded(await blueGreen(image('b'), 'two'), { 'active-color': 'green' })
    const green = reads(await deployment(suite.cluster, 'pair-green'))
    expect(green.level).toBe('two')
    expect(await configData(green.config!)).toEqual({ greeting: 'greeting two' })
    expect(reads(await deployment(suite.cluster, 'pair'))).toEqual({
      level: 'one',
      config: 'pair-config'
    })
    expect(await selector()).toMatchObject({ 'rollout-kit/track': 'green' })

    expectSucceeded(await blueGreen(image('c'), 'three'), { 'active-color': 'blue' })
    const blue = reads(await deployment(suite.cluster, 'pair'))
    expect(blue.level).toBe('three')
    expect(await configData(blue.config!)).toEqual({ greeting: 'greeting three' })
    expect(imageOfDeployment(await deployment(suite.cluster, 'pair'))).toBe(image('c'))
    expect(reads(await deployment(suite.cluster, 'pair-green')).level).toBe('two')
    expect(await selector()).toEqual({ app: 'pair' })
  }, 120_000)
})
