import { afterEach, describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import {
  OCI_MANIFEST,
  parseReference,
  RegistryClient,
  type Credentials
} from '../../src/registry/index.js'
import {
  recordingRetry,
  startFakeRegistry,
  type FakeRegistry,
  type Reply
} from './fake-registry.js'
import { captureStdout } from '../../harness/stdout.js'
import { startBearerRegistry as bearerRegistry } from './fake-token-registry.js'

const MANIFEST = readFileSync(
  new URL('./fixtures/oci-manifest.json', import.meta.url.replace(/\?.*$/, ''))
)
const b64 = (text: string) => Buffer.from(text).toString('base64')

let fake: FakeRegistry | undefined
let client: RegistryClient | undefined
afterEach(async () => {
  await client?.close()
  await fake?.close()
  client = fake = undefined
})

function clientFor(registry: string, credentials?: Credentials) {
  client = new RegistryClient({
    retry: recordingRetry([]),
    credentialLookup: false,
    ...(credentials && { credentials: { [registry]: credentials } })
  })
  return client
}

const bob = { username: 'bob', password: 'bob-secret-pw' }
const amy = { username: 'amy', password: 'amy-secret-pw' }
const users = { bob: { password: bob.password, push: true }, amy: { password: amy.password } }

describe('bearer token flow', () => {
  it('gets a token with Basic credentials for the repository scope, and reuses it', async () => {
    const server = await bearerRegistry({ users })
    fake = server.fake
    const registry = clientFor(fake.registry, bob)
    const ref = parseReference(`${fake.registry}/team/app:1`)
    await registry.getManifest(ref)
    await registry.headManifest(ref)
    expect(server.tokenRequests().map((r) => [r.path, r.authorization])).toEqual([
      [
        '/token?service=test&scope=repository%3Ateam%2Fapp%3Apull',
        `Basic ${b64('bob:bob-secret-pw')}`
      ]
    ])
  })

  it('masks the token it receives', async () => {
    const server = await bearerRegistry({ users })
    fake = server.fake
    const host = fake.registry
    const ref = parseReference(`${host}/team/app:1`)
    const { written } = await captureStdout(() => clientFor(host, bob).getManifest(ref))
    expect(written).toContain(`::add-mask::${server.tokenPrefix}1`)
  })

  it('asks anonymously without credentials and accepts access_token', async () => {
    const server = await bearerRegistry({ anonymousPull: true, accessTokenField: true })
    fake = server.fake
    await clientFor(fake.registry).getManifest(parseReference(`${fake.registry}/team/app:1`))
    expect(server.tokenRequests().map((r) => r.authorization)).toEqual([undefined])
  })

  it('trades an identity token for an access token with the OAuth2 refresh_token grant', async () => {
    const server = await bearerRegistry({
      users,
      refreshToken: { token: 'refresh-1', user: 'bob' }
    })
    fake = server.fake
    await clientFor(fake.registry, { identityToken: 'refresh-1' }).getManifest(
      parseReference(`${fake.registry}/team/app:1`)
    )
    const [request] = server.tokenRequests()
    expect(request.method).toBe('POST')
    expect(Object.fromEntries(new URLSearchParams(request.body))).toEqual({
      grant_type: 'refresh_token',
      refresh_token: 'refresh-1',
      client_id: 'rollout-kit',
      service: 'test',
      scope: 'repository:team/app:pull'
    })
  })

  it('refreshes an expired token once and carries on', async () => {
    const server = await bearerRegistry({ users })
    fake = server.fake
    const registry = clientFor(fake.registry, bob)
    const ref = parseReference(`${fake.registry}/team/app:1`)
    await registry.getManifest(ref)
    server.revokeAll()
    await registry.getManifest(ref)
    expect(server.tokenRequests()).toHaveLength(2)
  })

  it('does not loop when a fresh token is refused too', async () => {
    const server = await bearerRegistry({ users })
    fake = server.fake
    const registry = clientFor(fake.registry, bob)
    const ref = parseReference(`${fake.registry}/team/app:1`)
    await registry.getManifest(ref)
    server.rejectAllTokens()
    await expect(registry.getManifest(ref)).rejects.toThrow(
      `credentials for ${fake.registry} were rejected (401) during GET manifest team/app:1`
    )
    expect(server.tokenRequests()).toHaveLength(2)
    expect(fake.requests.filter((r) => r.path.includes('/manifests/'))).toHaveLength(3)
  })
})

describe('refusals', () => {
  it('says the credentials were rejected when the token server answers 401', async () => {
    const server = await bearerRegistry({ users })
    fake = server.fake
    const get = clientFor(fake.registry, { username: 'bob', password: 'wrong-pw' }).getManifest(
      parseReference(`${fake.registry}/team/app:1`)
    )
    await expect(get).rejects.toThrow(
      `credentials for ${fake.registry} were rejected (401) during GET manifest team/app:1`
    )
    await expect(get).rejects.toMatchObject({ code: 'UNAUTHORIZED', status: 401 })
    await expect(get).rejects.not.toThrow('wrong-pw')
  })

  it('says who lacks push when a fresh token has insufficient scope', async () => {
    const server = await bearerRegistry({ users })
    fake = server.fake
    const check = clientFor(fake.registry, amy).checkPushAccess(
      parseReference(`${fake.registry}/team/app`)
    )
    await expect(check).rejects.toThrow(
      `registry ${fake.registry}: authenticated as amy but not allowed to push team/app (403)`
    )
    await expect(check).rejects.toMatchObject({ code: 'DENIED' })
    expect(
      server.tokenRequests().map((r) => new URL(r.path, 'http://x').searchParams.get('scope'))
    ).toEqual(['repository:team/app:pull,push'])
  })

  it('says who is denied on a 403', async () => {
    const server = await bearerRegistry({ users, forbid: 'other/app' })
    fake = server.fake
    await expect(
      clientFor(fake.registry, amy).getManifest(parseReference(`${fake.registry}/other/app:1`))
    ).rejects.toThrow(
      `registry ${fake.registry}: authenticated as amy but not allowed to pull other/app (403)`
    )
  })

  it('says credentials are needed when there are none', async () => {
    const server = await bearerRegistry({ users, anonymousPull: false })
    fake = server.fake
    const get = clientFor(fake.registry).getManifest(parseReference(`${fake.registry}/team/app:1`))
    await expect(get).rejects.toThrow(
      `registry ${fake.registry} requires credentials to pull team/app (401) and none were found for ${fake.registry}`
    )
    await expect(get).rejects.toMatchObject({ code: 'UNAUTHORIZED' })
  })
})

describe('push pre-flight', () => {
  it('starts an upload and cancels it, leaving nothing behind', async () => {
    const server = await bearerRegistry({ users })
    fake = server.fake
    await clientFor(fake.registry, bob).checkPushAccess(
      parseReference(`${fake.registry}/team/app:1`)
    )
    expect(
      fake.requests.filter((r) => r.path.startsWith('/v2/team')).map((r) => `${r.method} ${r.path}`)
    ).toEqual([
      'POST /v2/team/app/blobs/uploads/',
      'DELETE /v2/team/app/blobs/uploads/u-1?_state=abc'
    ])
  })
})

describe('basic auth', () => {
  const basicRegistry = () =>
    startFakeRegistry((req): Reply =>
      req.authorization === `Basic ${b64('bob:bob-secret-pw')}`
        ? { status: 200, headers: { 'content-type': OCI_MANIFEST }, body: MANIFEST }
        : { status: 401, headers: { 'www-authenticate': 'Basic realm="Registry Realm"' } }
    )

  it('sends Basic credentials on every request', async () => {
    fake = await basicRegistry()
    const registry = clientFor(fake.registry, bob)
    expect(await registry.ping(fake.registry)).toMatchObject({ auth: 'basic' })
    await registry.getManifest(parseReference(`${fake.registry}/team/app:1`))
    expect(fake.requests.map((r) => r.authorization)).toEqual([
      undefined,
      `Basic ${b64('bob:bob-secret-pw')}`
    ])
  })

  it('says the credentials were rejected, once, without retrying', async () => {
    fake = await basicRegistry()
    const get = clientFor(fake.registry, amy).getManifest(
      parseReference(`${fake.registry}/team/app:1`)
    )
    await expect(get).rejects.toThrow(
      `credentials for ${fake.registry} were rejected (401) during GET manifest team/app:1`
    )
    expect(fake.requests).toHaveLength(2)
  })
})

describe('token realm', () => {
  it('refuses to send credentials to a plain-HTTP realm on another host', async () => {
    fake = await startFakeRegistry((): Reply => ({
      status: 401,
      headers: { 'www-authenticate': 'Bearer realm="http://auth.example.invalid/token"' }
    }))
    const get = clientFor(fake.registry, bob).getManifest(parseReference(`${fake.registry}/a:1`))
    await expect(get).rejects.toThrow(
      "registry token server auth.example.invalid: refusing to send credentials over plain HTTP to http://auth.example.invalid; name it in 'insecure' if that is intended"
    )
    await expect(get).rejects.toMatchObject({ code: 'INSECURE_REALM' })
  })
})
