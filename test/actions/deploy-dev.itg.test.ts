import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { stringify } from 'yaml'
import { runAction, type ActionResult } from '../../harness/action-runner.js'
import { startFaultProxy } from '../../harness/fault-proxy.js'
import { startGitHubApi, type GitHubApi } from '../../harness/github-api.js'
import { startControlPlane, type ControlPlane } from '../../harness/kube-control-plane.js'
import { deploymentObject, type DeploymentOptions } from '../../harness/kube-objects.js'
import { kubeOk, kubeRequest, waitFor, type KubeObject } from '../../harness/kube-request.js'
import { freePort } from '../../harness/ports.js'
import { startRegistry, type Registry } from '../../harness/registry.js'
import { pushImage } from '../../harness/synthetic-images.js'
import { startTcpRelay } from '../../harness/tcp-relay.js'
import { pushEvent } from './github-env.js'
import { parseReference, RegistryClient } from '../../src/registry/index.js'

let cluster: ControlPlane
let registry: Registry
let github: GitHubApi
let client: RegistryClient
const SHA = '0123456789abcdef0123456789abcdef01234567'

beforeAll(async () => {
  ;[cluster, registry, github] = await Promise.all([
    startControlPlane(),
    startRegistry(),
    startGitHubApi()
  ])
  client = new RegistryClient()
}, 120_000)
afterAll(async () => {
  await client?.close()
  await Promise.all([cluster?.stop(), registry?.stop(), github?.stop()])
})

/** Pushes a small image at `repository:tag` and returns its pinned reference. */
async function image(repository: string, tag: string, created = new Date().toISOString()) {
  const ref = parseReference(`${registry.host}/${repository}:${tag}`)
  const { digest } = await pushImage(client, ref, created)
  return {
    tagged: `${registry.host}/${repository}:${tag}`,
    pinned: `${registry.host}/${repository}@${digest}`,
    digest
  }
}

const deployment = (name: string, image: string, options: DeploymentOptions = {}): KubeObject =>
  deploymentObject(name, image, { containerPort: 8080, ...options })

function service(name: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name },
    spec: { selector: { app: name }, ports: [{ port: 80, targetPort: 8080 }] }
  }
}

/** A folder of manifests: one YAML file per entry. */
function manifests(files: Record<string, KubeObject[] | string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'deploy-dev-manifests-'))
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(join(dir, file, '..'), { recursive: true })
    writeFileSync(
      join(dir, file),
      typeof content === 'string' ? content : content.map((o) => stringify(o)).join('---\n')
    )
  }
  return dir
}

function env(): Record<string, string> {
  return { ...pushEvent('dev', SHA), GITHUB_API_URL: github.url }
}

async function live(name: string): Promise<KubeObject> {
  return kubeOk(cluster, 'GET', `/apis/apps/v1/namespaces/dev/deployments/${name}`)
}

function imageOf(object: KubeObject): string {
  const spec = object.spec as { template: { spec: { containers: { image: string }[] } } }
  return spec.template.spec.containers[0].image
}

function failed(result: ActionResult): string {
  expect(result.exitCode).toBe(1)
  const errors = result.annotations.filter((a) => a.level === 'error')
  return errors[errors.length - 1]?.message ?? ''
}

