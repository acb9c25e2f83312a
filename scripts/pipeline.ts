// The main job: rollout-kit's pipeline run locally on its embedded defaults, with the actions' bundles
// run exactly as a runner runs them. Today: an internal registry on loopback, a locally made base
// image, build-image on examples/sample-app (a push to main), a release registry behind token auth,
// promote stage release of the built digest, and independent checks with skopeo. The Kubernetes
// and gate stages join as their actions land.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { REPO_ROOT, runAction, type ActionResult } from '../test/support/action-runner.js'
import { buildahEnv, ensureBaseImage } from '../test/support/buildah.js'
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
    'rollout-kit local pipeline: push → build-image → internal registry → promote release'
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
    const released = await stage(
      'promote stage release (digest → release registry, tags 1.0.0 and latest)',
      async () =>
        succeeded(
          await runAction('promote', {
            stage: 'release',
            source: built.outputs.image,
            destination: `${release.host}/acme/sample`,
            tags: '1.0.0\nlatest',
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
        '## promote summary',
        '',
        released.summary
      ].join('\n')
    )
    console.log(`pipeline passed; report: ${report}`)
  } finally {
    await registry.stop()
    await release.stop()
  }
}

main().catch((error: unknown) => {
  console.error(`\npipeline failed: ${error instanceof Error ? error.message : String(error)}`)
  process.exitCode = 1
})
