import { afterEach, describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import {
  digestOf,
  OCI_MANIFEST,
  parseReference,
  RegistryClient,
  RegistryError
} from '../../src/registry/index.js'
import { errorBody, recordingRetry, startFakeRegistry, type FakeRegistry } from './fake-registry.js'

const MANIFEST = readFileSync(
  new URL('./fixtures/oci-manifest.json', import.meta.url.replace(/\?.*$/, ''))
)
const DIGEST = digestOf(MANIFEST)
const OTHER = `sha256:${'0'.repeat(64)}`

let fake: FakeRegistry | undefined
let client: RegistryClient | undefined
afterEach(async () => {
  await client?.close()
  await fake?.close()
  client = fake = undefined
})

function newClient(delays: number[] = [], insecure: string[] = []) {
  client = new RegistryClient({ retry: recordingRetry(delays), credentialLookup: false, insecure })
  return client
}

const manifestReply = (digest: string | undefined = DIGEST) => ({
  status: 200,
  headers: {
    'content-type': OCI_MANIFEST,
    'content-length': String(MANIFEST.length),
    ...(digest && { 'docker-content-digest': digest })
  },
  body: MANIFEST
})

describe('scheme', () => {
  it('falls back to plain HTTP on a loopback registry without TLS, and remembers it', async () => {
    fake = await startFakeRegistry(() => ({ status: 200, body: {} }))
    const registry = newClient()
    expect(await registry.ping(fake.registry)).toEqual({
      url: `http://${fake.registry}`,
      auth: 'none'
    })
    await registry.blobExists(parseReference(`${fake.registry}/app`), DIGEST)
    expect(fake.protocolErrors()).toBe(1)
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /v2/',
      `HEAD /v2/app/blobs/${DIGEST}`
    ])
  })

  it('speaks plain HTTP at once to a registry named insecure', async () => {
    fake = await startFakeRegistry(() => ({ status: 200, body: {} }))
    await newClient([], [fake.registry]).ping(fake.registry)
    expect(fake.protocolErrors()).toBe(0)
  })

  it('names the server and the operation when nothing listens', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number }
        probe.close(() => resolve(port))
      })
    })
    await expect(newClient().ping(`127.0.0.1:${port}`)).rejects.toThrow(
      `registry 127.0.0.1:${port} unreachable during ping: connect ECONNREFUSED 127.0.0.1:${port}`
    )
  })
})

describe('retries', () => {
  it('retries a 503 and then succeeds', async () => {
    let failures = 2
    fake = await startFakeRegistry((req) =>
      req.path === '/v2/' ? { status: 200 } : failures-- > 0 ? { status: 503 } : manifestReply()
    )
    const delays: number[] = []
    const got = await newClient(delays).getManifest(parseReference(`${fake.registry}/app:1`))
    expect(got.digest).toBe(DIGEST)
    expect(delays).toEqual([50, 100])
  })

  it('waits as long as Retry-After asks on a 429', async () => {
    let limited = true
    fake = await startFakeRegistry((req) => {
      if (req.path === '/v2/') return { status: 200 }
      if (!limited) return manifestReply()
      limited = false
      return {
        status: 429,
        headers: { 'retry-after': '7' },
        body: errorBody('TOOMANYREQUESTS', 'slow down')
      }
    })
    const delays: number[] = []
    await newClient(delays).headManifest(parseReference(`${fake.registry}/app:1`))
    expect(delays).toEqual([7000])
  })

  it('gives up after the last attempt, naming the status', async () => {
    fake = await startFakeRegistry((req) =>
      req.path === '/v2/' ? { status: 200 } : { status: 502, body: 'bad gateway' }
    )
    const delays: number[] = []
    await expect(
      newClient(delays).getManifest(parseReference(`${fake.registry}/app:1`))
    ).rejects.toThrow(`registry ${fake.registry}: GET manifest app:1 failed: 502 Bad Gateway`)
    expect(delays).toHaveLength(2)
  })

  it('does not retry a 404 and names server, operation, status and code', async () => {
    fake = await startFakeRegistry((req) =>
      req.path === '/v2/'
        ? { status: 200 }
        : { status: 404, body: errorBody('MANIFEST_UNKNOWN', 'manifest unknown') }
    )
    const delays: number[] = []
    const get = newClient(delays).getManifest(parseReference(`${fake.registry}/library/app:1.0`))
    await expect(get).rejects.toThrow(
      `registry ${fake.registry}: GET manifest library/app:1.0 failed: 404 MANIFEST_UNKNOWN manifest unknown`
    )
    await expect(get).rejects.toMatchObject({
      server: fake.registry,
      operation: 'GET manifest library/app:1.0',
      status: 404,
      code: 'MANIFEST_UNKNOWN'
    })
    expect(delays).toEqual([])
    expect(fake.requests.filter((r) => r.path.includes('manifests'))).toHaveLength(1)
  })
})

