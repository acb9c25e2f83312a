import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from '@jest/globals'
import { stringify } from 'yaml'
import { deploymentObject } from '../../harness/kube-objects.js'
import { pushEvent } from './github-env.js'
import {
  deployment,
  expectFailed,
  expectRunning,
  expectSucceeded,
  failure,
  image,
  imageOfDeployment,
  pods,
  clusterSuite,
  stableWorkload,
  stateOf,
  waitForEndpoints
} from './promote-cluster-support.js'

const suite = clusterSuite({ github: true })

const promote = suite.promote
const SHA = '0123456789abcdef0123456789abcdef01234567'

describe('promote canary (traffic replicas)', () => {
  it('runs a canary beside stable behind its Service, re-weights it, refuses another, promotes it', async () => {
    await stableWorkload(suite.cluster, 'web')
    const canary = await promote({
      stage: 'canary',
      workload: 'deployment/web',
      source: image('b'),
      weight: '20'
    })
    expectSucceeded(canary, {
      stage: 'canary',
      image: image('b'),
      digest: `sha256:${'b'.repeat(64)}`,
      'previous-image': image('a'),
      weight: '20',
      changed: 'true'
    })
    expect(canary.stderr).toBe('')
    const c = await deployment(suite.cluster, 'web-canary')
    expect(c?.spec).toMatchObject({
      replicas: 1,
      selector: { matchLabels: { 'rollout-kit/workload': 'web', 'rollout-kit/track': 'canary' } }
    })
    expect(imageOfDeployment(c)).toBe(image('b'))
    const [pod, ...more] = await pods(suite.cluster, 'rollout-kit/track=canary')
    expect(more).toEqual([])
    expect(pod.metadata.labels).toMatchObject({ app: 'web', 'rollout-kit/track': 'canary' })
    expect(pod.status?.conditions).toContainEqual(
      expect.objectContaining({ type: 'Ready', status: 'True' })
    )
    // the stable Service sends to 4 stable pods and the canary pod: 20 % by replica ratio
    const behind = await waitForEndpoints(suite.cluster, 'web', 'app=web', 5)
    expect(behind).toContain(pod.metadata.name)
    const stable = await deployment(suite.cluster, 'web')
    expect(stable?.spec.selector).toEqual({ matchLabels: { app: 'web' } })
    expect(imageOfDeployment(stable)).toBe(image('a'))
    expect(await stateOf(suite.cluster, 'web')).toMatchObject({
      stage: 'canary',
      strategy: 'canary',
      container: 'app',
      'stable-image': image('a'),
      'canary-image': image('b'),
      'canary-weight': '20',
      traffic: 'replicas'
    })
    expect(await stateOf(suite.cluster, 'web')).not.toHaveProperty('lock')

    const more40 = await promote({
      stage: 'canary',
      workload: 'deployment/web',
      source: image('b'),
      weight: '40'
    })
    expect(more40.outputs).toMatchObject({ weight: '43', changed: 'true' })
    expect((await deployment(suite.cluster, 'web-canary'))?.spec.replicas).toBe(3)
    const same = await promote({
      stage: 'canary',
      workload: 'deployment/web',
      source: image('b'),
      weight: '40'
    })
    expectSucceeded(same, { weight: '43', changed: 'false' })

    // a canary of another digest while this one runs is an illegal transition
    const other = await promote({
      stage: 'canary',
      workload: 'deployment/web',
      source: image('c'),
      weight: '20'
    })
    expectFailed(
      other,
      `Refusing stage canary of ${image('c')}: a canary of ${image('b')} runs on deployment/web in namespace dev at 43 %`
    )
    // production of a digest other than the canary's names both
    const wrong = await promote({
      stage: 'production',
      workload: 'deployment/web',
      source: image('c')
    })
    expectFailed(
      wrong,
      `Refusing stage production of ${image('c')}: the canary running on deployment/web in namespace dev is ${image('b')}`
    )
    expect(imageOfDeployment(await deployment(suite.cluster, 'web-canary'))).toBe(image('b'))
    expect(await stateOf(suite.cluster, 'web')).toMatchObject({ 'canary-weight': '43' })

    const production = await promote(
      { stage: 'production', workload: 'deployment/web', 'github-token': suite.github.token },
      { ...pushEvent('main', SHA), GITHUB_API_URL: suite.github.url }
    )
    expectSucceeded(production, {
      stage: 'production',
      image: image('b'),
      'previous-image': image('a'),
      changed: 'true',
      'deployment-id': String(suite.github.deployments[0]?.id)
    })
    await expectRunning(suite.cluster, 'web', image('b'), 4)
    expect(await deployment(suite.cluster, 'web-canary')).toBeUndefined()
    await waitForEndpoints(suite.cluster, 'web', 'app=web', 4)
    const state = await stateOf(suite.cluster, 'web')
    expect(state).toMatchObject({
      stage: 'production',
      'stable-image': image('b'),
      'previous-image': image('a'),
      'run-url': 'https://github.com/acme/app/actions/runs/4242'
    })
    expect(state).not.toHaveProperty('canary-image')
    expect(state).not.toHaveProperty('lock')

    const [recorded] = suite.github.deployments
    expect(recorded).toMatchObject({
      environment: 'production',
      sha: SHA,
      production_environment: true
    })
    expect(suite.github.statuses(recorded.id).map((s) => s.state)).toEqual([
      'success',
      'in_progress'
    ])
  }, 120_000)

  it('runs a baseline with stable’s image at the canary’s size, and a rollback removes both', async () => {
    await stableWorkload(suite.cluster, 'api')
    const canary = await promote({
      stage: 'canary',
      workload: 'deployment/api',
      source: image('b'),
      weight: '20',
      baseline: 'true'
    })
    expectSucceeded(canary, { weight: '17', changed: 'true' })
    const baseline = await deployment(suite.cluster, 'api-baseline')
    expect(imageOfDeployment(baseline)).toBe(image('a'))
    expect(baseline?.spec.replicas).toBe(1)
    expect(baseline?.status).toMatchObject({ availableReplicas: 1 })
    expect((await deployment(suite.cluster, 'api-canary'))?.spec.replicas).toBe(1)
    await waitForEndpoints(suite.cluster, 'api', 'app=api', 6)
    expect(await stateOf(suite.cluster, 'api')).toMatchObject({
      baseline: 'true',
      'canary-weight': '17'
    })

    const rollback = await promote({ stage: 'rollback', workload: 'deployment/api' })
    expectSucceeded(rollback, {
      image: image('a'),
      'previous-image': image('b'),
      changed: 'true',
      weight: '0'
    })
    expect(await deployment(suite.cluster, 'api-canary')).toBeUndefined()
    expect(await deployment(suite.cluster, 'api-baseline')).toBeUndefined()
    await waitForEndpoints(suite.cluster, 'api', 'app=api', 4)
    expect(await stateOf(suite.cluster, 'api')).toMatchObject({
      stage: 'rolled-back',
      'stable-image': image('a'),
      'rolled-back-image': image('b')
    })
  }, 90_000)

  it('says what a dry run would do and changes nothing', async () => {
    await stableWorkload(suite.cluster, 'dry', { replicas: 2 })
    const result = await promote({
      stage: 'canary',
      workload: 'deployment/dry',
      source: image('b'),
      weight: '50',
      'dry-run': 'true'
    })
    expectSucceeded(result, { changed: 'false', weight: '50', image: image('b') })
    expect(result.stdout).toContain(`Would run ${image('b')} as deployment/dry-canary (2 replicas)`)
    expect(await deployment(suite.cluster, 'dry-canary')).toBeUndefined()
    expect(await stateOf(suite.cluster, 'dry')).toEqual({})
  })

  it('runs a canary beside an unlabelled Deployment without touching its selector', async () => {
    await stableWorkload(suite.cluster, 'legacy', { labelled: false, replicas: 2 })
    const before = await deployment(suite.cluster, 'legacy')
    const canary = await promote({
      stage: 'canary',
      workload: 'deployment/legacy',
      source: image('b'),
      weight: '50'
    })
    expectSucceeded(canary, { weight: '50' })
    const after = await deployment(suite.cluster, 'legacy')
    expect(after?.metadata.labels).toBeUndefined()
    expect(after?.spec.selector).toEqual(before?.spec.selector)
    expect(after?.spec.template).toEqual(before?.spec.template)
    expect(after?.status).toMatchObject({ replicas: 2, availableReplicas: 2 })
    const c = await deployment(suite.cluster, 'legacy-canary')
    expect(c?.status).toMatchObject({ availableReplicas: 2 })
    await waitForEndpoints(suite.cluster, 'legacy', 'app=legacy', 4)
  }, 90_000)
})