describe('deploy-dev mode apply', () => {
  it('applies manifests with the image pinned, waits for the rollout, records a Deployment, and a second run changes nothing', async () => {
    const web = await image('acme/web', 'sha-0123456')
    const dir = manifests({
      'web.yaml': [deployment('web', 'acme/web:placeholder'), service('web')],
      'config/settings.yaml': [
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'web-settings' },
          data: { a: '1' }
        }
      ]
    })
    const inputs = {
      manifests: dir,
      images: `acme/web=${web.tagged}`,
      kubeconfig: cluster.deployer.kubeconfig,
      timeout: '60s',
      'environment-url': 'https://dev.example.com',
      'github-token': github.token
    }
    const first = await runAction('deploy-dev', inputs, env())
    expect(first.stderr).toBe('')
    expect(first.exitCode).toBe(0)
    expect(first.outputs).toEqual({
      image: web.pinned,
      digest: web.digest,
      'previous-image': '',
      changed: 'true',
      revision: '1',
      'environment-url': 'https://dev.example.com',
      'deployment-id': String(github.deployments[0].id)
    })
    const applied = await live('web')
    expect(imageOf(applied)).toBe(web.pinned)
    expect(applied.status).toMatchObject({ availableReplicas: 2, updatedReplicas: 2 })
    expect(first.summary).toContain(web.pinned)
    // the kubeconfig's token never reaches the log
    expect(first.masks).toContain(cluster.deployer.token)

    const [recorded] = github.deployments
    expect(recorded).toMatchObject({ environment: 'dev', sha: SHA, transient_environment: true })
    expect(github.statuses(recorded.id).map((s) => s.state)).toEqual(['success', 'in_progress'])
    expect(github.statuses(recorded.id)[0]).toMatchObject({
      environment_url: 'https://dev.example.com',
      log_url: 'https://github.com/acme/app/actions/runs/4242'
    })

    const second = await runAction('deploy-dev', inputs, env())
    expect(second.exitCode).toBe(0)
    expect(second.outputs).toMatchObject({ image: web.pinned, changed: 'false', revision: '1' })
    expect(second.summary).toContain('nothing changed')
  })

  it('rolls back a crash-looping image to the revision that ran, says why per pod, and records the failure', async () => {
    const good = await image('acme/api', 'good')
    const bad = await image('acme/api', 'bad')
    cluster.node.crashImages.add(bad.digest)
    const dir = manifests({ 'api.yaml': [deployment('api', 'acme/api')] })
    const base = {
      manifests: dir,
      kubeconfig: cluster.deployer.kubeconfig,
      timeout: '8s',
      'github-token': github.token
    }
    expect(
      (await runAction('deploy-dev', { ...base, images: `acme/api=${good.pinned}` }, env()))
        .exitCode
    ).toBe(0)

    const result = await runAction(
      'deploy-dev',
      { ...base, images: `acme/api=${bad.pinned}` },
      env()
    )
    const message = failed(result)
    expect(message).toContain('deployment/api in namespace dev did not roll out')
    expect(message).toContain('CrashLoopBackOff')
    expect(message).toContain('Rolled back deployment/api to the previous revision')
    const after = await live('api')
    expect(imageOf(after)).toBe(good.pinned)
    const latest = github.deployments[0]
    expect(github.statuses(latest.id).map((s) => s.state)).toEqual(['failure', 'in_progress'])
  })

  it('fails a rollout past its progress deadline and rolls it back', async () => {
    const good = await image('acme/slow', 'good')
    const unready = await image('acme/slow', 'unready')
    cluster.node.failImages.add(unready.digest)
    const dir = manifests({
      'slow.yaml': [deployment('slow', 'acme/slow', { progressDeadlineSeconds: 3 })]
    })
    const base = { manifests: dir, kubeconfig: cluster.deployer.kubeconfig, timeout: '60s' }
    expect(
      (await runAction('deploy-dev', { ...base, images: `acme/slow=${good.pinned}` }, env()))
        .exitCode
    ).toBe(0)
    const result = await runAction(
      'deploy-dev',
      { ...base, images: `acme/slow=${unready.pinned}` },
      env()
    )
    const message = failed(result)
    expect(message).toContain('exceeded its progress deadline')
    expect(message).toContain('Rolled back deployment/slow')
    expect(imageOf(await live('slow'))).toBe(good.pinned)
    // without a token the deploy still ran and says that nothing was recorded
    expect(result.summary).toContain('No GitHub Deployment was recorded')
  })

  it('names the file and line of malformed YAML and changes nothing', async () => {
    const dir = manifests({
      'ok.yaml': [deployment('never', 'acme/never:1')],
      'broken.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n data: [\n'
    })
    const result = await runAction(
      'deploy-dev',
      { manifests: dir, kubeconfig: cluster.deployer.kubeconfig },
      env()
    )
    expect(failed(result)).toMatch(/broken\.yaml:\d+/)
    const response = await kubeRequest(
      cluster,
      'GET',
      '/apis/apps/v1/namespaces/dev/deployments/never'
    )
    expect(response.status).toBe(404)
  })

  it('refuses an image that matches no container, before applying', async () => {
    const dir = manifests({ 'one.yaml': [deployment('one', 'acme/one:1')] })
    const result = await runAction(
      'deploy-dev',
      {
        manifests: dir,
        images: `acme/typo@sha256:${'d'.repeat(64)}`,
        kubeconfig: cluster.deployer.kubeconfig
      },
      env()
    )
    expect(failed(result)).toContain('acme/typo')
    expect(
      (await kubeRequest(cluster, 'GET', '/apis/apps/v1/namespaces/dev/deployments/one')).status
    ).toBe(404)
  })

  it('names verb, resource and namespace when RBAC forbids, before writing anything', async () => {
    const dir = manifests({
      'a.yaml': [{ ...deployment('allowed', 'acme/allowed:1') }],
      'b.yaml': [
        {
          ...deployment('elsewhere', 'acme/elsewhere:1'),
          metadata: { name: 'elsewhere', namespace: 'kube-system' }
        }
      ]
    })
    const result = await runAction(
      'deploy-dev',
      { manifests: dir, kubeconfig: cluster.deployer.kubeconfig },
      env()
    )
    const message = failed(result)
    expect(message).toContain('deployments.apps')
    expect(message).toContain('kube-system')
    expect(message).toMatch(/not allowed to (patch|create)/)
    expect(
      (await kubeRequest(cluster, 'GET', '/apis/apps/v1/namespaces/dev/deployments/allowed')).status
    ).toBe(404)

    // the namespace input overrides the documents' own, so the same manifests are allowed
    const overridden = await runAction(
      'deploy-dev',
      { manifests: dir, namespace: 'dev', kubeconfig: cluster.deployer.kubeconfig, timeout: '60s' },
      env()
    )
    expect(overridden.exitCode).toBe(0)
    expect(imageOf(await live('elsewhere'))).toBe('acme/elsewhere:1')
  })

  it('says there is no kubeconfig, and names an unreachable API server', async () => {
    const dir = manifests({ 'x.yaml': [deployment('x', 'acme/x:1')] })
    const none = await runAction(
      'deploy-dev',
      { manifests: dir },
      { ...env(), HOME: mkdtempSync(join(tmpdir(), 'home-')) }
    )
    expect(failed(none)).toContain('kubeconfig')
    const port = await freePort()
    const unreachable = cluster.deployer.kubeconfig.replace(
      cluster.server,
      `https://127.0.0.1:${port}`
    )
    const down = await runAction('deploy-dev', { manifests: dir, kubeconfig: unreachable }, env())
    expect(failed(down)).toContain(`https://127.0.0.1:${port}`)
  })
})

