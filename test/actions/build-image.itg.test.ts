import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { createHash } from 'node:crypto'
import { REPO_ROOT, runAction, type ActionResult } from '../../harness/action-runner.js'
import { buildahEnv, ensureBaseImage, freshStorage } from '../../harness/buildah.js'
import { startFaultProxy } from '../../harness/fault-proxy.js'
import { freePort } from '../../harness/ports.js'
import { startRegistry, type Registry } from '../../harness/registry.js'
import { run } from '../../harness/run.js'
import { skopeoCopy, skopeoDigest, skopeoInspect } from '../../harness/skopeo.js'
import { pushEvent } from './github-env.js'

const SHA = '0123456789abcdef0123456789abcdef01234567'
const SAMPLE = join(REPO_ROOT, 'examples/sample-app')

let plain: Registry
let base: string
/** Local images the action left in buildah's storage, removed after the suite. */
const built: string[] = []

async function build(
  inputs: Record<string, string>,
  environment: Record<string, string>
): Promise<ActionResult> {
  const result = await runAction('build-image', inputs, environment)
  built.push(...(result.outputs.tags ?? '').split('\n').filter(Boolean))
  return result
}

beforeAll(async () => {
  plain = await startRegistry()
  base = (await ensureBaseImage(plain.host, { tlsVerify: false })).ref
})
afterAll(async () => {
  await plain?.stop()
  for (const tag of built) {
    await run('buildah', ['manifest', 'rm', tag], { env: buildahEnv(), allowFailure: true })
    await run('buildah', ['rmi', '-f', tag], { env: buildahEnv(), allowFailure: true })
  }
  for (const dir of freshStorages) rmSync(dir, { recursive: true, force: true })
})

const freshStorages: string[] = []
/** A containers storage of its own, as on a fresh runner: no layer cached, no base image pulled. */
function freshStorageEnv(): Record<string, string> {
  const { env, dir } = freshStorage()
  freshStorages.push(dir)
  return env
}

function env(extra: Record<string, string> = {}): Record<string, string> {
  return { ...buildahEnv(), ...pushEvent('main', SHA), ...extra }
}

