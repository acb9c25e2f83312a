import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { parseReference, RegistryClient } from '../../src/registry/index.js'
import { ensureBaseImage, type PushedImage } from '../../harness/buildah.js'
import { startFaultProxy } from '../../harness/fault-proxy.js'
import { startRegistry, type Registry } from '../../harness/registry.js'
import { skopeoCopy } from '../../harness/skopeo.js'
import { registryError } from './registry-error.js'

describe('registry with bearer tokens', () => {
  let registry: Registry
  let base: PushedImage
  const clients: RegistryClient[] = []
  /** A client with `user`'s credentials (none when undefined) for registries on `host`. */
  const newClient = (user?: string, password?: string, host = registry.host): RegistryClient => {
    const secret = password ?? (user === undefined ? '' : (registry.users[user]?.password ?? ''))
    const client = new RegistryClient({
      credentialLookup: false,
      ...(user !== undefined && { credentials: { [host]: { username: user, password: secret } } })
    })
    clients.push(client)
    return client
  }
  const tokenRequests = (): number => registry.tokenServer?.requests.length ?? 0

  /** A token for `scope`, straight from the token server, to look at the registry without the client. */
  async function bearer(user: string, scope: string): Promise<string> {
    const server = registry.tokenServer
    if (!server) throw new Error('the registry has no token server')
    const url = new URL(server.realm)
    url.searchParams.set('service', server.service)
    url.searchParams.set('scope', scope)
    const basic = Buffer.from(registry.creds(user)).toString('base64')
    const res = await fetch(url, { headers: { authorization: `Basic ${basic}` } })
    return ((await res.json()) as { token: string }).token
  }

  beforeAll(async () => {
    registry = await startRegistry({ auth: 'token' })
    const access = { creds: registry.creds('pusher') }
    base = await ensureBaseImage(registry.host, access)
    await skopeoCopy(base.ref, `${registry.host}/copy/busybox:1`, { src: access, dest: access })
  })
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()))
    await registry.stop()
  })

  it('lets pusher push: the upload it starts is cancelled and leaves no tag', async () => {
    // the proxy adds no faults; it shows the upload session the client opened and cancelled
    const proxy = await startFaultProxy(registry.url)
    try {
      const client = newClient('pusher', undefined, proxy.host)
      expect(await client.ping(proxy.host)).toEqual({ url: `http://${proxy.host}`, auth: 'bearer' })
      await client.checkPushAccess(parseReference(`${proxy.host}/probe/push`))
      const upload = proxy.requests.filter((r) =>
        r.path.startsWith('/v2/probe/push/blobs/uploads/')
      )
      expect(upload.map((r) => `${r.method} ${r.status}`)).toEqual(['POST 202', 'DELETE 204'])
      const session = upload[1]?.path ?? ''
      const auth = {
        authorization: `Bearer ${await bearer('pusher', 'repository:probe/push:pull,push')}`
      }
      const status = await fetch(`${registry.url}${session}`, { headers: auth })
      expect(status.status).toBe(404)
      expect(await status.json()).toMatchObject({ errors: [{ code: 'BLOB_UPLOAD_UNKNOWN' }] })
      const tags = await fetch(`${registry.url}/v2/probe/push/tags/list`, { headers: auth })
      expect(tags.status).toBe(404)
      expect(await tags.json()).toMatchObject({ errors: [{ code: 'NAME_UNKNOWN' }] })
    } finally {
      await proxy.stop()
    }
  })

  it('tells reader it is DENIED and not allowed to push', async () => {
    const error = await registryError(
      newClient('reader').checkPushAccess(parseReference(`${registry.host}/probe/denied`))
    )
    expect(error).toMatchObject({
      server: registry.host,
      operation: 'POST blob upload probe/denied',
      code: 'DENIED'
    })
    expect(error.message).toContain(
      `registry ${registry.host}: authenticated as reader but not allowed to push probe/denied`
    )
  })

  it('says UNAUTHORIZED 401 when the token server rejects the password', async () => {
    const wrong = 'not-the-pusher-secret'
    const error = await registryError(
      newClient('pusher', wrong).headManifest(parseReference(base.ref))
    )
    expect(error).toMatchObject({ server: registry.host, status: 401, code: 'UNAUTHORIZED' })
    expect(error.message).toContain(`credentials for ${registry.host} were rejected (401)`)
    expect(error.message).not.toContain(wrong)
  })

  it('asks for one token per repository scope and reuses it', async () => {
    const client = newClient('pusher')
    const before = tokenRequests()
    for (let i = 0; i < 3; i++) {
      expect((await client.headManifest(parseReference(base.ref))).digest).toBe(base.digest)
    }
    expect(tokenRequests() - before).toBe(1)
    const copy = parseReference(`${registry.host}/copy/busybox:1`)
    expect(await client.resolveDigest(copy)).toBe(base.digest)
    expect(await client.resolveDigest(copy)).toBe(base.digest)
    expect(tokenRequests() - before).toBe(2)
    expect(registry.tokenServer?.requests.slice(before).map((r) => r.scopes)).toEqual([
      ['repository:base/busybox:pull'],
      ['repository:copy/busybox:pull']
    ])
  })

  it('pulls anonymously when the token server grants anonymous pull', async () => {
    const before = tokenRequests()
    const fetched = await newClient().getManifest(parseReference(base.ref))
    expect(fetched.digest).toBe(base.digest)
    expect(registry.tokenServer?.requests.slice(before)).toEqual([
      expect.objectContaining({
        account: null,
        status: 200,
        granted: [{ type: 'repository', name: 'base/busybox', actions: ['pull'] }]
      })
    ])
  })

  it('asks for credentials when the token server refuses anonymous pull', async () => {
    const closed = await startRegistry({ auth: 'token', anonymousPull: false })
    try {
      const ref = parseReference(`${closed.host}/base/busybox:1`)
      const error = await registryError(newClient().headManifest(ref))
      expect(error).toMatchObject({ server: closed.host, status: 401, code: 'UNAUTHORIZED' })
      expect(error.message).toContain(`registry ${closed.host} requires credentials to pull`)
    } finally {
      await closed.stop()
    }
  })
})