describe('deploy-dev mode poll', () => {
  it('rolls out the tag a semver policy selects, then costs one tags request and one GET when nothing is new', async () => {
    const v1 = await image('acme/poll', '1.0.0')
    const v11 = await image('acme/poll', '1.1.0')
    await image('acme/poll', '2.0.0-rc.1')
    await image('acme/poll', 'latest')
    await kubeOk(
      cluster,
      'POST',
      '/apis/apps/v1/namespaces/dev/deployments',
      deployment('poll', v1.pinned)
    )
    const proxy = await startFaultProxy(registry.url)
    try {
      const inputs = {
        mode: 'poll',
        images: `${proxy.host}/acme/poll`,
        policy: 'semver:^1',
        workload: 'deployment/poll',
        kubeconfig: cluster.deployer.kubeconfig,
        timeout: '60s'
      }
      const first = await runAction('deploy-dev', inputs, env())
      expect(first.stderr).toBe('')
      expect(first.exitCode).toBe(0)
      expect(first.outputs).toMatchObject({
        image: `${proxy.host}/acme/poll@${v11.digest}`,
        digest: v11.digest,
        'previous-image': v1.pinned,
        changed: 'true',
        revision: '2'
      })
      expect(imageOf(await live('poll'))).toBe(`${proxy.host}/acme/poll@${v11.digest}`)

      const before = proxy.requests.length
      const second = await runAction('deploy-dev', inputs, env())
      expect(second.exitCode).toBe(0)
      expect(second.outputs).toMatchObject({ changed: 'false', digest: v11.digest })
      // one registry request: no /v2/ ping before an anonymous GET
      const requests = proxy.requests.slice(before).map((r) => `${r.method} ${r.path}`)
      expect(requests).toEqual(['GET /v2/acme/poll/tags/list'])
    } finally {
      await proxy.stop()
    }
  })

  it('follows a moving tag by its digest', async () => {
    const first = await image('acme/moving', 'dev', '2026-01-01T00:00:00Z')
    await kubeOk(
      cluster,
      'POST',
      '/apis/apps/v1/namespaces/dev/deployments',
      deployment('moving', first.pinned)
    )
    const inputs = {
      mode: 'poll',
      images: `${registry.host}/acme/moving`,
      policy: 'digest:dev',
      workload: 'deployment/moving',
      kubeconfig: cluster.deployer.kubeconfig
    }
    const same = await runAction('deploy-dev', inputs, env())
    expect(same.outputs).toMatchObject({ changed: 'false', digest: first.digest })
    const moved = await image('acme/moving', 'dev', '2026-02-01T00:00:00Z')
    const result = await runAction('deploy-dev', inputs, env())
    expect(result.exitCode).toBe(0)
    expect(result.outputs).toMatchObject({
      changed: 'true',
      digest: moved.digest,
      'previous-image': first.pinned
    })
  })

  it('fails clearly when the policy selects nothing, leaving the workload alone', async () => {
    const only = await image('acme/nothing', '1.0.0')
    await kubeOk(
      cluster,
      'POST',
      '/apis/apps/v1/namespaces/dev/deployments',
      deployment('nothing', only.pinned)
    )
    const result = await runAction(
      'deploy-dev',
      {
        mode: 'poll',
        images: `${registry.host}/acme/nothing`,
        policy: 'semver:>=5',
        workload: 'deployment/nothing',
        kubeconfig: cluster.deployer.kubeconfig
      },
      env()
    )
    expect(failed(result)).toContain('semver:>=5')
    expect(imageOf(await live('nothing'))).toBe(only.pinned)
  })
})

