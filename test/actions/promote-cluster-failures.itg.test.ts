import { describe, expect, it } from '@jest/globals'
import { kubeOk, waitFor, type KubeObject } from '../../harness/kube-request.js'
import { startTcpRelay } from '../../harness/tcp-relay.js'
import {
  deployment,
  digest,
  endpointPods,
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
  transcript,
  waitForEndpoints
} from './promote-cluster-support.js'

const suite = clusterSuite()

const promote = suite.promote
const service = (name: string) =>
  kubeOk(suite.cluster, 'GET', `/api/v1/namespaces/dev/services/${name}`)

describe('promote cancelled (the runner signals the action)', () => {
  it('stops waiting on SIGTERM, removes the canary, releases the claim, and exits within 5 s', async () => {
    await stableWorkload(suite.cluster, 'halted', { replicas: 2 })
    suite.cluster.node.failImages.add(digest('7')) // the canary never becomes ready: the wait goes on
    const stableBefore = await deployment(suite.cluster, 'halted')
    try {
      const result = await promote(
        {
          stage: 'canary',
          workload: 'deployment/halted',
          source: image('7'),
          weight: '50',
          timeout: '5m'
        },
        {},
        {
          signalWhen: {
            signal: 'SIGTERM',
            after: /deployment\/halted-canary: Waiting for deployment/
          }
        }
      )
      expect(result.exitAfterSignalMs).toBeLessThan(5000)
      expectFailed(
        result,
        'The run was cancelled (SIGTERM) while deployment/halted-canary in namespace dev rolled out'
      )
      expect(failure(result)).toContain('Removed the canary again')
      // it put back what it changed: a workflow's rollback job has nothing to do for it
      expect(result.outputs.started).toBe('false')
      expect(await deployment(suite.cluster, 'halted-canary')).toBeUndefined()
      expect((await deployment(suite.cluster, 'halted'))?.spec).toEqual(stableBefore?.spec)
      // no claim left behind, no state written: a next run starts as if this one never ran
      expect(await stateOf(suite.cluster, 'halted')).toEqual({})
    } finally {
      suite.cluster.node.failImages.delete(digest('7'))
    }
  })
})

describe('promote and an API server outage during the rollout wait (a relay cut and healed)', () => {
  it('rides out a 10 s outage of stage production and finishes the rollout', async () => {
    const relay = await startTcpRelay(Number(new URL(suite.cluster.server).port))
    try {
      await stableWorkload(suite.cluster, 'steadfast', { replicas: 2 })
      suite.cluster.node.failImages.add(digest('9'))
      const kubeconfig = suite.cluster.deployer.kubeconfig.replace(
        suite.cluster.server,
        `https://${relay.host}`
      )
      const running = promote({
        stage: 'production',
        workload: 'deployment/steadfast',
        source: image('9'),
        kubeconfig
      })
      await waitFor(
        'the new image on stable',
        async () => imageOfDeployment(await deployment(suite.cluster, 'steadfast')) === image('9')
      )
      await relay.cut()
      suite.cluster.node.failImages.delete(digest('9')) // the rollout finishes during the outage
      await new Promise((resolve) => setTimeout(resolve, 10_000))
      await relay.heal()
      const result = await running
      expectSucceeded(result, { image: image('9') })
      expect(result.stdout).toMatch(/does not answer/)
      expect(imageOfDeployment(await deployment(suite.cluster, 'steadfast'))).toBe(image('9'))
      expect(await stateOf(suite.cluster, 'steadfast')).toMatchObject({
        stage: 'production',
        'stable-image': image('9')
      })
    } finally {
      await relay.stop()
    }
  })
})

