// build-image against the raw tool it drives: `buildah bud` + `buildah push` of the same context to
// the same loopback registry, alternating, with a build-arg that changes every round so that both
// rebuild the RUN step. Target: build-image ≤ 1.1× the raw commands (medians).
import { join } from 'node:path'
import { REPO_ROOT, runAction } from '../test/support/action-runner.js'
import { buildah, buildahEnv, ensureBaseImage } from '../test/support/buildah.js'
import { startRegistry } from '../test/support/registry.js'
import { pushEvent } from '../test/actions/github-env.js'
import { median, seconds } from './stats.js'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5)
const CONTEXT = join(REPO_ROOT, 'examples/sample-app')

async function timed(work: () => Promise<void>): Promise<number> {
  const started = performance.now()
  await work()
  return performance.now() - started
}

export async function buildOverhead(): Promise<{ action: number; raw: number }> {
  const registry = await startRegistry()
  try {
    const base = await ensureBaseImage(registry.host, { tlsVerify: false })
    const raw: number[] = []
    const action: number[] = []
    for (let round = 0; round <= ROUNDS; round++) {
      const version = `bench-${Date.now()}-${round}`
      const rawTag = `${registry.host}/bench/raw:${version}`
      const rawTime = await timed(async () => {
        const args = ['--build-arg', `BASE=${base.ref}`, '--build-arg', `VERSION=${version}`]
        const bud = await buildah([
          'bud',
          '--tls-verify=false',
          '--layers',
          '--format',
          'oci',
          ...args,
          '--tag',
          rawTag,
          CONTEXT
        ])
        if (bud.exitCode !== 0) throw new Error(`buildah bud failed: ${bud.stderr}`)
        const push = await buildah(['push', '--tls-verify=false', rawTag, `docker://${rawTag}`])
        if (push.exitCode !== 0) throw new Error(`buildah push failed: ${push.stderr}`)
      })
      const actionTime = await timed(async () => {
        const result = await runAction(
          'build-image',
          {
            image: `${registry.host}/bench/action`,
            context: CONTEXT,
            tags: version,
            builder: 'buildah',
            'build-args': `BASE=${base.ref}\nVERSION=${version}`
          },
          { ...buildahEnv(), ...pushEvent('main', '0123456789abcdef0123456789abcdef01234567') }
        )
        if (result.exitCode !== 0)
          throw new Error(`build-image failed: ${result.stdout.slice(-1500)}`)
      })
      await buildah(['rmi', rawTag, `${registry.host}/bench/action:${version}`])
      if (round === 0) continue // warm-up: base image pull into storage, page cache
      raw.push(rawTime)
      action.push(actionTime)
    }
    const result = { action: median(action), raw: median(raw) }
    console.log(
      `build and push of examples/sample-app (median of ${ROUNDS} rounds, after a warm-up):`
    )
    console.log(`  raw buildah bud + push (peer)  ${seconds(result.raw)}`)
    console.log(
      `  build-image (buildah)          ${seconds(result.action)}   ratio ${(result.action / result.raw).toFixed(2)}×   target ≤ 1.10×: ${result.action / result.raw <= 1.1 ? 'met' : 'NOT MET'}`
    )
    return result
  } finally {
    await registry.stop()
  }
}
