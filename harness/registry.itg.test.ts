import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { BASE_IMAGE_LOCAL, ensureBaseImage } from './buildah.js'
import { freePort } from './ports.js'
import { startRegistry, type Registry } from './registry.js'
import { skopeoCopy, skopeoDigest, skopeoInspect } from './skopeo.js'
import { testPki } from './tls.js'

const LOCAL = `containers-storage:${BASE_IMAGE_LOCAL}`
// a push compresses the layers; gzip is deterministic, so every registry gets this digest
let pushedDigest = ''
let plain: Registry

beforeAll(async () => {
  plain = await startRegistry()
  pushedDigest = (await ensureBaseImage(plain.host)).digest
})
afterAll(() => plain.stop())

interface Manifest {
  mediaType: string
  layers: unknown[]
}

describe('freePort and testPki', () => {
  it('gives distinct loopback ports and one PKI per process', async () => {
    const [a, b] = await Promise.all([freePort(), freePort()])
    expect(a).toBeGreaterThan(0)
    expect(a).not.toBe(b)
    const [first, second] = await Promise.all([testPki(), testPki()])
    expect(second.dir).toBe(first.dir)
    expect(first.server.certPem).toContain('BEGIN CERTIFICATE')
    expect(first.ca.certPem).not.toBe(first.server.certPem)
  })
})

describe('plain HTTP registry', () => {
  let registry: Registry
  beforeAll(() => {
    registry = plain
  })

  it('accepts the base image from skopeo and serves it back by digest', async () => {
    const dest = `${registry.host}/base/copy:1`
    await skopeoCopy(LOCAL, dest)
    const manifest = (await skopeoInspect(dest, { raw: true })) as Manifest
    expect(manifest.mediaType).toBe('application/vnd.oci.image.manifest.v1+json')
    // buildah bud commits all steps as one layer unless --layers is given
    expect(manifest.layers).toHaveLength(1)
    const digest = await skopeoDigest(dest)
    expect(digest).toBe(pushedDigest)
    expect(await skopeoDigest(`${registry.host}/base/busybox@${digest}`)).toBe(digest)
  })

  it('answers /v2/ without credentials', async () => {
    expect(registry.url).toBe(`http://${registry.host}`)
    expect((await fetch(`${registry.url}/v2/`)).status).toBe(200)
  })
})

describe('TLS registry with htpasswd basic auth', () => {
  let registry: Registry
  beforeAll(async () => {
    registry = await startRegistry({ auth: 'basic' })
  })
  afterAll(() => registry.stop())

  it('serves HTTPS with the test CA and takes a push with credentials', async () => {
    expect(registry.url).toBe(`https://${registry.host}`)
    expect(registry.caPem).toContain('BEGIN CERTIFICATE')
    const dest = `${registry.host}/base/busybox:1`
    await skopeoCopy(LOCAL, dest, { dest: { certDir: registry.certDir, creds: registry.creds() } })
    const access = { certDir: registry.certDir, creds: registry.creds('reader') }
    expect(await skopeoDigest(dest, access)).toBe(pushedDigest)
  })

  it('refuses a pull without or with wrong credentials', async () => {
    const ref = `${registry.host}/base/busybox:1`
    await expect(skopeoInspect(ref, { certDir: registry.certDir })).rejects.toThrow(
      /unauthorized|authentication required/i
    )
    await expect(
      skopeoInspect(ref, { certDir: registry.certDir, creds: 'pusher:wrong' })
    ).rejects.toThrow(/unauthorized|authentication required/i)
  })

  it('fails TLS verification without the CA', async () => {
    await expect(
      skopeoInspect(`${registry.host}/base/busybox:1`, { tlsVerify: true, creds: registry.creds() })
    ).rejects.toThrow(/certificate/i)
  })
})