/** The tags a repository has, or undefined when the registry does not know it. */
async function listTags(
  registry: Registry,
  repository: string,
  creds?: string
): Promise<string[] | undefined> {
  const flags = registry.tls ? ['--cert-dir', registry.certDir!] : ['--tls-verify=false']
  if (creds) flags.push('--creds', creds)
  const result = await run(
    'skopeo',
    ['list-tags', ...flags, `docker://${registry.host}/${repository}`],
    {
      env: buildahEnv(),
      allowFailure: true
    }
  )
  return result.exitCode === 0 ? (JSON.parse(result.stdout) as { Tags: string[] }).Tags : undefined
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex')

/** The log without its `::add-mask::` commands, which are the only lines allowed to hold a secret. */
function withoutMasks(log: string): string {
  return log.replace(/^::add-mask::.*$/gm, '')
}

describe('build-image on a plain-HTTP loopback registry', () => {
  it('builds the sample app, pushes the computed tags and outputs the digest the registry serves', async () => {
    const image = `${plain.host}/acme/app`
    const result = await build(
      { image, context: SAMPLE, 'build-args': `BASE=${base}\nVERSION=1.0`, builder: 'auto' },
      env()
    )
    expect(result.stderr).toBe('')
    expect(result.exitCode).toBe(0)
    const { digest, tags } = result.outputs
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(result.outputs.image).toBe(`${image}@${digest}`)
    expect(tags.split('\n')).toEqual([`${image}:main`, `${image}:sha-0123456`, `${image}:latest`])
    for (const tag of tags.split('\n')) {
      expect(await skopeoDigest(tag, { tlsVerify: false })).toBe(digest)
    }
    const config = (await skopeoInspect(`${image}@${digest}`, { tlsVerify: false })) as {
      Labels: Record<string, string>
      Layers: string[]
    }
    expect(config.Labels).toMatchObject({
      'org.opencontainers.image.revision': SHA,
      'org.opencontainers.image.source': 'https://github.com/acme/app',
      'org.opencontainers.image.version': 'main'
    })
    expect(config.Layers.length).toBeGreaterThan(1)
    const metadata = JSON.parse(result.outputs.metadata) as Record<string, unknown>
    expect(metadata).toMatchObject({ digest, builder: 'buildah', pinned: `${image}@${digest}` })
    expect(metadata.size).toEqual(expect.any(Number))
    expect(result.summary).toContain(digest)
  })

  it('pushes the tags metadata-action rules give, with the flavor, every one readable by skopeo', async () => {
    const image = `${plain.host}/acme/ruled`
    const result = await build(
      {
        image,
        context: SAMPLE,
        'build-args': `BASE=${base}`,
        tags: 'type=ref,event=branch\ntype=sha,format=long\ntype=raw,value=edge,enable={{is_default_branch}}',
        flavor: 'latest=false\nsuffix=-slim'
      },
      env()
    )
    expect(result.exitCode).toBe(0)
    const { digest, tags } = result.outputs
    expect(tags.split('\n')).toEqual([
      `${image}:main-slim`,
      `${image}:edge-slim`,
      `${image}:sha-${SHA}-slim`
    ])
    expect((await listTags(plain, 'acme/ruled'))?.sort()).toEqual(
      ['edge-slim', 'main-slim', `sha-${SHA}-slim`].sort()
    )
    for (const tag of tags.split('\n')) {
      expect(await skopeoDigest(tag, { tlsVerify: false })).toBe(digest)
    }
  })

  it('gives RUN --mount=type=secret its secrets and leaves them in no layer, history, config, log, output or summary', async () => {
    const value = 'sEcr3t-Value-4f9c1e'
    const fromFile = 'fIle-Secr3t-83d0aa'
    const context = mkdtempSync(join(tmpdir(), 'build-secrets-'))
    const secretFile = join(context, '..', `secret-${Date.now()}.txt`)
    writeFileSync(secretFile, fromFile)
    writeFileSync(
      join(context, 'Dockerfile'),
      [
        'ARG BASE',
        'FROM ${BASE}',
        // the build fails unless both secrets are there, with the right values (compared by
        // hash: the Dockerfile, which buildah echoes, must not hold them either)
        `RUN --mount=type=secret,id=token --mount=type=secret,id=npmrc test "$(sha256sum < /run/secrets/token | cut -c1-64)" = "${sha256(value)}" && test "$(sha256sum < /run/secrets/npmrc | cut -c1-64)" = "${sha256(fromFile)}" && echo built > /built`,
        ''
      ].join('\n')
    )
    const image = `${plain.host}/acme/secretive`
    const result = await build(
      {
        image,
        context,
        'build-args': `BASE=${base}`,
        tags: 'v1',
        secrets: `token=${value}`,
        'secret-files': `npmrc=${secretFile}`,
        'no-cache': 'true'
      },
      env()
    )
    expect(result.stderr).toBe('')
    expect(result.exitCode).toBe(0)
    expect(result.masks).toContain(value)
    const { digest } = result.outputs
    const nowhere = (text: string, where: string) => {
      expect({ where, value: text.includes(value), file: text.includes(fromFile) }).toEqual({
        where,
        value: false,
        file: false
      })
    }
    nowhere(withoutMasks(result.stdout), 'log')
    nowhere(JSON.stringify(result.outputs), 'outputs')
    nowhere(result.summary, 'summary')
    const config = await skopeoInspect(`${image}@${digest}`, { tlsVerify: false, config: true })
    nowhere(JSON.stringify(config), 'config and history')
    // every layer, unpacked
    const layout = mkdtempSync(join(tmpdir(), 'build-secrets-layers-'))
    await skopeoCopy(`docker://${image}@${digest}`, `dir:${layout}`, { src: { tlsVerify: false } })
    let layers = 0
    for (const name of readdirSync(layout)) {
      const blob = readFileSync(join(layout, name))
      let text = blob.toString('latin1')
      try {
        text = gunzipSync(blob).toString('latin1')
        layers++
      } catch {
        // not a gzip layer: the manifest, the config or the version file, searched as they are
      }
      nowhere(text, `blob ${name}`)
    }
    expect(layers).toBeGreaterThan(0)
  })

  it('copies from a named build context', async () => {
    const context = mkdtempSync(join(tmpdir(), 'build-context-main-'))
    const assets = mkdtempSync(join(tmpdir(), 'build-context-assets-'))
    writeFileSync(join(assets, 'hello.txt'), 'from the assets context\n')
    writeFileSync(
      join(context, 'Dockerfile'),
      'ARG BASE\nFROM ${BASE}\nCOPY --from=assets hello.txt /hello.txt\nRUN grep -q "assets context" /hello.txt\n'
    )
    const image = `${plain.host}/acme/contexts`
    const result = await build(
      {
        image,
        context,
        'build-args': `BASE=${base}`,
        tags: 'v1',
        'build-contexts': `assets=${assets}`
      },
      env()
    )
    expect(result.exitCode).toBe(0)
    expect(await listTags(plain, 'acme/contexts')).toEqual(['v1'])
  })

  it('rebuilds on a fresh storage from the registry cache after a change below an expensive step, without running that step again', async () => {
    const context = mkdtempSync(join(tmpdir(), 'build-cache-'))
    writeFileSync(
      join(context, 'Dockerfile'),
      // the step prints 42-ran only when it runs (its command line, which buildah echoes, does not)
      "ARG BASE\nFROM ${BASE}\nRUN sh -c 'echo $((6*7))-ran; sleep 1; echo data > /data'\nCOPY changed.txt /changed.txt\n"
    )
    writeFileSync(join(context, 'changed.txt'), 'one\n')
    const image = `${plain.host}/acme/cached`
    const cache = `${plain.host}/acme/layer-cache`
    const inputs = { image, context, 'build-args': `BASE=${base}` }
    const first = await build(
      { ...inputs, tags: 'v1', 'cache-from': cache, 'cache-to': cache },
      env(freshStorageEnv())
    )
    expect(first.exitCode).toBe(0)
    expect(first.stdout).toContain('42-ran')
    expect(first.annotations).toContainEqual({
      level: 'warning',
      message: `No layer cache at ${cache} yet: this build runs cold`
    })
    expect(first.summary).toContain('0 of 2 steps')

    writeFileSync(join(context, 'changed.txt'), 'two\n')
    const second = await build(
      { ...inputs, tags: 'v2', 'cache-from': cache },
      env(freshStorageEnv())
    )
    expect(second.exitCode).toBe(0)
    expect(second.stdout).not.toContain('42-ran')
    expect(second.stdout).toContain(`Cache pulled from remote ${cache}:`)
    expect(second.summary).toContain('1 of 2 steps')
    expect(second.summary).toMatch(/2\/\d+ <code>RUN sh -c .*<\/code>: cache repository/)
    expect(second.summary).toMatch(/3\/\d+ <code>COPY changed.txt \/changed.txt<\/code>: built/)
    expect(await skopeoDigest(`${image}:v2`, { tlsVerify: false })).toBe(second.outputs.digest)
    // the labels, set by one LABEL step with layers on, are all there
    const config = (await skopeoInspect(`${image}:v2`, { tlsVerify: false })) as {
      Labels: Record<string, string>
    }
    expect(config.Labels).toMatchObject({
      'org.opencontainers.image.version': 'v2',
      'org.opencontainers.image.revision': SHA,
      'org.opencontainers.image.source': 'https://github.com/acme/app'
    })
  })

  it('warns and builds cold when the layer cache can be neither read nor written', async () => {
    const closed = `127.0.0.1:${await freePort()}/acme/cache`
    const image = `${plain.host}/acme/uncached`
    const result = await build(
      {
        image,
        context: SAMPLE,
        'build-args': `BASE=${base}`,
        tags: 'v1',
        'cache-from': closed,
        'cache-to': closed
      },
      env(freshStorageEnv())
    )
    expect(result.exitCode).toBe(0)
    const warnings = result.annotations.filter((a) => a.level === 'warning').map((a) => a.message)
    expect(warnings).toContainEqual(
      expect.stringContaining(`The layer cache could not be written to ${closed}`)
    )
    expect(warnings).toContainEqual(
      expect.stringMatching(
        new RegExp(`^The layer cache ${closed} cannot be read \\(.+\\): this build runs cold$`)
      )
    )
    expect(result.summary).toContain(`The layer cache could not be written to ${closed}`)
    expect(await listTags(plain, 'acme/uncached')).toEqual(['v1'])
  })

  it('gives RUN --mount=type=ssh the agent of the ssh input, and no key to the image', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'build-ssh-'))
    const key = join(dir, 'id_ed25519')
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'build-ssh-test', '-f', key])
    const socket = join(dir, 'agent.sock')
    const agent = await run('ssh-agent', ['-a', socket, '-s'])
    const pid = /SSH_AGENT_PID=(\d+)/.exec(agent.stdout)?.[1]
    try {
      await run('ssh-add', [key], { env: { SSH_AUTH_SOCK: socket } })
      const context = mkdtempSync(join(tmpdir(), 'build-ssh-context-'))
      writeFileSync(
        join(context, 'Dockerfile'),
        // the build fails unless the agent socket is there during the RUN
        'ARG BASE\nFROM ${BASE}\nRUN --mount=type=ssh sh -c \'test -S "$SSH_AUTH_SOCK" && echo agent-seen\'\n'
      )
      const image = `${plain.host}/acme/ssh`
      const result = await build(
        { image, context, 'build-args': `BASE=${base}`, tags: 'v1', ssh: `default=${socket}` },
        env()
      )
      expect(result.exitCode).toBe(0)
      expect(result.stdout).toContain('agent-seen')
      const privateKey = readFileSync(key, 'utf8').split('\n')[1]
      expect(result.stdout).not.toContain(privateKey)
      expect(
        JSON.stringify(await skopeoInspect(`${image}:v1`, { tlsVerify: false, config: true }))
      ).not.toContain(socket)
    } finally {
      if (pid) process.kill(Number(pid))
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('takes explicit tags and builds without pushing when push is false', async () => {
    const image = `${plain.host}/acme/unpushed`
    const result = await build(
      { image, context: SAMPLE, 'build-args': `BASE=${base}`, tags: 'candidate', push: 'false' },
      env()
    )
    expect(result.exitCode).toBe(0)
    expect(result.outputs.digest).toBe('')
    expect(result.outputs.image).toBe(`${image}:candidate`)
    expect(await listTags(plain, 'acme/unpushed')).toBeUndefined()
  })

  it('reuses cached layers on a second build when layers is true', async () => {
    const inputs = {
      image: `${plain.host}/acme/cached`,
      context: SAMPLE,
      'build-args': `BASE=${base}\nVERSION=cached-${Date.now()}`,
      layers: 'true'
    }
    const first = await build(inputs, env())
    const second = await build(inputs, env())
    expect([first.exitCode, second.exitCode]).toEqual([0, 0])
    const runCached = /RUN mkdir -p \/www[^\n]*\n--> Using cache/
    expect(first.stdout).not.toMatch(runCached)
    expect(second.stdout).toMatch(runCached)
  })

  it('builds two platforms into one index', async () => {
    const context = mkdtempSync(join(tmpdir(), 'rollout-kit-multi-'))
    writeFileSync(join(context, 'Dockerfile'), 'FROM scratch\nCOPY hello.txt /hello.txt\n')
    writeFileSync(join(context, 'hello.txt'), 'hello\n')
    const image = `${plain.host}/acme/multi`
    const result = await build(
      { image, context, platforms: 'linux/amd64,linux/arm64', tags: 'v1' },
      env()
    )
    expect(result.exitCode).toBe(0)
    const index = (await skopeoInspect(`${image}:v1`, { tlsVerify: false, raw: true })) as {
      manifests: { platform: { architecture: string } }[]
    }
    expect(index.manifests.map((m) => m.platform.architecture).sort()).toEqual(['amd64', 'arm64'])
    expect(await skopeoDigest(`${image}:v1`, { tlsVerify: false })).toBe(result.outputs.digest)
    expect(JSON.parse(result.outputs.metadata).platforms.sort()).toEqual([
      'linux/amd64',
      'linux/arm64'
    ])
  })

  it('fails before building when the registry is unreachable', async () => {
    const port = await freePort()
    const result = await build({ image: `127.0.0.1:${port}/acme/app`, context: SAMPLE }, env())
    expect(result.exitCode).toBe(1)
    expect(result.annotations).toEqual([
      { level: 'error', message: expect.stringContaining(`127.0.0.1:${port}`) }
    ])
    expect(result.annotations[0].message).toMatch(/unreachable/)
    expect(result.stdout).not.toContain('Build with')
  })

  it('reads the digest back through 503s, a 429 with Retry-After and a reset', async () => {
    const proxy = await startFaultProxy(plain.url, [
      { method: 'HEAD', path: /\/manifests\/main$/, times: 2, fault: { status: 503 } },
      {
        method: 'HEAD',
        path: /\/manifests\/latest$/,
        times: 1,
        fault: { status: 429, retryAfter: 1 }
      },
      { method: 'GET', path: /\/manifests\/sha256:/, times: 1, fault: { reset: 'before-response' } }
    ])
    try {
      const image = `${proxy.host}/acme/flaky`
      const result = await runAction(
        'build-image',
        { image, context: SAMPLE, 'build-args': `BASE=${base}` },
        env()
      )
      expect(result.stderr).toBe('')
      expect(result.exitCode).toBe(0)
      expect(await skopeoDigest(`${plain.host}/acme/flaky:main`, { tlsVerify: false })).toBe(
        result.outputs.digest
      )
      const faulted = proxy.requests.filter((r) => r.fault !== undefined)
      expect(faulted).toHaveLength(4)
      expect(proxy.count('HEAD', /\/manifests\/main$/)).toBe(3)
    } finally {
      await proxy.stop()
    }
  })
})

