import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { run, type RunResult } from './run.js'
import { accessFlags, type RegistryAccess } from './registry-access.js'
import { isStaticElf } from './static-elf.js'

export { run }

/** The busybox-static binary the base image is made of. */
export const BUSYBOX = '/bin/busybox'
/** Where the base image lives in buildah's local storage. */
export const BASE_IMAGE_LOCAL = 'localhost/rollout-kit-base:busybox'
/** Repository and tag the base image is pushed to. */
export const BASE_IMAGE_PATH = 'base/busybox:1'

/** containers/storage settings for tests: vfs (no overlay or fuse needed) in the default root. */
const STORAGE_CONF = [
  '[storage]',
  'driver = "vfs"',
  'runroot = "/run/containers/storage"',
  'graphroot = "/var/lib/containers/storage"',
  ''
].join('\n')

/**
 * Variables to add to process.env for buildah and skopeo: vfs storage, chroot isolation (no runc,
 * no namespaces needed), and an auth file of our own so that no credentials of the machine leak in.
 *
 * buildah 1.28 and skopeo 1.9 ignore STORAGE_DRIVER (set anyway, for tools that read it): with no
 * driver in storage.conf, containers/storage picks whatever driver the root was first used with
 * ("using prior storage driver: overlay"), so the driver is pinned with CONTAINERS_STORAGE_CONF.
 * The root is the default one; its locks make parallel jest workers safe, and vfs images live in
 * their own `vfs-*` directories, apart from overlay images other tools keep there.
 */
export function buildahEnv(): Record<string, string> {
  const dir = containersDir()
  return {
    STORAGE_DRIVER: 'vfs',
    CONTAINERS_STORAGE_CONF: join(dir, 'storage.conf'),
    BUILDAH_ISOLATION: 'chroot',
    BUILDAH_FORMAT: 'oci',
    REGISTRY_AUTH_FILE: join(dir, 'auth.json')
  }
}

/**
 * The environment of a fresh runner's containers storage: vfs in a root of its own, with nothing
 * cached and no base image pulled. `dir` holds it all; remove it when done.
 */
export function freshStorage(): { env: Record<string, string>; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'rollout-kit-fresh-storage-'))
  const conf = [
    '[storage]',
    'driver = "vfs"',
    `runroot = "${dir}/run"`,
    `graphroot = "${dir}/graph"`
  ]
  writeFileSync(join(dir, 'storage.conf'), `${conf.join('\n')}\n`)
  return { env: { ...buildahEnv(), CONTAINERS_STORAGE_CONF: join(dir, 'storage.conf') }, dir }
}

let containersDirPath: string | undefined
/** A per-process directory with storage.conf and an empty auth.json (global-teardown sweeps it). */
function containersDir(): string {
  if (!containersDirPath) {
    const dir = join(tmpdir(), `rollout-kit-containers-${process.pid}`)
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, 'storage.conf'), STORAGE_CONF)
    writeFileSync(join(dir, 'auth.json'), '{"auths":{}}\n')
    containersDirPath = dir
  }
  return containersDirPath
}

/** Runs buildah with {@link buildahEnv}. */
export function buildah(args: readonly string[], cwd?: string): Promise<RunResult> {
  return run('buildah', args, { env: buildahEnv(), cwd })
}

/** The image the base is built from: busybox plus its applet links, so `RUN` steps have /bin/sh. */
const BASE_DOCKERFILE = [
  'FROM scratch',
  'COPY busybox /bin/busybox',
  'RUN ["/bin/busybox", "--install", "-s", "/bin"]',
  'RUN mkdir -p /tmp /etc /root && chmod 1777 /tmp && echo "root:x:0:0:root:/root:/bin/sh" > /etc/passwd',
  'LABEL org.opencontainers.image.title="rollout-kit test base"',
  ''
].join('\n')

/** A pushed image. */
export interface PushedImage {
  /** `host/repo:tag`. */
  readonly ref: string
  readonly digest: string
  /** `host/repo@sha256:…`. */
  readonly pinned: string
}

/**
 * Builds the busybox base image once (kept in buildah's storage as {@link BASE_IMAGE_LOCAL}, rebuilt
 * only when the recipe or busybox changes) and pushes it as `<registryHost>/base/busybox:1`.
 */
export async function ensureBaseImage(
  registryHost: string,
  access: RegistryAccess = {}
): Promise<PushedImage> {
  await buildBaseImage()
  return buildahPush(BASE_IMAGE_LOCAL, `${registryHost}/${BASE_IMAGE_PATH}`, access)
}

/** The local base image: its id, and whether this call had to build it. */
export interface BaseImage {
  readonly id: string
  readonly built: boolean
}

let building: Promise<BaseImage> | undefined

/** Builds {@link BASE_IMAGE_LOCAL} unless an image from the same recipe is there. */
export function buildBaseImage(): Promise<BaseImage> {
  // concurrent callers share one build; later calls look again, in case the image was removed
  building ??= buildOrReuseBaseImage().finally(() => {
    building = undefined
  })
  return building
}

