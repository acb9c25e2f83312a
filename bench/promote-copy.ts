// promote (stage release) against `skopeo copy --all`, the tool a user would reach for instead,
// each run as a whole process (node or Go start-up included), alternating which goes first:
//  1. same registry, a new repository each run (both may mount): target promote ≤ 1.0× skopeo;
//     and, for information, the same with skopeo's blob-info cache deleted (it then does not mount);
//  2. to another registry, a fresh one for each run, skopeo's blob-info cache deleted before each
//     of its runs so that it knows nothing the action does not: target ≤ 0.7×;
//  3. peak RSS of promote copying a 1 GiB image between two registries: target ≤ 128 MB, beside
//     skopeo's in the same run.
// Beside each time target, the floor no node24 action can go below on this machine, measured in the
// same run: `node -e 0` for the same-registry case (a node process that does nothing), and for the
// cross-registry case the destination registry's own ingest (curl PUTting the layers from local
// files) and a `curl | curl` relay of each layer (no digest check, no logic).
// The images (incompressible, two layers) are built once into buildah's storage under a name that
// holds their size, and pushed to a fresh loopback source registry on every bench run. Sizes and
// rounds: BENCH_PROMOTE_MB (300), BENCH_PROMOTE_LARGE_MB (1024), BENCH_ROUNDS (5),
// BENCH_LARGE_ROUNDS (3); BENCH_VERBOSE=1 prints every run.
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import {
  closeSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { REPO_ROOT, runAction } from '../harness/action-runner.js'
import { buildah, buildahEnv, buildahPush } from '../harness/buildah.js'
import { startRegistry, type Registry } from '../harness/registry.js'
import { run } from '../harness/run.js'
import { skopeoDigest } from '../harness/skopeo.js'
import { median, seconds } from './stats.js'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5)
const LARGE_ROUNDS = Number(process.env.BENCH_LARGE_ROUNDS ?? 3)
const SMALL_MB = Number(process.env.BENCH_PROMOTE_MB ?? 300)
const LARGE_MB = Number(process.env.BENCH_PROMOTE_LARGE_MB ?? 1024)
const VERBOSE = Boolean(process.env.BENCH_VERBOSE)
/** Where skopeo 1.9 (containers/image 5.23) keeps its blob-info cache when run as root. */
const BLOB_INFO_CACHE = '/var/lib/containers/cache/blob-info-cache-v1.boltdb'
const GNU_TIME = '/usr/bin/time'
const MiB = 1024 * 1024

/** One copy: wall time, and peak RSS in bytes when measured. */
interface Sample {
  readonly ms: number
  readonly rss?: number
}

/** An image in the source registry. */
interface SourceImage {
  /** `host/repo@sha256:…`. */
  readonly pinned: string
  readonly digest: string
  readonly mb: number
}

/**
 * `localhost/rollout-kit-bench-promote:<mb>m`, two layers of incompressible bytes FROM scratch,
 * built unless buildah's storage has it (remove it with `buildah rmi` to reclaim the disk: vfs
 * keeps each layer as a full copy, so about 1.5× the size).
 */
async function ensureLocalImage(mb: number): Promise<string> {
  const name = `localhost/rollout-kit-bench-promote:${mb}m`
  const existing = await run('buildah', ['inspect', '--type', 'image', name], {
    env: buildahEnv(),
    allowFailure: true
  })
  if (existing.exitCode === 0) return name
  const started = performance.now()
  const context = mkdtempSync(join(tmpdir(), 'rollout-kit-bench-promote-'))
  try {
    const layers = [Math.ceil(mb / 2), Math.floor(mb / 2)]
    layers.forEach((size, i) => writeRandom(join(context, `layer-${i}.bin`), size * MiB))
    writeFileSync(
      join(context, 'Dockerfile'),
      `FROM scratch\n${layers.map((_, i) => `COPY layer-${i}.bin /layer-${i}.bin\n`).join('')}`
    )
    // --layers: one layer per COPY (without it buildah commits both files as a single layer)
    await buildah(['bud', '--quiet', '--layers', '--timestamp', '0', '-t', name, context])
  } finally {
    rmSync(context, { recursive: true, force: true })
  }
  console.log(`  (built ${name} in ${seconds(performance.now() - started)})`)
  return name
}

