// build-image against the raw tool it drives: `buildah bud` + `buildah push` of the same context to
// the same loopback registry, alternating, with a build-arg that differs for every build so that
// neither reuses the other's cached RUN layer. Target: build-image ≤ 1.1× the raw commands
// (medians). Two contexts: the tiny sample app, where the action's fixed cost (node start-up,
// push-access check, digest read-back) weighs most, and the same app carrying a 32 MB asset.
import { randomBytes } from 'node:crypto'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { REPO_ROOT, runAction } from '../harness/action-runner.js'
import { buildah, buildahEnv, ensureBaseImage } from '../harness/buildah.js'
import { startRegistry, type Registry } from '../harness/registry.js'
import { pushEvent } from '../test/actions/github-env.js'
import { median, seconds } from './stats.js'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9)
const SAMPLE = join(REPO_ROOT, 'examples/sample-app')

async function timed(work: () => Promise<void>): Promise<number> {
  const started = performance.now()
  await work()
  return performance.now() - started
}

async function rawBuild(registry: Registry, base: string, context: string, version: string) {
  const tag = `${registry.host}/bench/raw:${version}`
  const time = await timed(async () => {
    const args = ['--build-arg', `BASE=${base}`, '--build-arg', `VERSION=${version}`]
    await buildah(['bud', '--tls-verify=false', '--format', 'oci', ...args, '--tag', tag, context])
    await buildah(['push', '--tls-verify=false', tag, `docker://${tag}`])
  })
  return { tag, time }
}

async function actionBuild(registry: Registry, base: string, context: string, version: string) {
  const image = `${registry.host}/bench/action`
  const time = await timed(async () => {
    const result = await runAction(
      'build-image',
      {
        image,
        context,
        tags: version,
        builder: 'buildah',
        'build-args': `BASE=${base}\nVERSION=${version}`
      },
      { ...buildahEnv(), ...pushEvent('main', '0123456789abcdef0123456789abcdef01234567') }
    )
    if (result.exitCode !== 0) throw new Error(`build-image failed: ${result.stdout.slice(-1500)}`)
  })
  return { tag: `${image}:${version}`, time }
}

async function compare(registry: Registry, base: string, name: string, context: string) {
  const raw: number[] = []
  const action: number[] = []
  for (let round = 0; round <= ROUNDS; round++) {
    const version = `bench-${Date.now()}-${round}`
    const r = await rawBuild(registry, base, context, `${version}-raw`)
    const a = await actionBuild(registry, base, context, `${version}-action`)
    await buildah(['rmi', r.tag, a.tag])
    if (round === 0) continue // warm-up: base image into storage, page cache
    raw.push(r.time)
    action.push(a.time)
  }
  if (process.env.BENCH_VERBOSE)
    console.log({ raw: raw.map(Math.round), action: action.map(Math.round) })
  const ratio = median(action) / median(raw)
  console.log(`  ${name}`)
  console.log(`    raw buildah bud + push (peer)  ${seconds(median(raw))}`)
  console.log(
    `    build-image (buildah)          ${seconds(median(action))}   ratio ${ratio.toFixed(2)}×   ` +
      `target ≤ 1.10×: ${ratio <= 1.1 ? 'met' : 'NOT MET'}   fixed cost ${seconds(median(action) - median(raw))}`
  )
  return ratio
}

export async function buildOverhead(): Promise<void> {
  const registry = await startRegistry()
  const large = mkdtempSync(join(tmpdir(), 'rollout-kit-bench-context-'))
  try {
    const base = (await ensureBaseImage(registry.host, { tlsVerify: false })).ref
    cpSync(SAMPLE, large, { recursive: true })
    writeFileSync(join(large, 'asset.bin'), randomBytes(32 * 1024 * 1024))
    writeFileSync(
      join(large, 'Dockerfile'),
      `${readFileSync(join(SAMPLE, 'Dockerfile'), 'utf8')}COPY asset.bin /www/asset.bin\n`
    )
    console.log(`build and push, median of ${ROUNDS} rounds after a warm-up:`)
    await compare(registry, base, 'examples/sample-app (a RUN and a 100-byte COPY)', SAMPLE)
    await compare(registry, base, 'examples/sample-app + a 32 MB asset', large)
  } finally {
    rmSync(large, { recursive: true, force: true })
    await registry.stop()
  }
}
