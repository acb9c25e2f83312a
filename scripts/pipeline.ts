// The main job: rollout-kit's pipeline run locally on its embedded defaults, with the actions' bundles
// run exactly as a runner runs them. Today: an internal registry on loopback, a locally made base
// image, build-image on examples/sample-app (a push to main), deploy-dev onto the real control plane
// (with a GitHub API stand-in recording the Deployment), canary-gate running the sample app's
// integration test against its environment (a busybox httpd serving the app's files, as the fake
// node runs no containers) and writing the evidence, a release registry behind token auth, promote
// stage release of the tested digest requiring that evidence, and independent checks with skopeo.
// The canary, production and rollback stages join as promote's cluster stages land.
import { spawn } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { REPO_ROOT, runAction, type ActionResult } from '../test/support/action-runner.js'
import { buildahEnv, ensureBaseImage } from '../test/support/buildah.js'
import { stopChild, trackChild } from '../test/support/children.js'
import { startGitHubApi } from '../test/support/github-api.js'
import { startControlPlane } from '../test/support/kube-control-plane.js'
import { freePort } from '../test/support/ports.js'
import { startRegistry } from '../test/support/registry.js'
import { skopeoDigest } from '../test/support/skopeo.js'
import { pushEvent } from '../test/actions/github-env.js'

const SHA = process.env.PIPELINE_SHA ?? 'c0ffee0000000000000000000000000000000001'
const stages: { name: string; seconds: number; detail: string }[] = []

async function stage<T>(
  name: string,
  work: () => Promise<T>,
  detail: (value: T) => string
): Promise<T> {
  const started = Date.now()
  process.stdout.write(`▶ ${name} … `)
  const value = await work()
  const seconds = (Date.now() - started) / 1000
  stages.push({ name, seconds, detail: detail(value) })
  console.log(`done in ${seconds.toFixed(1)} s: ${detail(value)}`)
  return value
}

function succeeded(result: ActionResult): ActionResult {
  if (result.exitCode !== 0) {
    const errors = result.annotations.filter((a) => a.level === 'error').map((a) => a.message)
    throw new Error(
      `the action failed: ${errors.join('; ') || result.stderr || result.stdout.slice(-2000)}`
    )
  }
  return result
}