describe('registry behind the bearer token server', () => {
  let registry: Registry
  beforeAll(async () => {
    registry = await startRegistry({ auth: 'token', tokenTtlSeconds: 2 })
  })
  afterAll(() => registry.stop())

  it('challenges with the token realm and the service', async () => {
    const res = await fetch(`${registry.url}/v2/`)
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toBe(
      `Bearer realm="${registry.tokenServer?.realm}",service="rollout-kit-registry"`
    )
  })

  it('lets a push user push, and anyone pull', async () => {
    const dest = `${registry.host}/base/busybox:1`
    await skopeoCopy(LOCAL, dest, { dest: { creds: registry.creds('pusher') } })
    expect(await skopeoDigest(dest)).toBe(pushedDigest)
    expect(await skopeoDigest(dest, { creds: registry.creds('reader') })).toBe(pushedDigest)
  })

  it('refuses a push by a pull-only user', async () => {
    await expect(
      skopeoCopy(LOCAL, `${registry.host}/base/other:1`, {
        dest: { creds: registry.creds('reader') }
      })
    ).rejects.toThrow(/denied|unauthorized|authentication required/i)
    const reader = registry.tokenServer?.requests.filter((r) => r.account === 'reader') ?? []
    expect(reader.at(-1)?.granted).toEqual([
      { type: 'repository', name: 'base/other', actions: ['pull'] }
    ])
  })

  it('grants tokens by the OAuth2 password and refresh_token grants', async () => {
    const realm = registry.tokenServer?.realm ?? ''
    const post = async (form: Record<string, string>): Promise<Record<string, unknown>> => {
      const res = await fetch(realm, { method: 'POST', body: new URLSearchParams(form) })
      expect(res.status).toBe(200)
      return (await res.json()) as Record<string, unknown>
    }
    const common = {
      service: 'rollout-kit-registry',
      client_id: 'harness',
      scope: 'repository:base/busybox:pull'
    }
    const first = await post({
      ...common,
      grant_type: 'password',
      username: 'reader',
      password: 'reader-secret',
      access_type: 'offline'
    })
    expect(first).toMatchObject({ scope: common.scope, expires_in: 2 })
    expect(typeof first.refresh_token).toBe('string')
    const second = await post({
      ...common,
      grant_type: 'refresh_token',
      refresh_token: String(first.refresh_token)
    })
    expect(typeof second.access_token).toBe('string')
    const bad = await fetch(realm, {
      method: 'POST',
      body: new URLSearchParams({ ...common, grant_type: 'refresh_token', refresh_token: 'forged' })
    })
    expect(bad.status).toBe(401)
  })

  it('answers 401 to a wrong password, at the token server and through skopeo', async () => {
    const server = registry.tokenServer
    if (!server) throw new Error('token mode without a token server')
    const basic = Buffer.from('pusher:wrong').toString('base64')
    const res = await fetch(
      `${server.realm}?service=${server.service}&scope=repository:base/busybox:pull`,
      {
        headers: { authorization: `Basic ${basic}` }
      }
    )
    expect(res.status).toBe(401)
    await expect(
      skopeoInspect(`${registry.host}/base/busybox:1`, { creds: 'pusher:wrong' })
    ).rejects.toThrow(/401|unauthorized/i)
    expect(server.requests.at(-1)).toMatchObject({ account: 'pusher', status: 401 })
  })

  it('issues ES256 tokens with x5c and the Docker claims, which the registry accepts', async () => {
    const server = registry.tokenServer
    if (!server) throw new Error('token mode without a token server')
    const before = server.requests.length
    const basic = Buffer.from(registry.creds('pusher')).toString('base64')
    const url = `${server.realm}?service=${server.service}&scope=repository:base/busybox:pull,push,bogus`
    const body = (await (
      await fetch(url, { headers: { authorization: `Basic ${basic}` } })
    ).json()) as {
      token: string
      access_token: string
      expires_in: number
      issued_at: string
    }
    expect(server.requests.length).toBe(before + 1)
    expect(body.access_token).toBe(body.token)
    expect(body.expires_in).toBe(2)
    const [header, claims] = body.token
      .split('.')
      .slice(0, 2)
      .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()))
    expect(header).toMatchObject({ alg: 'ES256', typ: 'JWT' })
    expect(header.x5c).toHaveLength(1)
    expect(claims).toMatchObject({
      iss: server.issuer,
      sub: 'pusher',
      aud: 'rollout-kit-registry',
      access: [{ type: 'repository', name: 'base/busybox', actions: ['pull', 'push'] }]
    })
    expect(claims.exp - claims.iat).toBe(2)
    const res = await fetch(`${registry.url}/v2/base/busybox/tags/list`, {
      headers: { authorization: `Bearer ${body.token}` }
    })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ name: 'base/busybox', tags: ['1'] })
  })
})