describe('deploy-dev image-pull-secrets', () => {
  const pullSecretsOf = (object: KubeObject) =>
    (object.spec as { template: { spec: { imagePullSecrets?: { name: string }[] } } }).template.spec
      .imagePullSecrets

  it('apply: adds the Secrets to every workload of the manifests, after those they name, and rolls out', async () => {
    const web = await image('acme/private', 'sha-1111111')
    const base = deployment('private', 'acme/private:placeholder')
    const withMirror = structuredClone(base)
    ;(
      withMirror.spec as { template: { spec: Record<string, unknown> } }
    ).template.spec.imagePullSecrets = [{ name: 'mirror' }]
    const dir = manifests({ 'private.yaml': [withMirror, service('private')] })
    const result = await runAction(
      'deploy-dev',
      {
        manifests: dir,
        images: `acme/private=${web.tagged}`,
        'image-pull-secrets': 'regcred, mirror',
        kubeconfig: cluster.deployer.kubeconfig,
        timeout: '60s'
      },
      env()
    )
    expect(result.stderr).toBe('')
    expect(result.exitCode).toBe(0)
    expect(result.outputs).toMatchObject({ image: web.pinned, changed: 'true', revision: '1' })
    const applied = await live('private')
    expect(pullSecretsOf(applied)).toEqual([{ name: 'mirror' }, { name: 'regcred' }])
    expect(imageOf(applied)).toBe(web.pinned)
    expect(applied.status).toMatchObject({ availableReplicas: 2, updatedReplicas: 2 })
    expect(result.summary).toContain('image pull secrets')
  })

  it('apply: refuses a name that is no Secret name before anything is applied', async () => {
    const web = await image('acme/refused', 'sha-2222222')
    const dir = manifests({ 'refused.yaml': [deployment('refused', 'acme/refused')] })
    const result = await runAction(
      'deploy-dev',
      {
        manifests: dir,
        images: `acme/refused=${web.tagged}`,
        'image-pull-secrets': 'regcred\nReg_Cred',
        kubeconfig: cluster.deployer.kubeconfig
      },
      env()
    )
    expect(failed(result)).toContain("Input 'image-pull-secrets' is 'Reg_Cred'")
    const response = await kubeRequest(
      cluster,
      'GET',
      '/apis/apps/v1/namespaces/dev/deployments/refused'
    )
    expect(response.status).toBe(404)
  })

  it('poll: the update that rolls out the new tag adds the Secrets too', async () => {
    const v1 = await image('acme/pollsecret', '1.0.0')
    await kubeOk(
      cluster,
      'POST',
      '/apis/apps/v1/namespaces/dev/deployments',
      deployment('pollsecret', v1.pinned)
    )
    const inputs = {
      mode: 'poll',
      images: `${registry.host}/acme/pollsecret`,
      policy: 'semver:^1',
      workload: 'deployment/pollsecret',
      'image-pull-secrets': 'regcred',
      kubeconfig: cluster.deployer.kubeconfig,
      timeout: '60s'
    }
    const same = await runAction('deploy-dev', inputs, env())
    expect(same.outputs).toMatchObject({ changed: 'false', digest: v1.digest })
    // nothing new: the workload is left exactly as it was
    expect(pullSecretsOf(await live('pollsecret'))).toBeUndefined()

    const v11 = await image('acme/pollsecret', '1.1.0')
    const result = await runAction('deploy-dev', inputs, env())
    expect(result.stderr).toBe('')
    expect(result.exitCode).toBe(0)
    // one new revision: image and Secrets changed in the same update
    expect(result.outputs).toMatchObject({ changed: 'true', digest: v11.digest, revision: '2' })
    const updated = await live('pollsecret')
    expect(imageOf(updated)).toBe(v11.pinned)
    expect(pullSecretsOf(updated)).toEqual([{ name: 'regcred' }])
    expect(updated.status).toMatchObject({ availableReplicas: 2, updatedReplicas: 2 })
  })
})

