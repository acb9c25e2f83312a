import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { BuildahBuilder, ToolError, type BuildSpec } from '../../src/image-build/index.js'
import { buildahEnv, ensureBaseImage, run } from '../../harness/buildah.js'
import { startRegistry, type Registry } from '../../harness/registry.js'
import { skopeoDigest, skopeoInspect } from '../../harness/skopeo.js'

/** What the builder ran: every buildah argv, and the registries.conf each one was given. */
interface Recorded {
  readonly argv: string[][]
  readonly confs: { path: string; text: string }[]
}

const work = mkdtempSync(join(tmpdir(), 'rollout-kit-itg-push-'))
const runnerTemp = join(work, 'runner-temp')
let plain: Registry
let secure: Registry
let savedRunnerTemp: string | undefined
const localImages: string[] = []
const localLists: string[] = []

beforeAll(async () => {
  savedRunnerTemp = process.env.RUNNER_TEMP
  mkdirSync(runnerTemp)
  process.env.RUNNER_TEMP = runnerTemp
  ;[plain, secure] = await Promise.all([startRegistry(), startRegistry({ auth: 'basic' })])
})

afterAll(async () => {
  process.env.RUNNER_TEMP = savedRunnerTemp
  for (const list of localLists) await removeList(list)
  await buildahQuiet(['rmi', ...localImages])
  await Promise.all([plain?.stop(), secure?.stop()])
  rmSync(work, { recursive: true, force: true })
})

/**
 * A builder whose buildah is a shim: it records its argv and the registries.conf it was given in
 * one file per call (named by time, so they sort), then execs the real buildah.
 */
function recordingBuilder(): { builder: BuildahBuilder; recorded: () => Recorded } {
  const dir = mkdtempSync(join(work, 'shim-'))
  const calls = join(dir, 'calls')
  const shim = join(dir, 'buildah')
  writeFileSync(
    shim,
    [
      '#!/bin/sh',
      `call='${calls}'/$(date +%s%N)`,
      `mkdir -p '${calls}' && printf '%s\\0' "$@" > "$call.argv"`,
      'if [ -n "$CONTAINERS_REGISTRIES_CONF" ]; then',
      '  { printf "%s\\n" "$CONTAINERS_REGISTRIES_CONF"; cat "$CONTAINERS_REGISTRIES_CONF"; } > "$call.conf"',
      'fi',
      'exec buildah "$@"',
      ''
    ].join('\n'),
    { mode: 0o755 }
  )
  return {
    builder: new BuildahBuilder({ command: shim }),
    recorded: () => {
      const files = existsSync(calls) ? readdirSync(calls).sort() : []
      const read = (name: string): string => readFileSync(join(calls, name), 'utf8')
      return {
        argv: files
          .filter((name) => name.endsWith('.argv'))
          .map((name) => read(name).split('\0').slice(0, -1)),
        confs: files
          .filter((name) => name.endsWith('.conf'))
          .map((name) => {
            const [path = '', ...rest] = read(name).split('\n')
            return { path, text: rest.join('\n') }
          })
      }
    }
  }
}

function buildahQuiet(args: string[]): Promise<unknown> {
  return run('buildah', args, { env: buildahEnv(), allowFailure: true })
}

interface ImageRow {
  readonly id: string
  readonly digest: string
}

/** Removes a local manifest list and the per-platform images it names. */
async function removeList(list: string): Promise<void> {
  const inspected = await run('buildah', ['manifest', 'inspect', list], {
    env: buildahEnv(),
    allowFailure: true
  })
  const digests = inspected.exitCode === 0 ? manifestDigests(inspected.stdout) : []
  const images = await run('buildah', ['images', '--all', '--json'], {
    env: buildahEnv(),
    allowFailure: true
  })
  const ids = (JSON.parse(images.exitCode === 0 ? images.stdout : '[]') as ImageRow[])
    .filter((image) => digests.includes(image.digest))
    .map((image) => image.id)
  await buildahQuiet(['manifest', 'rm', list])
  if (ids.length > 0) await buildahQuiet(['rmi', ...ids])
}

function manifestDigests(json: string): string[] {
  return ((JSON.parse(json) as { manifests?: { digest: string }[] }).manifests ?? []).map(
    (entry) => entry.digest
  )
}

function context(dockerfile: string): string {
  const dir = mkdtempSync(join(work, 'context-'))
  writeFileSync(join(dir, 'Dockerfile'), dockerfile)
  writeFileSync(join(dir, 'hello.txt'), 'hello\n')
  return dir
}

function spec(dir: string, tags: string[], extra: Partial<BuildSpec> = {}): BuildSpec {
  return {
    context: dir,
    file: join(dir, 'Dockerfile'),
    buildArgs: [],
    labels: {},
    platforms: [],
    tags,
    push: true,
    insecureRegistries: [],
    env: buildahEnv(),
    ...extra
  }
}

/** The temporary files the build's commands got (registries.conf, --authfile), all in its RUNNER_TEMP dir. */
function tempFilesOf(recorded: Recorded): string[] {
  const paths = [
    ...recorded.confs.map((conf) => conf.path),
    ...recorded.argv.flatMap((argv) =>
      argv.flatMap((arg, i) => (argv[i - 1] === '--authfile' ? [arg] : []))
    )
  ]
  for (const path of paths)
    expect(path.startsWith(join(runnerTemp, 'rollout-kit-build-'))).toBe(true)
  return [...new Set(paths)]
}

