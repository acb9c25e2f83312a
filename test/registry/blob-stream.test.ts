import { afterEach, describe, expect, it } from '@jest/globals'
import { readAll } from '../../src/registry/http-exchange.js'
import {
  digestOf,
  parseReference,
  RegistryClient,
  RegistryError
} from '../../src/registry/index.js'
import {
  recordingRetry,
  startFakeRegistry,
  type FakeRegistry,
  type Reply
} from './fake-registry.js'

const BLOB = Buffer.from('layer bytes '.repeat(1000))
const DIGEST = digestOf(BLOB)
const BASIC = `Basic ${Buffer.from('u:p').toString('base64')}`

let servers: FakeRegistry[] = []
let client: RegistryClient | undefined
afterEach(async () => {
  await client?.close()
  await Promise.all(servers.map((s) => s.close()))
  servers = []
  client = undefined
})

/** A registry with Basic auth whose blob GET redirects to `storage`, which serves `content`. */
async function registryWithStorage(content: Buffer) {
  const storage = await startFakeRegistry(() => ({ status: 200, body: content }))
  const port = storage.registry.split(':')[1]
  const registry = await startFakeRegistry((req): Reply => {
    if (req.authorization !== BASIC) {
      return { status: 401, headers: { 'www-authenticate': 'Basic realm="fake"' } }
    }
    if (req.path === `/v2/app/blobs/${DIGEST}`) {
      return { status: 307, headers: { location: `http://localhost:${port}/data/blob?sig=abc` } }
    }
    return { status: 200, body: {} }
  })
  servers.push(storage, registry)
  client = new RegistryClient({
    credentialLookup: false,
    retry: recordingRetry([]),
    credentials: { [registry.registry]: { username: 'u', password: 'p' } }
  })
  return { registry, storage, repo: parseReference(`${registry.registry}/app`) }
}

describe('blob reads', () => {
  it('follows a 307 to storage on another host without the registry Authorization header', async () => {
    const { storage, repo } = await registryWithStorage(BLOB)
    expect(await client?.fetchBlob(repo, DIGEST)).toEqual(BLOB)
    expect(storage.requests).toEqual([
      expect.objectContaining({ method: 'GET', path: '/data/blob?sig=abc' })
    ])
    expect(storage.requests[0]?.authorization).toBeUndefined()
  })

  it('streams a blob through openBlob and checks its size', async () => {
    const { repo } = await registryWithStorage(BLOB)
    const stream = await client?.openBlob(repo, { digest: DIGEST, size: BLOB.length })
    expect(stream && (await readAll(stream))).toEqual(BLOB)
  })

  it('fails with DIGEST_INVALID when storage serves other bytes', async () => {
    const { repo } = await registryWithStorage(Buffer.from('tampered'))
    const error = await client?.fetchBlob(repo, DIGEST).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RegistryError)
    expect(error).toMatchObject({ code: 'DIGEST_INVALID' })
    expect((error as Error).message).toContain(`expected ${DIGEST}`)
  })
})

describe('blob streams of a copy', () => {
  it('name the side of the copy when the content does not match its digest', async () => {
    const fake = await startFakeRegistry(() => ({ status: 200, body: 'not the subject' }))
    servers.push(fake)
    const registry = new RegistryClient({ credentialLookup: false, retry: recordingRetry([]) })
    client = registry
    const stream = await registry.openBlob(
      parseReference(`${fake.registry}/app`),
      { digest: DIGEST },
      'source'
    )
    await expect(readAll(stream)).rejects.toThrow(
      `source registry ${fake.registry}: GET blob app@${DIGEST} returned content with digest ${digestOf(Buffer.from('not the subject'))}, expected ${DIGEST}`
    )
  })
})