describe('deploy-dev and an API server outage during the rollout wait (a relay cut and healed)', () => {
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

  /** The deployer's kubeconfig through a relay the test cuts; the test itself talks to the API directly. */
  async function outage() {
    const relay = await startTcpRelay(Number(new URL(cluster.server).port))
    const kubeconfig = cluster.deployer.kubeconfig.replace(cluster.server, `https://${relay.host}`)
    return { relay, kubeconfig }
  }

  async function firstVersion(name: string, kubeconfig: string, timeout: string) {
    const first = await image(`acme/${name}`, 'first')
    const next = await image(`acme/${name}`, 'next')
    const dir = manifests({ [`${name}.yaml`]: [deployment(name, `acme/${name}`)] })
    const base = { manifests: dir, kubeconfig, timeout, 'github-token': github.token }
    const applied = await runAction(
      'deploy-dev',
      { ...base, images: `acme/${name}=${first.pinned}` },
      env()
    )
    expect(applied.exitCode).toBe(0)
    return { first, next, base }
  }

  /** Starts the deploy of `next`; resolves (with the run, still going) once its apply is in. */
  async function deployNext(name: string, base: Record<string, string>, next: { pinned: string }) {
    const running = runAction(
      'deploy-dev',
      { ...base, images: `acme/${name}=${next.pinned}` },
      env()
    )
    await waitFor(
      `the apply of ${next.pinned}`,
      async () => imageOf(await live(name)) === next.pinned
    )
    return { running }
  }

  it('rides out a 10 s outage shorter than its timeout and reports the rollout that finished meanwhile', async () => {
    const { relay, kubeconfig } = await outage()
    try {
      const { first, next, base } = await firstVersion('calm', kubeconfig, '60s')
      cluster.node.failImages.add(next.digest) // the new pods stay unready until the outage begins
      const { running } = await deployNext('calm', base, next)
      await relay.cut()
      cluster.node.failImages.delete(next.digest) // the controller finishes the rollout meanwhile
      await sleep(10_000)
      await relay.heal()
      const result = await running
      expect(result.exitCode).toBe(0)
      expect(result.stdout).toMatch(/the API server \S+ does not answer/)
      expect(result.stdout).toMatch(/answers again after \d+ s/)
      expect(result.outputs).toMatchObject({ image: next.pinned, 'previous-image': first.pinned })
      const after = await live('calm')
      expect(imageOf(after)).toBe(next.pinned)
      expect(after.status).toMatchObject({ updatedReplicas: 2, availableReplicas: 2 })
      const recorded = github.deployments[0]
      expect(github.statuses(recorded.id).map((s) => s.state)).toEqual(['success', 'in_progress'])
    } finally {
      await relay.stop()
    }
  })

  it('times out during a longer outage and rolls back once the API server answers again', async () => {
    const { relay, kubeconfig } = await outage()
    try {
      const { first, next, base } = await firstVersion('stuck', kubeconfig, '8s')
      cluster.node.failImages.add(next.digest)
      const { running } = await deployNext('stuck', base, next)
      await relay.cut()
      await sleep(12_000) // past the 8 s timeout: the undo waits for the API server
      await relay.heal()
      const message = failed(await running)
      expect(message).toContain('deployment/stuck in namespace dev did not roll out')
      expect(message).toContain('did not finish its rollout within 8 s')
      expect(message).toMatch(/the API server \S+ has not answered since \S+ \(\w+\)/)
      expect(message).toContain('Rolled back deployment/stuck to the previous revision')
      expect(imageOf(await live('stuck'))).toBe(first.pinned)
    } finally {
      await relay.stop()
    }
  })

  it('says plainly what was left running when the API server does not come back', async () => {
    const { relay, kubeconfig } = await outage()
    try {
      const { next, base } = await firstVersion('lost', kubeconfig, '5s')
      cluster.node.failImages.add(next.digest)
      const { running } = await deployNext('lost', base, next)
      await relay.cut()
      const message = failed(await running)
      expect(message).toContain('did not finish its rollout within 5 s')
      expect(message).toContain('Could not undo the step: the API server')
      expect(message).toContain('deployment/lost in namespace dev may still be rolling out')
      expect(message).toContain('kubectl rollout undo deployment/lost -n dev')
      // nothing was undone: the cluster (read directly, not through the cut relay) has the new template
      expect(imageOf(await live('lost'))).toBe(next.pinned)
      const recorded = github.deployments[0]
      expect(github.statuses(recorded.id).map((s) => s.state)).toEqual(['failure', 'in_progress'])
    } finally {
      await relay.stop()
    }
  })
})