function writeRandom(path: string, bytes: number): void {
  const fd = openSync(path, 'w')
  try {
    for (let left = bytes; left > 0; left -= 16 * MiB)
      writeSync(fd, randomBytes(Math.min(left, 16 * MiB)))
  } finally {
    closeSync(fd)
  }
}

/** Pushes the local image (gzip layers, as buildah pushes by default) to `registry`. */
async function pushSource(registry: Registry, mb: number): Promise<SourceImage> {
  const local = await ensureLocalImage(mb)
  const started = performance.now()
  const pushed = await buildahPush(local, `${registry.host}/bench/source-${mb}m:1`)
  if (VERBOSE) console.log(`  (pushed ${mb} MiB in ${seconds(performance.now() - started)})`)
  return { pinned: pushed.pinned, digest: pushed.digest, mb }
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now()
  const value = await work()
  return { ms: performance.now() - started, value }
}

/** `skopeo copy --all` of the source to `dest` (`host/repo:tag`), as one process. */
async function skopeoCopy(source: SourceImage, dest: string, measureRss = false): Promise<Sample> {
  const args = [
    'copy',
    '--all',
    '--quiet',
    '--src-tls-verify=false',
    '--dest-tls-verify=false',
    `docker://${source.pinned}`,
    `docker://${dest}`
  ]
  if (!measureRss) return { ms: (await timed(() => run('skopeo', args, { env: buildahEnv() }))).ms }
  return peakRss('skopeo', args, buildahEnv())
}