describe('promote undoes a failed step', () => {
  it('removes a crash-looping canary again, naming the pod problem, and leaves stable alone', async () => {
    await stableWorkload(suite.cluster, 'flaky', { replicas: 2, progressDeadlineSeconds: 5 })
    suite.cluster.node.crashImages.add(digest('e'))
    const stableBefore = await deployment(suite.cluster, 'flaky')
    const serviceBefore = await service('flaky')
    const result = await promote({
      stage: 'canary',
      workload: 'deployment/flaky',
      source: image('e'),
      weight: '50',
      timeout: '15s'
    })
    expectFailed(result, 'deployment/flaky-canary in namespace dev did not roll out')
    const message = failure(result)
    expect(message).toMatch(/CrashLoopBackOff/)
    expect(message).toContain('Removed the canary again')
    expect(message).toContain('; deployment/flaky in namespace dev serves all traffic as before.')
    expect(result.outputs.started).toBe('false')
    expect(message.match(/in namespace/g)?.length).toBe(
      message.match(/deployment\/[\w-]+ in namespace dev/g)?.length
    )
    // one ::error: the step's failure, not the rollout's reason again before it
    expect(result.annotations.filter((a) => a.level === 'error')).toHaveLength(1)
    expect(await deployment(suite.cluster, 'flaky-canary')).toBeUndefined()
    const stableAfter = await deployment(suite.cluster, 'flaky')
    expect(stableAfter?.spec).toEqual(stableBefore?.spec)
    // claiming writes annotations (which bumps a Deployment's generation), never a new revision
    expect(stableAfter?.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('1')
    expect((await service('flaky')).spec).toEqual(serviceBefore.spec)
    expect(await stateOf(suite.cluster, 'flaky')).toEqual({})
    await waitForEndpoints(suite.cluster, 'flaky', 'app=flaky', 2)
  }, 60_000)

  it('puts stable back when production’s image never becomes ready, leaving the canary as it was', async () => {
    await stableWorkload(suite.cluster, 'steady', { replicas: 2, progressDeadlineSeconds: 5 })
    const canary = await promote({
      stage: 'canary',
      workload: 'deployment/steady',
      source: image('f'),
      weight: '20'
    })
    expectSucceeded(canary)
    const canaryBefore = await deployment(suite.cluster, 'steady-canary')
    const stateBefore = await stateOf(suite.cluster, 'steady')
    suite.cluster.node.failImages.add(digest('f'))
    try {
      const result = await promote({
        stage: 'production',
        workload: 'deployment/steady',
        timeout: '20s'
      })
      expectFailed(result, 'deployment/steady in namespace dev did not roll out')
      expect(failure(result)).toContain(
        `Put deployment/steady back to ${image('a')}, which is available again.`
      )
      expect(result.outputs.started).toBe('false')
      await expectRunning(suite.cluster, 'steady', image('a'), 2)
      const canaryAfter = await deployment(suite.cluster, 'steady-canary')
      expect(canaryAfter?.spec).toEqual(canaryBefore?.spec)
      expect(await stateOf(suite.cluster, 'steady')).toEqual(stateBefore)
      expect(
        (await pods(suite.cluster, 'app=steady')).map((p) => p.spec.containers[0].image).sort()
      ).toEqual([image('a'), image('a'), image('f')])
    } finally {
      suite.cluster.node.failImages.delete(digest('f'))
    }
  }, 90_000)
})

describe('two promote runs racing on one workload', () => {
  it('lets one canary win and fails the other clearly, never mixing them', async () => {
    await stableWorkload(suite.cluster, 'race')
    const [b, c] = await Promise.all(
      ['b', 'c'].map((x) =>
        promote({ stage: 'canary', workload: 'deployment/race', source: image(x), weight: '20' })
      )
    )
    const results = { b, c }
    const winners = Object.entries(results).filter(([, r]) => r.exitCode === 0)
    expect(winners.map(([x]) => x)).toHaveLength(1)
    const [[won]] = winners
    const lost = results[won === 'b' ? 'c' : 'b']
    expectFailed(
      lost,
      new RegExp(
        `deployment/race is being changed by another promote run \\(stage canary\\)|Refusing stage canary of .*: a canary of ${image(won).replace(/[.]/g, '\\.')} runs`
      )
    )
    expect(transcript(lost)).not.toContain('Run the canary')
    const list = await kubeOk<{ items: KubeObject[] }>(
      suite.cluster,
      'GET',
      '/apis/apps/v1/namespaces/dev/deployments'
    )
    const canaries = list.items.map((d) => d.metadata.name).filter((n) => n.startsWith('race-'))
    expect(canaries).toEqual(['race-canary'])
    expect(imageOfDeployment(await deployment(suite.cluster, 'race-canary'))).toBe(image(won))
    const images = (await pods(suite.cluster, 'app=race')).map((p) => p.spec.containers[0].image)
    expect(new Set(images)).toEqual(new Set([image('a'), image(won)]))
    const state = await stateOf(suite.cluster, 'race')
    expect(state).toMatchObject({
      stage: 'canary',
      'canary-image': image(won),
      'stable-image': image('a')
    })
    expect(state).not.toHaveProperty('lock')
  }, 90_000)
})

describe('promote refuses what the cluster does not allow', () => {
  it('refuses a canary of a workload that does not exist', async () => {
    const result = await promote({
      stage: 'canary',
      workload: 'deployment/nowhere',
      source: image('b'),
      weight: '10'
    })
    expectFailed(
      result,
      `deployment/nowhere in namespace dev does not exist on ${suite.cluster.server}: a canary runs beside a stable Deployment`
    )
    // refused before it changed anything: `started` says so, and release.yml rolls nothing back
    expect(result.outputs.started).toBe('false')
    expect(await deployment(suite.cluster, 'nowhere-canary')).toBeUndefined()
  })

  it('refuses a Service without a selector, and a workload no Service selects, changing nothing', async () => {
    await stableWorkload(suite.cluster, 'headless', { replicas: 1, service: false })
    await kubeOk(suite.cluster, 'POST', '/api/v1/namespaces/dev/services', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'headless' },
      spec: { ports: [{ port: 80 }] }
    })
    const named = await promote({
      stage: 'canary',
      workload: 'deployment/headless',
      service: 'headless',
      source: image('b'),
      weight: '10'
    })
    expectFailed(
      named,
      'Service headless in namespace dev has no selector: promote routes traffic by selecting pods'
    )
    const found = await promote({
      stage: 'canary',
      workload: 'deployment/headless',
      source: image('b'),
      weight: '10'
    })
    expectFailed(
      found,
      'No Service in namespace dev selects the pods of deployment/headless in namespace dev (labels app=headless)'
    )
    expect(await deployment(suite.cluster, 'headless-canary')).toBeUndefined()
    expect(await stateOf(suite.cluster, 'headless')).toEqual({})
    expect(await endpointPods(suite.cluster, 'headless')).toEqual([])
    expect(transcript(found)).not.toContain('Claim the workload')
  })
})
