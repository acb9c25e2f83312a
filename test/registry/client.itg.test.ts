import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { connect, createServer, type Socket } from 'node:net'
import {
  digestOf,
  OCI_INDEX,
  OCI_MANIFEST,
  parseReference,
  RegistryClient,
  type FetchedManifest,
  type ImageManifest
} from '../../src/registry/index.js'
import {
  ensureBaseImage,
  twoPlatformIndex,
  type PushedImage,
  type PushedIndex
} from '../../harness/buildah.js'
import { startRegistry, type Registry } from '../../harness/registry.js'
import { skopeoDigest, skopeoInspect } from '../../harness/skopeo.js'
import { registryError } from './registry-error.js'

const MADE_UP = `sha256:${'0'.repeat(64)}`

function imageManifest(fetched: FetchedManifest): ImageManifest {
  if (fetched.kind !== 'image') throw new Error(`expected an image manifest, got ${fetched.kind}`)
  return fetched.manifest
}

/** A TCP relay in front of a port that notes whether each connection opens with a TLS handshake. */
interface Tap {
  readonly host: string
  /** Per connection, in order: `tls` (a handshake record, 0x16) or `plain`. */
  readonly openings: string[]
  stop(): Promise<void>
}

async function startTap(port: number): Promise<Tap> {
  const openings: string[] = []
  const sockets = new Set<Socket>()
  const track = (socket: Socket): void => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  }
  const server = createServer((client) => {
    track(client)
    client.once('data', (first: Buffer) => {
      openings.push(first[0] === 0x16 ? 'tls' : 'plain')
      const upstream = connect(port, '127.0.0.1')
      track(upstream)
      upstream.write(first)
      client.pipe(upstream).pipe(client)
      upstream.on('error', () => client.destroy())
      client.on('error', () => upstream.destroy())
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const tapPort = typeof address === 'object' && address !== null ? address.port : 0
  return {
    host: `127.0.0.1:${tapPort}`,
    openings,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      })
  }
}

describe('plain HTTP loopback registry', () => {
  let registry: Registry
  let base: PushedImage
  let index: PushedIndex
  let client: RegistryClient

  beforeAll(async () => {
    registry = await startRegistry()
    base = await ensureBaseImage(registry.host)
    index = await twoPlatformIndex(registry.host)
    client = new RegistryClient({ credentialLookup: false })
  })
  afterAll(async () => {
    await client.close()
    await registry.stop()
  })

  it('pings over plain HTTP after trying TLS, and keeps to plain HTTP afterwards', async () => {
    const tap = await startTap(Number(registry.host.split(':')[1]))
    const tapped = new RegistryClient({ credentialLookup: false })
    try {
      expect(await tapped.ping(tap.host)).toEqual({ url: `http://${tap.host}`, auth: 'none' })
      await tapped.headManifest(parseReference(`${tap.host}/base/busybox:1`))
      expect(tap.openings.join(' ')).toMatch(/^tls( plain)+$/)
    } finally {
      await tapped.close()
      await tap.stop()
    }
  })

  it('heads and gets the base image by tag with the digest skopeo reports', async () => {
    const expected = await skopeoDigest(base.ref)
    expect(base.digest).toBe(expected)
    const ref = parseReference(base.ref)
    const head = await client.headManifest(ref)
    const fetched = await client.getManifest(ref)
    expect(head).toEqual({ digest: expected, mediaType: OCI_MANIFEST, size: fetched.size })
    expect(fetched).toMatchObject({ kind: 'image', mediaType: OCI_MANIFEST, digest: expected })
    expect(digestOf(fetched.bytes)).toBe(expected)
    expect(fetched.size).toBe(fetched.bytes.length)
    expect(JSON.parse(fetched.bytes.toString('utf8'))).toEqual(
      await skopeoInspect(base.ref, { raw: true })
    )
    expect(await client.resolveDigest(ref)).toBe(expected)
  })

  it('heads and gets the base image by digest, verifying the bytes', async () => {
    const ref = parseReference(base.pinned)
    expect(ref.digest).toBe(base.digest)
    expect((await client.headManifest(ref)).digest).toBe(base.digest)
    const fetched = await client.getManifest(ref)
    expect(fetched.digest).toBe(base.digest)
    expect(digestOf(fetched.bytes)).toBe(base.digest)
  })

  it('parses a two-platform index with the per-platform digests the registry holds', async () => {
    const ref = parseReference(index.ref)
    const fetched = await client.getManifest(ref)
    expect(fetched.kind).toBe('index')
    expect(fetched.mediaType).toBe(OCI_INDEX)
    expect(fetched.digest).toBe(index.digest)
    expect(digestOf(fetched.bytes)).toBe(index.digest)
    if (fetched.kind !== 'index') throw new Error(`expected an index, got ${fetched.kind}`)
    const platforms = Object.fromEntries(
      fetched.manifest.manifests.map((m) => [
        `${m.platform?.os}/${m.platform?.architecture}`,
        m.digest
      ])
    )
    expect(platforms).toEqual(index.platforms)
    expect(Object.keys(platforms).sort()).toEqual(['linux/amd64', 'linux/arm64'])
    expect(await client.headManifest(ref)).toMatchObject({
      digest: index.digest,
      mediaType: OCI_INDEX
    })
  })

  it('finds the config blob and not a made-up digest', async () => {
    const ref = parseReference(base.ref)
    const config = imageManifest(await client.getManifest(ref)).config
    expect(await client.blobExists(ref, config.digest)).toBe(true)
    expect(await client.blobExists(ref, MADE_UP)).toBe(false)
  })

  it('reports a missing tag as 404 MANIFEST_UNKNOWN naming the server and operation', async () => {
    const ref = parseReference(`${registry.host}/base/busybox:missing`)
    const error = await registryError(client.getManifest(ref))
    expect(error).toMatchObject({
      server: registry.host,
      operation: 'GET manifest base/busybox:missing',
      status: 404,
      code: 'MANIFEST_UNKNOWN'
    })
    expect(error.message).toContain(`registry ${registry.host}: GET manifest base/busybox:missing`)
    expect(error.message).toContain('404 MANIFEST_UNKNOWN')
    // HEAD has no body to carry the code: the status alone says it
    const head = await registryError(client.headManifest(ref))
    expect(head).toMatchObject({ server: registry.host, status: 404 })
    expect(head.message).toContain(`registry ${registry.host}: HEAD manifest base/busybox:missing`)
  })
})

describe('TLS registry with basic auth', () => {
  let registry: Registry
  let base: PushedImage
  const clients: RegistryClient[] = []
  const newClient = (username?: string, password?: string): RegistryClient => {
    const credentials =
      username === undefined
        ? undefined
        : { [registry.host]: { username, password: password ?? '' } }
    const client = new RegistryClient({
      ca: registry.caPem,
      credentialLookup: false,
      ...(credentials && { credentials })
    })
    clients.push(client)
    return client
  }
  const password = (user: string): string => registry.users[user]?.password ?? ''

  beforeAll(async () => {
    registry = await startRegistry({ auth: 'basic' })
    base = await ensureBaseImage(registry.host, {
      certDir: registry.certDir,
      creds: registry.creds('pusher')
    })
  })
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()))
    await registry.stop()
  })

  it('reads over HTTPS with the CA option and correct credentials', async () => {
    const client = newClient('reader', password('reader'))
    expect(await client.ping(registry.host)).toEqual({
      url: `https://${registry.host}`,
      auth: 'basic'
    })
    const fetched = await client.getManifest(parseReference(base.ref))
    expect(fetched.digest).toBe(base.digest)
    expect(digestOf(fetched.bytes)).toBe(base.digest)
  })

  it('says UNAUTHORIZED 401 for a wrong password without showing it', async () => {
    const wrong = 'not-the-reader-secret'
    const error = await registryError(
      newClient('reader', wrong).headManifest(parseReference(base.ref))
    )
    expect(error).toMatchObject({ server: registry.host, status: 401, code: 'UNAUTHORIZED' })
    expect(error.message).toContain(registry.host)
    expect(error.message).toContain('rejected')
    expect(error.message).not.toContain(wrong)
    expect(error.message).not.toContain(Buffer.from(`reader:${wrong}`).toString('base64'))
  })

  it('says the registry requires credentials when none are given', async () => {
    const error = await registryError(newClient().headManifest(parseReference(base.ref)))
    expect(error).toMatchObject({ server: registry.host, status: 401, code: 'UNAUTHORIZED' })
    expect(error.message).toBe(
      `registry ${registry.host} requires credentials to pull base/busybox (401) and none were found for ${registry.host}`
    )
  })
})