/** Runs a command and reports its wall time and peak RSS (GNU time, else polling VmHWM). */
async function peakRss(cmd: string, args: string[], env: Record<string, string>): Promise<Sample> {
  if (existsSync(GNU_TIME)) {
    const dir = mkdtempSync(join(tmpdir(), 'rollout-kit-bench-rss-'))
    try {
      const out = join(dir, 'rss')
      const { ms } = await timed(() =>
        run(GNU_TIME, ['-f', '%M', '-o', out, cmd, ...args], { env })
      )
      return { ms, rss: Number(readFileSync(out, 'utf8').trim().split('\n').pop()) * 1024 }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }
  const started = performance.now()
  const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: 'ignore' })
  let rss = 0
  const poll = setInterval(() => {
    try {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8')
      rss = Math.max(rss, Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024)
    } catch {
      // exited between polls
    }
  }, 10)
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
  clearInterval(poll)
  if (code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${code}`)
  return { ms: performance.now() - started, rss }
}

/**
 * actions/promote with a dist/index.js that imports the committed bundle and, at exit, writes the
 * process's VmHWM (peak RSS) to $BENCH_RSS_FILE: the same process the runner starts, measured from
 * inside, with runAction still doing everything else.
 */
function rssActionDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rollout-kit-bench-promote-action-'))
  mkdirSync(join(dir, 'dist'))
  copyFileSync(join(REPO_ROOT, 'actions/promote/action.yml'), join(dir, 'action.yml'))
  writeFileSync(join(dir, 'dist/package.json'), '{"type":"module"}\n')
  const bundle = pathToFileURL(join(REPO_ROOT, 'actions/promote/dist/index.js')).href
  writeFileSync(
    join(dir, 'dist/index.js'),
    [
      "import { readFileSync, writeFileSync } from 'node:fs'",
      "process.on('exit', () => {",
      "  const status = readFileSync('/proc/self/status', 'utf8')",
      '  writeFileSync(process.env.BENCH_RSS_FILE, /VmHWM:\\s+(\\d+) kB/.exec(status)[1])',
      '})',
      `await import(${JSON.stringify(bundle)})`,
      ''
    ].join('\n')
  )
  return dir
}

/** The promote action, stage release, copying the source to the repository `dest` (`host/repo`). */
async function promote(source: SourceImage, dest: string, rssDir?: string): Promise<Sample> {
  const rssFile = rssDir ? join(rssDir, 'rss') : undefined
  if (rssFile) rmSync(rssFile, { force: true })
  const env = { ...buildahEnv(), ...(rssFile && { BENCH_RSS_FILE: rssFile }) }
  const { ms, value } = await timed(() =>
    runAction(
      'promote',
      { stage: 'release', source: source.pinned, destination: dest, tags: 'bench' },
      env,
      { timeoutMs: 600_000, ...(rssDir && { actionDir: rssDir }) }
    )
  )
  if (value.exitCode !== 0) throw new Error(`promote failed:\n${value.stdout.slice(-2000)}`)
  if (value.outputs.digest !== source.digest) {
    throw new Error(`promote reported ${value.outputs.digest}, expected ${source.digest}`)
  }
  return { ms, ...(rssFile && { rss: Number(readFileSync(rssFile, 'utf8')) * 1024 }) }
}

/** `node -e 0`: the start-up every node24 action pays before its first line runs. */
async function nodeStart(): Promise<Sample> {
  return { ms: (await timed(() => run(process.execPath, ['-e', '0']))).ms }
}

/** A layer of the source image, also saved to a local file for the floors. */
interface Layer {
  readonly digest: string
  readonly size: number
  readonly file: string
}

/** The source image's layers, each downloaded once into `dir`. */
async function downloadLayers(registry: Registry, source: SourceImage, dir: string) {
  const repository = source.pinned.slice(registry.host.length + 1).split('@')[0]
  const manifest = (await (
    await fetch(`${registry.url}/v2/${repository}/manifests/${source.digest}`, {
      headers: { accept: 'application/vnd.oci.image.manifest.v1+json' }
    })
  ).json()) as { layers: { digest: string; size: number }[] }
  const layers: Layer[] = []
  for (const { digest, size } of manifest.layers) {
    const file = join(dir, digest.replace(':', '-'))
    await run('curl', ['-sf', '-o', file, `${registry.url}/v2/${repository}/blobs/${digest}`])
    layers.push({ digest, size, file })
  }
  return { url: `${registry.url}/v2/${repository}/blobs/`, layers }
}

/** Opens an upload in `dest` and returns the URL that completes it with `digest`. */
async function uploadUrl(dest: Registry, digest: string): Promise<string> {
  const response = await fetch(`${dest.url}/v2/bench/floor/blobs/uploads/`, { method: 'POST' })
  const location = new URL(response.headers.get('location') ?? '', dest.url)
  location.searchParams.set('digest', digest)
  return location.href
}

/** Opens an upload per layer in `dest`, then times `command` run for every layer at once. */
async function timedUploads(
  dest: Registry,
  layers: readonly Layer[],
  command: (layer: Layer, url: string) => [string, string[]]
): Promise<Sample> {
  const urls = await Promise.all(layers.map((l) => uploadUrl(dest, l.digest)))
  const { ms } = await timed(() => Promise.all(layers.map((l, i) => run(...command(l, urls[i])))))
  return { ms }
}

/** The destination's own work: every layer PUT at once from a local file by curl. */
function ingestFloor(dest: Registry, layers: readonly Layer[]): Promise<Sample> {
  return timedUploads(dest, layers, (l, url) => [
    'curl',
    ['-sf', '-o', '/dev/null', '-H', 'Expect:', '-T', l.file, '-X', 'PUT', url]
  ])
}

/** `curl source | curl -T - destination` for every layer at once: a relay with no logic at all. */
function relayFloor(dest: Registry, blobs: string, layers: readonly Layer[]): Promise<Sample> {
  return timedUploads(dest, layers, (l, url) => [
    'sh',
    [
      '-c',
      `curl -sf '${blobs}${l.digest}' | curl -sf -o /dev/null -H 'Expect:' ` +
        `-H 'Content-Length: ${l.size}' -T - -X PUT '${url}'`
    ]
  ])
}

/** The median of `count` samples of `sample`. */
async function medianOf(count: number, sample: () => Promise<Sample>): Promise<number> {
  const times: number[] = []
  for (let i = 0; i < count; i++) times.push((await sample()).ms)
  return median(times)
}

/** Prints a floor beside the peer's and the action's medians. */
function reportFloor(name: string, floor: number, result: { peer: Sample[]; action: Sample[] }) {
  const peer = median(result.peer.map((s) => s.ms))
  const action = median(result.action.map((s) => s.ms))
  console.log(
    `    floor: ${name.padEnd(44)} ${seconds(floor)}   ${(floor / peer).toFixed(2)}× skopeo; ` +
      `promote is ${seconds(action - floor)} above it`
  )
}

/** Runs `rounds` + 1 warm-up rounds of (peer, action), in alternating order; the warm-up is dropped. */
async function rounds(
  count: number,
  peer: (round: number) => Promise<Sample>,
  action: (round: number) => Promise<Sample>
): Promise<{ peer: Sample[]; action: Sample[] }> {
  const peers: Sample[] = []
  const actions: Sample[] = []
  for (let round = 0; round <= count; round++) {
    let p: Sample
    let a: Sample
    if (round % 2 === 0) {
      p = await peer(round)
      a = await action(round)
    } else {
      a = await action(round)
      p = await peer(round)
    }
    if (VERBOSE) {
      const rss = (s: Sample) => (s.rss === undefined ? '' : ` ${mb(s.rss)}`)
      console.log(
        `    round ${round}${round === 0 ? ' (warm-up)' : ''}: skopeo ${seconds(p.ms)}${rss(p)}, ` +
          `promote ${seconds(a.ms)}${rss(a)}`
      )
    }
    if (round === 0) continue
    peers.push(p)
    actions.push(a)
  }
  return { peer: peers, action: actions }
}

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`
}

