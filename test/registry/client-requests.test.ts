import { afterEach, describe, expect, it } from '@jest/globals'
import {
  digestOf,
  OCI_INDEX,
  parseReference,
  RegistryClient,
  type Credentials
} from '../../src/registry/index.js'
import { startBearerRegistry } from './fake-token-registry.js'
import {
  recordingRetry,
  startFakeRegistry,
  type FakeRegistry,
  type Reply,
  type SeenRequest
} from './fake-registry.js'

const SUBJECT = digestOf(Buffer.from('subject'))
const REFERRER = { mediaType: 'application/vnd.oci.image.manifest.v1+json', size: 9 }
const index = (digest: string) => ({
  schemaVersion: 2,
  mediaType: OCI_INDEX,
  manifests: [{ ...REFERRER, digest }]
})
const API_ONE = digestOf(Buffer.from('listed by the API'))
const TAG_ONE = digestOf(Buffer.from('listed by the tag schema'))

let fakes: FakeRegistry[] = []
let client: RegistryClient | undefined
afterEach(async () => {
  await client?.close()
  await Promise.all(fakes.map((f) => f.close()))
  fakes = []
  client = undefined
})

async function fakeRegistry(handler: (req: SeenRequest) => Reply): Promise<FakeRegistry> {
  const fake = await startFakeRegistry(handler)
  fakes.push(fake)
  return fake
}

function clientFor(registry: string, credentials?: Credentials): RegistryClient {
  client = new RegistryClient({
    retry: recordingRetry([]),
    credentialLookup: false,
    insecure: [registry],
    ...(credentials && { credentials: { [registry]: credentials } })
  })
  return client
}

/** A registry with (or without) the referrers API, and a tag-schema index either way. */
function referrersRegistry(api: boolean) {
  return fakeRegistry((req) => {
    if (req.path.startsWith('/v2/app/referrers/'))
      return api
        ? { status: 200, headers: { 'content-type': OCI_INDEX }, body: index(API_ONE) }
        : { status: 404, body: '404 page not found' }
    if (req.path === `/v2/app/manifests/${SUBJECT.replace(':', '-')}`)
      return { status: 200, headers: { 'content-type': OCI_INDEX }, body: index(TAG_ONE) }
    return { status: 404 }
  })
}

const paths = (fake: FakeRegistry) => fake.requests.map((r) => `${r.method} ${r.path}`)

describe('referrer listings', () => {
  it.each([
    ['without the API, from the tag schema', false, TAG_ONE, 'manifests/sha256-'],
    ['with the API, from the API', true, API_ONE, 'referrers/sha256:']
  ])(
    'on a registry %s: both asked at once the first time, then only that one',
    async (_name, api, listed, kept) => {
      const fake = await referrersRegistry(api)
      const registry = clientFor(fake.registry)
      const subject = { ...parseReference(`${fake.registry}/app`), digest: SUBJECT }
      for (let i = 0; i < 2; i++)
        expect((await registry.listReferrers(subject)).map((d) => d.digest)).toEqual([listed])
      expect(paths(fake).slice(0, 2).sort()).toEqual([
        `GET /v2/app/manifests/${SUBJECT.replace(':', '-')}`,
        `GET /v2/app/referrers/${SUBJECT}`
      ])
      expect(paths(fake).slice(2)).toEqual([expect.stringContaining(kept)])
    }
  )
})

describe('first contact', () => {
  it('writes without a ping to an open registry that has answered a read', async () => {
    const fake = await fakeRegistry((req) =>
      req.method === 'POST'
        ? { status: 202, headers: { location: '/v2/app/blobs/uploads/u-1' } }
        : { status: 404 }
    )
    const registry = clientFor(fake.registry)
    const repo = parseReference(`${fake.registry}/app`)
    expect(await registry.blobExists(repo, SUBJECT)).toBe(false)
    expect(await registry.mountBlob(repo, SUBJECT, 'other')).toEqual({
      mounted: false,
      location: '/v2/app/blobs/uploads/u-1'
    })
    expect(paths(fake)).toEqual([
      `HEAD /v2/app/blobs/${SUBJECT}`,
      `POST /v2/app/blobs/uploads/?mount=${encodeURIComponent(SUBJECT)}&from=other`
    ])
  })

  it('asks for one token when requests wanting the same scopes start together', async () => {
    const server = await startBearerRegistry({
      users: { bob: { password: 'bob-secret-pw', push: true } }
    })
    fakes.push(server.fake)
    const registry = clientFor(server.fake.registry, { username: 'bob', password: 'bob-secret-pw' })
    const ref = parseReference(`${server.fake.registry}/team/app:1`)
    await Promise.all([1, 2, 3].map(() => registry.getManifest(ref)))
    expect(server.tokenRequests()).toHaveLength(1)
  })
})