async function main(): Promise<void> {
  console.log(
    'rollout-kit local pipeline: push → build-image → deploy-dev → integration gate → promote release'
  )
  const registry = await stage(
    'start the internal registry',
    () => startRegistry(),
    (r) => r.url
  )
  const release = await stage(
    'start the release registry (token auth)',
    () => startRegistry({ auth: 'token' }),
    (r) => r.url
  )
  const cluster = await stage(
    'start the Kubernetes control plane (etcd, kube-apiserver, controller-manager, fake node)',
    () => startControlPlane(),
    (c) => `${c.server} (${c.version})`
  )
  const github = await startGitHubApi()
  const env = { ...pushEvent('main', SHA), GITHUB_API_URL: github.url }
  try {
    const base = await stage(
      'make the base image from busybox-static',
      () => ensureBaseImage(registry.host, { tlsVerify: false }),
      (b) => b.pinned
    )
    const built = await stage(
      'build-image (push to main)',
      async () =>
        succeeded(
          await runAction(
            'build-image',
            {
              image: `${registry.host}/acme/sample`,
              context: join(REPO_ROOT, 'examples/sample-app'),
              'build-args': `BASE=${base.ref}\nVERSION=${SHA.slice(0, 7)}`
            },
            { ...buildahEnv(), ...pushEvent('main', SHA) }
          )
        ),
      (r) => r.outputs.image
    )
    await stage(
      'check with skopeo that every tag serves the digest',
      async () => {
        for (const tag of built.outputs.tags.split('\n')) {
          const served = await skopeoDigest(tag, { tlsVerify: false })
          if (served !== built.outputs.digest)
            throw new Error(`${tag} serves ${served}, not ${built.outputs.digest}`)
        }
        return built.outputs.tags.split('\n').length
      },
      (n) => `${n} tags → ${built.outputs.digest}`
    )
    const environment = await stage(
      "start the dev environment stand-in (busybox httpd with the app's files)",
      () => serveApp(SHA.slice(0, 7)),
      (e) => e.url
    )
    cleanups.push(() => stopChild(environment.child))
    const deployed = await stage(
      'deploy-dev (examples/sample-app/deploy, the digest pinned, rollout watched)',
      async () =>
        succeeded(
          await runAction(
            'deploy-dev',
            {
              manifests: join(REPO_ROOT, 'examples/sample-app/deploy'),
              images: `acme/sample=${built.outputs.image}`,
              kubeconfig: cluster.deployer.kubeconfig,
              timeout: '2m',
              'environment-url': environment.url,
              'github-token': github.token
            },
            env
          )
        ),
      (r) =>
        `${r.outputs.image} revision ${r.outputs.revision}, GitHub Deployment ${r.outputs['deployment-id']}`
    )
    const gated = await stage(
      "canary-gate tests (the sample app's integration test against dev)",
      async () =>
        succeeded(
          await runAction(
            'canary-gate',
            {
              command: `mkdir -p reports && ${process.execPath} --test --test-reporter=junit --test-reporter-destination=reports/junit.xml 'test/*.test.mjs'`,
              'working-directory': join(REPO_ROOT, 'examples/sample-app'),
              reports: 'reports/junit.xml',
              'environment-url': deployed.outputs['environment-url'],
              image: built.outputs.image,
              'github-token': github.token
            },
            env
          )
        ),
      (r) => `${r.outputs.decision} (score ${r.outputs.score}), evidence ${r.outputs.evidence}`
    )
    const released = await stage(
      'promote stage release (the tested digest → release registry, tags 1.0.0 and latest)',
      async () =>
        succeeded(
          await runAction('promote', {
            stage: 'release',
            source: built.outputs.image,
            destination: `${release.host}/acme/sample`,
            tags: '1.0.0\nlatest',
            'require-evidence': 'tests',
            'destination-username': 'pusher',
            'destination-password': release.users.pusher.password
          })
        ),
      (r) => `${r.outputs.image} copied ${r.outputs.copied}`
    )
    await stage(
      'check with skopeo that the release is the same digest',
      async () => {
        const tag = `${release.host}/acme/sample:1.0.0`
        const served = await skopeoDigest(tag, { tlsVerify: false, creds: release.creds() })
        if (served !== built.outputs.digest)
          throw new Error(`${tag} serves ${served}, not ${built.outputs.digest}`)
        return tag
      },
      (tag) => `${tag} → ${built.outputs.digest}`
    )
    const report = join(REPO_ROOT, '.cache/pipeline/report.md')
    mkdirSync(join(REPO_ROOT, '.cache/pipeline'), { recursive: true })
    writeFileSync(
      report,
      [
        '# rollout-kit local pipeline',
        '',
        '| stage | seconds | result |',
        '| --- | --- | --- |',
        ...stages.map((s) => `| ${s.name} | ${s.seconds.toFixed(1)} | \`${s.detail}\` |`),
        '',
        '## build-image summary',
        '',
        built.summary,
        '',
        '## deploy-dev summary',
        '',
        deployed.summary,
        '',
        '## canary-gate summary',
        '',
        gated.summary,
        '',
        '## promote summary',
        '',
        released.summary
      ].join('\n')
    )
    console.log(`pipeline passed; report: ${report}`)
  } finally {
    for (const cleanup of cleanups) await cleanup()
    await Promise.all([registry.stop(), release.stop(), cluster.stop(), github.stop()])
  }
}

const cleanups: (() => Promise<void>)[] = []

/**
 * What the sample app's container serves (its index.html, and /healthz as the Dockerfile writes
 * it), served by busybox httpd on loopback: the fake node runs no containers, so the integration
 * test needs an environment to reach.
 */
async function serveApp(
  version: string
): Promise<{ url: string; child: ReturnType<typeof spawn> }> {
  const root = mkdtempSync(join(tmpdir(), 'rollout-kit-sample-www-'))
  copyFileSync(join(REPO_ROOT, 'examples/sample-app/index.html'), join(root, 'index.html'))
  writeFileSync(join(root, 'healthz'), `ok ${version}\n`)
  const port = await freePort()
  const child = spawn('/bin/busybox', ['httpd', '-f', '-p', `127.0.0.1:${port}`, '-h', root], {
    stdio: 'ignore'
  })
  trackChild(child.pid, 'busybox httpd', root)
  const url = `http://127.0.0.1:${port}`
  for (let i = 0; i < 50; i++) {
    const up = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false
    )
    if (up) return { url, child }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`busybox httpd did not answer on ${url}`)
}

main().catch((error: unknown) => {
  console.error(`\npipeline failed: ${error instanceof Error ? error.message : String(error)}`)
  process.exitCode = 1
})