/** Prints the medians and their ratio, and whether the target (if any) is met. */
function report(title: string, result: { peer: Sample[]; action: Sample[] }, target?: number) {
  const peer = median(result.peer.map((s) => s.ms))
  const action = median(result.action.map((s) => s.ms))
  const ratio = action / peer
  const verdict =
    target === undefined
      ? ''
      : `target ≤ ${target.toFixed(2)}×: ${ratio <= target ? 'met' : 'NOT MET'}   `
  console.log(`  ${title}`)
  console.log(`    skopeo copy --all (peer)  ${seconds(peer)}`)
  console.log(
    `    promote                   ${seconds(action)}   ratio ${ratio.toFixed(2)}×   ` +
      `${verdict}difference ${seconds(action - peer)}`
  )
}

/** Deletes skopeo's blob-info cache, so that it knows no blob locations from earlier runs. */
function clearSkopeoCache(): void {
  rmSync(BLOB_INFO_CACHE, { force: true })
}

/** Starts a fresh registry for `work` and removes it (and its data) afterwards. */
async function withRegistry<T>(work: (registry: Registry) => Promise<T>): Promise<T> {
  const registry = await startRegistry()
  try {
    return await work(registry)
  } finally {
    await registry.stop()
  }
}

async function checkSkopeoCopiesTheDigest(source: SourceImage, dest: string): Promise<void> {
  const digest = await skopeoDigest(dest)
  if (digest !== source.digest) throw new Error(`skopeo stored ${digest}, not ${source.digest}`)
}

function loadAverage(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')
}