describe('manifests and digests', () => {
  const serve = async (reply: ReturnType<typeof manifestReply>) => {
    fake = await startFakeRegistry((req) => (req.path === '/v2/' ? { status: 200 } : reply))
    return fake.registry
  }

  it('fetches a manifest by tag, asking for every manifest type', async () => {
    const registry = await serve(manifestReply())
    const got = await newClient().getManifest(parseReference(`${registry}/app:1`))
    expect(got).toMatchObject({ kind: 'image', mediaType: OCI_MANIFEST, digest: DIGEST })
    expect(got.bytes.equals(MANIFEST)).toBe(true)
    // no ping first: an open registry answers the manifest request itself
    expect(fake?.requests.map((r) => r.path)).toEqual(['/v2/app/manifests/1'])
    expect(fake?.requests[0].accept).toBe(
      'application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json, ' +
        'application/vnd.docker.distribution.manifest.list.v2+json, ' +
        'application/vnd.docker.distribution.manifest.v2+json'
    )
  })

  it('takes the computed digest when the registry sends none', async () => {
    const registry = await serve(manifestReply(''))
    expect((await newClient().getManifest(parseReference(`${registry}/app:1`))).digest).toBe(DIGEST)
  })

  it('refuses a tag whose Docker-Content-Digest disagrees with the bytes', async () => {
    const registry = await serve(manifestReply(OTHER))
    await expect(newClient().getManifest(parseReference(`${registry}/app:1`))).rejects.toThrow(
      `registry ${registry}: GET manifest app:1 reports digest ${OTHER} but the content's digest is ${DIGEST}`
    )
  })

  it('refuses content that does not match the digest asked for, naming both', async () => {
    const registry = await serve(manifestReply(''))
    const get = newClient().getManifest(parseReference(`${registry}/app@${OTHER}`))
    await expect(get).rejects.toThrow(
      `registry ${registry}: GET manifest app@${OTHER} returned content with digest ${DIGEST}, expected ${OTHER}`
    )
    await expect(get).rejects.toBeInstanceOf(RegistryError)
  })

  it('resolves a digest with HEAD', async () => {
    const registry = await serve(manifestReply())
    expect(await newClient().resolveDigest(parseReference(`${registry}/app:1`))).toBe(DIGEST)
    expect(fake?.requests.map((r) => r.method)).toEqual(['HEAD'])
  })

  it('falls back to GET when HEAD gives no digest', async () => {
    const registry = await serve(manifestReply(''))
    expect(await newClient().headManifest(parseReference(`${registry}/app:1`))).toEqual({
      digest: DIGEST,
      mediaType: OCI_MANIFEST,
      size: MANIFEST.length
    })
    expect(fake?.requests.map((r) => r.method)).toEqual(['HEAD', 'GET'])
  })

  it('tells an existing blob from a missing one', async () => {
    fake = await startFakeRegistry((req) =>
      req.path === '/v2/' || req.path.endsWith(DIGEST) ? { status: 200 } : { status: 404 }
    )
    const ref = parseReference(`${fake.registry}/app`)
    const registry = newClient()
    expect(await registry.blobExists(ref, DIGEST)).toBe(true)
    expect(await registry.blobExists(ref, OTHER)).toBe(false)
  })
})