describe('BuildahBuilder pushing to a plain-HTTP loopback registry', () => {
  it('pushes two tags of one RUN + COPY image with labels and build args, by digest', async () => {
    await ensureBaseImage(plain.host)
    const base = `${plain.host}/base/busybox:1`
    const dir = context(
      `FROM ${base}\nARG GREETING\nRUN echo built > /built.txt\nCOPY hello.txt /hello.txt\nLABEL greeting="$GREETING"\n`
    )
    const tags = [`${plain.host}/app/hello:1`, `${plain.host}/app/hello:sha-0123abc`]
    localImages.push(...tags, base)
    const { builder, recorded } = recordingBuilder()

    const result = await builder.build(
      spec(dir, tags, {
        buildArgs: [['GREETING', 'hi there']],
        labels: {
          'org.opencontainers.image.title': 'hello',
          'org.opencontainers.image.version': '1'
        }
      })
    )

    expect(result.digest).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(result.imageId).toMatch(/^sha256:[0-9a-f]{64}$/)
    for (const tag of tags) expect(await skopeoDigest(tag)).toBe(result.digest)
    const config = (await skopeoInspect(tags[0], { config: true })) as {
      config: { Labels: Record<string, string> }
      history: { created_by?: string }[]
    }
    expect(config.config.Labels).toMatchObject({
      'org.opencontainers.image.title': 'hello',
      'org.opencontainers.image.version': '1',
      greeting: 'hi there'
    })
    expect(config.history.map((step) => step.created_by).join('\n')).toContain('echo built')
    const { argv, confs } = recorded()
    expect(argv.map((args) => args[0])).toEqual(['bud', 'push', 'push'])
    expect(argv.flat()).not.toContain('--tls-verify=false')
    expect(confs).toHaveLength(3)
    for (const conf of confs) {
      expect(conf.text).toContain(`[[registry]]\nlocation = "${plain.host}"\ninsecure = true\n`)
    }
    for (const path of tempFilesOf(recorded())) expect(existsSync(path)).toBe(false)
    expect(readdirSync(runnerTemp)).toEqual([])
  })

  it('pushes a linux/amd64 + linux/arm64 build as one OCI index', async () => {
    const dir = context('FROM scratch\nCOPY hello.txt /hello.txt\n')
    const tag = `${plain.host}/app/multi:1`
    localLists.push(tag)

    const result = await new BuildahBuilder().build(
      spec(dir, [tag], { platforms: ['linux/amd64', 'linux/arm64'] })
    )

    expect(result).toEqual({
      digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      imageId: undefined,
      platforms: ['linux/amd64', 'linux/arm64']
    })
    expect(await skopeoDigest(tag)).toBe(result.digest)
    const index = (await skopeoInspect(`${plain.host}/app/multi@${result.digest}`, {
      raw: true
    })) as {
      mediaType: string
      manifests: { platform: { os: string; architecture: string } }[]
    }
    expect(index.mediaType).toBe('application/vnd.oci.image.index.v1+json')
    expect(
      index.manifests.map((m) => `${m.platform.os}/${m.platform.architecture}`).sort()
    ).toEqual(['linux/amd64', 'linux/arm64'])
    expect(readdirSync(runnerTemp)).toEqual([])
  })
})

describe('BuildahBuilder pushing to a TLS registry with basic auth', () => {
  it('pushes with the credentials given, which reach buildah in an auth file only', async () => {
    const dir = context('FROM scratch\nCOPY hello.txt /hello.txt\n')
    const tag = `${secure.host}/app/secure:1`
    localImages.push(tag)
    const password = secure.users.pusher?.password ?? ''
    const { builder, recorded } = recordingBuilder()

    const result = await builder.build(
      spec(dir, [tag], { auth: { registry: secure.host, username: 'pusher', password } })
    )

    const access = { certDir: secure.certDir, creds: secure.creds('pusher') }
    expect(await skopeoDigest(tag, access)).toBe(result.digest)
    const argv = recorded().argv.flat().join(' ')
    expect(argv).toContain('--authfile')
    expect(argv).not.toContain(password)
    expect(argv).not.toContain(Buffer.from(`pusher:${password}`).toString('base64'))
    for (const path of tempFilesOf(recorded())) expect(existsSync(path)).toBe(false)
    expect(readdirSync(runnerTemp)).toEqual([])
  })

  it('fails naming buildah push and its exit code without credentials, and pushes nothing', async () => {
    const dir = context('FROM scratch\nCOPY hello.txt /hello.txt\n')
    const tag = `${secure.host}/app/anonymous:1`
    localImages.push(tag)

    const build = new BuildahBuilder().build(spec(dir, [tag]))

    await expect(build).rejects.toThrow(ToolError)
    await expect(build).rejects.toMatchObject({
      command: 'buildah push',
      exitCode: expect.any(Number),
      message: expect.stringMatching(
        /^buildah push failed \(exit [1-9]\d*\): [\s\S]*authentication required/i
      )
    })
    const listed = await run(
      'skopeo',
      [
        'list-tags',
        '--cert-dir',
        secure.certDir ?? '',
        '--creds',
        secure.creds('pusher'),
        `docker://${secure.host}/app/anonymous`
      ],
      { env: buildahEnv(), allowFailure: true }
    )
    expect(listed.exitCode).not.toBe(0)
    expect(readdirSync(runnerTemp)).toEqual([])
  })
})