describe('deploy-dev cancelled (the runner signals the action)', () => {
  it('stops waiting on SIGINT, rolls back, records the failure, and exits within 5 s', async () => {
    const good = await image('acme/halt', 'good')
    const slow = await image('acme/halt', 'slow')
    const dir = manifests({ 'halt.yaml': [deployment('halt', 'acme/halt')] })
    const base = {
      manifests: dir,
      kubeconfig: cluster.deployer.kubeconfig,
      timeout: '5m',
      'github-token': github.token
    }
    const first = await runAction(
      'deploy-dev',
      { ...base, images: `acme/halt=${good.pinned}` },
      env()
    )
    expect(first.exitCode).toBe(0)
    cluster.node.failImages.add(slow.digest) // the new pods never become ready: the wait goes on
    const result = await runAction(
      'deploy-dev',
      { ...base, images: `acme/halt=${slow.pinned}` },
      env(),
      {
        signalWhen: {
          signal: 'SIGINT',
          after: /deployment\/halt: Waiting for deployment "halt" rollout/
        }
      }
    )
    expect(result.exitAfterSignalMs).toBeLessThan(5000)
    const message = failed(result)
    expect(message).toContain(
      'The run was cancelled (SIGINT) while deployment/halt in namespace dev rolled out'
    )
    expect(message).toContain('Put back the previous revision of deployment/halt')
    // the cluster: the template from before is back (its rollout goes on without the run)
    expect(imageOf(await live('halt'))).toBe(good.pinned)
    const recorded = github.deployments[0]
    expect(github.statuses(recorded.id).map((s) => s.state)).toEqual(['failure', 'in_progress'])
  })
})