describe('promote production (strategy canary)', () => {
  it('rolls out the source directly when no canary runs', async () => {
    await stableWorkload(suite.cluster, 'direct', { replicas: 2 })
    const result = await promote({
      stage: 'production',
      workload: 'deployment/direct',
      source: image('c')
    })
    expectSucceeded(result, {
      image: image('c'),
      'previous-image': image('a'),
      changed: 'true'
    })
    await expectRunning(suite.cluster, 'direct', image('c'), 2)
    expect(await stateOf(suite.cluster, 'direct')).toMatchObject({
      stage: 'production',
      'stable-image': image('c'),
      'previous-image': image('a')
    })
    const again = await promote({
      stage: 'production',
      workload: 'deployment/direct',
      source: image('c')
    })
    expect(again.outputs).toMatchObject({ changed: 'false', image: image('c') })
  }, 60_000)

  it('creates a workload that does not exist from the manifests, with the source as its image', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'promote-manifests-'))
    const manifest = join(dir, 'fresh.yaml')
    writeFileSync(
      manifest,
      [
        deploymentObject('fresh', 'registry.example/acme/web:placeholder', { replicas: 2 }),
        {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'fresh' },
          spec: { selector: { app: 'fresh' }, ports: [{ port: 80 }] }
        }
      ]
        .map((o) => stringify(o))
        .join('---\n')
    )
    const result = await promote({
      stage: 'production',
      workload: 'deployment/fresh',
      source: image('d'),
      manifests: manifest
    })
    expectSucceeded(result, {
      image: image('d'),
      changed: 'true',
      'previous-image': ''
    })
    await expectRunning(suite.cluster, 'fresh', image('d'), 2)
    expect(await stateOf(suite.cluster, 'fresh')).toMatchObject({
      stage: 'production',
      'stable-image': image('d')
    })
    await waitForEndpoints(suite.cluster, 'fresh', 'app=fresh', 2)
  }, 60_000)

  it('says a workload that does not exist needs manifests', async () => {
    const result = await promote({
      stage: 'production',
      workload: 'deployment/missing',
      source: image('d')
    })
    expect(result.exitCode).toBe(1)
    expect(failure(result)).toBe(
      `deployment/missing in namespace dev does not exist on ${suite.cluster.server}; give \`manifests\` to create it`
    )
  })
})