export async function promoteCopy(): Promise<void> {
  console.log(`promote (stage release) vs skopeo copy --all; load average ${loadAverage()}`)
  const source = await startRegistry()
  const rssDir = rssActionDir()
  const layerDir = mkdtempSync(join(tmpdir(), 'rollout-kit-bench-layers-'))
  const tag = `${Date.now().toString(36)}`
  try {
    const small = await pushSource(source, SMALL_MB)
    console.log(`${SMALL_MB} MiB image in two layers, median of ${ROUNDS} rounds after a warm-up:`)

    const sameRegistry = await rounds(
      ROUNDS,
      async (round) => {
        const dest = `${source.host}/bench/skopeo-${tag}-${round}:bench`
        const sample = await skopeoCopy(small, dest)
        if (round === 0) await checkSkopeoCopiesTheDigest(small, dest)
        return sample
      },
      (round) => promote(small, `${source.host}/bench/promote-${tag}-${round}`)
    )
    report('same registry, new repository (both mount)', sameRegistry, 1.0)
    reportFloor(
      'node -e 0 (a node process doing nothing)',
      await medianOf(ROUNDS, nodeStart),
      sameRegistry
    )

    // skopeo mounts only from repositories its blob-info cache names (here: buildah's push of the
    // source recorded it); a fresh runner's skopeo has no cache and copies the bytes instead
    const sameRegistryCold = await rounds(
      ROUNDS,
      (round) => {
        clearSkopeoCache()
        return skopeoCopy(small, `${source.host}/bench/skopeo-cold-${tag}-${round}:bench`)
      },
      (round) => promote(small, `${source.host}/bench/promote-cold-${tag}-${round}`)
    )
    report('same registry, skopeo blob-info cache deleted (no target)', sameRegistryCold)

    const otherRegistry = await rounds(
      ROUNDS,
      (round) =>
        withRegistry(async (dest) => {
          clearSkopeoCache()
          const ref = `${dest.host}/bench/copy:bench`
          const sample = await skopeoCopy(small, ref)
          if (round === 0) await checkSkopeoCopiesTheDigest(small, ref)
          return sample
        }),
      () => withRegistry((dest) => promote(small, `${dest.host}/bench/copy`))
    )
    report('to a fresh registry (skopeo blob-info cache deleted)', otherRegistry, 0.7)
    const { url: blobs, layers } = await downloadLayers(source, small, layerDir)
    const ingest = await medianOf(ROUNDS, () => withRegistry((dest) => ingestFloor(dest, layers)))
    reportFloor("the destination's ingest (curl -T local files)", ingest, otherRegistry)
    const relay = await medianOf(ROUNDS, () =>
      withRegistry((dest) => relayFloor(dest, blobs, layers))
    )
    reportFloor('curl | curl relay, no digest check', relay, otherRegistry)
    rmSync(layerDir, { recursive: true, force: true })

    const large = await pushSource(source, LARGE_MB)
    console.log(
      `${LARGE_MB} MiB image in two layers to a fresh registry, median of ${LARGE_ROUNDS}:`
    )
    const rss = await rounds(
      LARGE_ROUNDS,
      () =>
        withRegistry((dest) => {
          clearSkopeoCache()
          return skopeoCopy(large, `${dest.host}/bench/copy:bench`, true)
        }),
      () => withRegistry((dest) => promote(large, `${dest.host}/bench/copy`, rssDir))
    )
    const peerRss = median(rss.peer.map((s) => s.rss ?? 0))
    const actionRss = median(rss.action.map((s) => s.rss ?? 0))
    const maxRss = Math.max(...rss.action.map((s) => s.rss ?? 0))
    console.log(
      `    skopeo copy --all (peer)  ${seconds(median(rss.peer.map((s) => s.ms)))}   peak RSS ${mb(peerRss)}`
    )
    console.log(
      `    promote                   ${seconds(median(rss.action.map((s) => s.ms)))}   peak RSS ${mb(actionRss)} ` +
        `(max ${mb(maxRss)})   target ≤ 128 MB: ${maxRss <= 128e6 ? 'met' : 'NOT MET'}`
    )
    console.log(`  load average at the end ${loadAverage()}`)
  } finally {
    rmSync(rssDir, { recursive: true, force: true })
    rmSync(layerDir, { recursive: true, force: true })
    await source.stop()
  }
}