describe('build-image with credentials', () => {
  let basic: Registry
  let token: Registry
  let basicBase: string
  beforeAll(async () => {
    basic = await startRegistry({ auth: 'basic' })
    token = await startRegistry({ auth: 'token' })
    basicBase = (
      await ensureBaseImage(basic.host, { certDir: basic.certDir, creds: basic.creds() })
    ).ref
  })
  afterAll(async () => {
    await basic?.stop()
    await token?.stop()
  })

  it('pushes over TLS with basic auth from the inputs and masks the password', async () => {
    const password = basic.users.pusher.password
    const image = `${basic.host}/acme/secure`
    const result = await build(
      {
        image,
        context: SAMPLE,
        'build-args': `BASE=${basicBase}`,
        'registry-username': 'pusher',
        'registry-password': password
      },
      env({ NODE_EXTRA_CA_CERTS: basic.caFile! })
    )
    expect(result.stderr).toBe('')
    expect(result.exitCode).toBe(0)
    expect(result.masks).toContain(password)
    expect(withoutMasks(result.stdout)).not.toContain(password)
    expect(JSON.stringify(result.outputs)).not.toContain(password)
    expect(
      await skopeoDigest(`${image}:main`, { certDir: basic.certDir, creds: basic.creds() })
    ).toBe(result.outputs.digest)
  })

  it('uses an earlier login (containers auth.json) when no credentials are given', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rollout-kit-login-'))
    const authFile = join(dir, 'auth.json')
    const auth = Buffer.from(basic.creds()).toString('base64')
    writeFileSync(authFile, JSON.stringify({ auths: { [basic.host]: { auth } } }))
    const image = `${basic.host}/acme/logged-in`
    const result = await build(
      { image, context: SAMPLE, 'build-args': `BASE=${basicBase}`, tags: 'v1' },
      env({ NODE_EXTRA_CA_CERTS: basic.caFile!, REGISTRY_AUTH_FILE: authFile })
    )
    expect(result.stderr).toBe('')
    expect(result.exitCode).toBe(0)
    expect(result.masks).toContain(auth)
    expect(
      await skopeoDigest(`${image}:v1`, { certDir: basic.certDir, creds: basic.creds() })
    ).toBe(result.outputs.digest)
  })

  it('refuses wrong credentials with 401 before building, without printing them', async () => {
    const result = await build(
      {
        image: `${basic.host}/acme/nope`,
        context: SAMPLE,
        'registry-username': 'pusher',
        'registry-password': 'wrong-secret'
      },
      env({ NODE_EXTRA_CA_CERTS: basic.caFile! })
    )
    expect(result.exitCode).toBe(1)
    const message = result.annotations[0].message
    expect(message).toContain(basic.host)
    expect(message).toContain('401')
    expect(withoutMasks(result.stdout)).not.toContain('wrong-secret')
    expect(result.stdout).not.toContain('Build with')
    expect(await listTags(basic, 'acme/nope', basic.creds())).toBeUndefined()
  })

  it('tells a user who may only pull that the push is not allowed (403) before building', async () => {
    const result = await build(
      {
        image: `${token.host}/acme/app`,
        context: SAMPLE,
        'registry-username': 'reader',
        'registry-password': token.users.reader.password
      },
      env()
    )
    expect(result.exitCode).toBe(1)
    expect(result.annotations[0].message).toMatch(
      /authenticated as reader but not allowed to push acme\/app \(403\)/
    )
    expect(result.stdout).not.toContain('Build with')
  })

  it('pushes through the bearer-token flow for a user allowed to push', async () => {
    const tokenBase = (
      await ensureBaseImage(token.host, { tlsVerify: false, creds: token.creds() })
    ).ref
    const image = `${token.host}/acme/app`
    const result = await build(
      {
        image,
        context: SAMPLE,
        'build-args': `BASE=${tokenBase}`,
        tags: '1.0.0',
        'registry-username': 'pusher',
        'registry-password': token.users.pusher.password
      },
      env()
    )
    expect(result.stderr).toBe('')
    expect(result.exitCode).toBe(0)
    expect(await skopeoDigest(`${image}:1.0.0`, { tlsVerify: false, creds: token.creds() })).toBe(
      result.outputs.digest
    )
    expect(
      token.tokenServer!.requests.some((r) => r.account === 'pusher' && r.status === 200)
    ).toBe(true)
  })
})