async function buildOrReuseBaseImage(): Promise<BaseImage> {
  if (!isStaticElf(BUSYBOX)) {
    throw new Error(
      `${BUSYBOX} is not a static binary; run .ci/run or apt-get install busybox-static`
    )
  }
  const recipe = createHash('sha256')
    .update(BASE_DOCKERFILE)
    .update(readFileSync(BUSYBOX))
    .digest('hex')
  const existing = await run('buildah', ['inspect', '--type', 'image', BASE_IMAGE_LOCAL], {
    env: buildahEnv(),
    allowFailure: true
  })
  if (existing.exitCode === 0) {
    const info = JSON.parse(existing.stdout) as {
      FromImageID?: string
      OCIv1?: { config?: { Labels?: Record<string, string> } }
    }
    if (info.OCIv1?.config?.Labels?.['rollout-kit.recipe'] === recipe && info.FromImageID) {
      return { id: info.FromImageID, built: false }
    }
  }
  const context = mkdtempSync(join(tmpdir(), 'rollout-kit-base-'))
  try {
    writeFileSync(join(context, 'Dockerfile'), BASE_DOCKERFILE)
    writeFileSync(join(context, 'busybox'), readFileSync(BUSYBOX), { mode: 0o755 })
    // --timestamp 0 makes the build reproducible, so parallel workers racing here produce the
    // same image id and digest
    const { stdout } = await buildah([
      'bud',
      '--quiet',
      '--timestamp',
      '0',
      '--label',
      `rollout-kit.recipe=${recipe}`,
      '-t',
      BASE_IMAGE_LOCAL,
      context
    ])
    return { id: stdout.trim().split('\n').pop() ?? '', built: true }
  } finally {
    rmSync(context, { recursive: true, force: true })
  }
}

/** `buildah push` of a local image to `dest` (`host/repo:tag`); returns the pushed digest. */
export async function buildahPush(
  local: string,
  dest: string,
  access: RegistryAccess = {}
): Promise<PushedImage> {
  const dir = mkdtempSync(join(tmpdir(), 'rollout-kit-push-'))
  try {
    const digestFile = join(dir, 'digest')
    await buildah([
      'push',
      '--quiet',
      ...accessFlags('', access),
      '--digestfile',
      digestFile,
      local,
      `docker://${dest}`
    ])
    const digest = readFileSync(digestFile, 'utf8').trim()
    return { ref: dest, digest, pinned: `${repositoryOf(dest)}@${digest}` }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

let listCount = 0

/** A pushed two-platform index. */
export interface PushedIndex extends PushedImage {
  /** Per-platform manifest digests, keyed `linux/amd64` and `linux/arm64`. */
  readonly platforms: Record<string, string>
}

/** Options for {@link twoPlatformIndex}. */
export interface TwoPlatformIndexOptions extends RegistryAccess {
  /** Repository and tag (default `multi/app:1`). */
  readonly path?: string
  /** Text in /content.txt; the same text gives the same digests (builds are reproducible). */
  readonly content?: string
  /** Manifest type of the index and images (default oci). */
  readonly format?: 'oci' | 'v2s2'
}

/**
 * Builds a linux/amd64 + linux/arm64 index FROM scratch with COPY only (no RUN, no emulation),
 * pushes it with `buildah manifest push --all` and returns its digest.
 */
export async function twoPlatformIndex(
  host: string,
  options: TwoPlatformIndexOptions = {}
): Promise<PushedIndex> {
  const dest = `${host}/${options.path ?? 'multi/app:1'}`
  const list = `localhost/rollout-kit-index-${process.pid}-${Date.now()}-${++listCount}`
  const context = mkdtempSync(join(tmpdir(), 'rollout-kit-index-'))
  const format = options.format ?? 'oci'
  try {
    writeFileSync(join(context, 'Dockerfile'), 'FROM scratch\nCOPY content.txt /content.txt\n')
    writeFileSync(join(context, 'content.txt'), `${options.content ?? 'rollout-kit'}\n`)
    // one bud per platform: a single bud with both adds them to the list in whichever order the
    // parallel builds finish, which changes the index digest; --timestamp 0 makes the rest
    // depend on the content only
    for (const platform of ['linux/amd64', 'linux/arm64']) {
      await buildah([
        'bud',
        '--quiet',
        '--timestamp',
        '0',
        '--format',
        format,
        '--platform',
        platform,
        '--manifest',
        list,
        context
      ])
    }
    const digestFile = join(context, 'digest')
    await buildah([
      'manifest',
      'push',
      '--all',
      '--quiet',
      '--format',
      format,
      ...accessFlags('', options),
      '--digestfile',
      digestFile,
      list,
      `docker://${dest}`
    ])
    const digest = readFileSync(digestFile, 'utf8').trim()
    // the local list names uncompressed images; the pushed index names the compressed ones
    const raw = await run(
      'skopeo',
      ['inspect', '--raw', ...accessFlags('', options), `docker://${repositoryOf(dest)}@${digest}`],
      { env: buildahEnv() }
    )
    const inspected = JSON.parse(raw.stdout) as {
      manifests: { digest: string; platform: { os: string; architecture: string } }[]
    }
    const platforms = Object.fromEntries(
      inspected.manifests.map((m) => [`${m.platform.os}/${m.platform.architecture}`, m.digest])
    )
    return { ref: dest, digest, pinned: `${repositoryOf(dest)}@${digest}`, platforms }
  } finally {
    await run('buildah', ['manifest', 'rm', list], { env: buildahEnv(), allowFailure: true })
    rmSync(context, { recursive: true, force: true })
  }
}

/** `host/repo:tag` → `host/repo` (a port colon is not a tag). */
function repositoryOf(ref: string): string {
  const withoutDigest = ref.split('@')[0] ?? ref
  const slash = withoutDigest.lastIndexOf('/')
  const colon = withoutDigest.lastIndexOf(':')
  return colon > slash ? withoutDigest.slice(0, colon) : withoutDigest
}
