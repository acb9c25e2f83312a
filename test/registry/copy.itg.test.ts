import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  copyImage,
  InvalidCopyError,
  parseReference,
  RegistryClient,
  RegistryError,
  type CopyResult
} from '../../src/registry/index.js'
import {
  ensureBaseImage,
  twoPlatformIndex,
  type PushedImage,
  type PushedIndex
} from '../../harness/buildah.js'
import {
  pushTestReferrer,
  TEST_ARTIFACT_TYPE,
  type PushedReferrer
} from '../../harness/referrer-artifact.js'
import { startRegistry, type Registry } from '../../harness/registry.js'
import { skopeoDigest, skopeoInspect } from '../../harness/skopeo.js'

let plain: Registry
let token: Registry
let base: PushedImage
let index: PushedIndex
let evidence: PushedReferrer
let client: RegistryClient
const pusher = () => ({ creds: token.creds('pusher') })

beforeAll(async () => {
  ;[plain, token] = await Promise.all([startRegistry(), startRegistry({ auth: 'token' })])
  base = await ensureBaseImage(plain.host)
  index = await twoPlatformIndex(plain.host, { content: 'copy test' })
  client = new RegistryClient({
    credentialLookup: false,
    credentials: { [token.host]: { username: 'pusher', password: 'pusher-secret' } }
  })
  const head = await client.headManifest(parseReference(index.pinned))
  evidence = await pushTestReferrer(client, parseReference(index.pinned), head, 'passed')
})
afterAll(async () => {
  await client.close()
  await Promise.all([plain.stop(), token.stop()])
})

/** The rejection of `promise`. */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection')
    },
    (error: unknown) => error
  )
}

describe('copyImage between a plain and a token registry', () => {
  let first: CopyResult

  it('copies the busybox image by the digest its tag had, and writes the tags', async () => {
    const lines: string[] = []
    first = await copyImage(
      client,
      parseReference(base.ref),
      parseReference(`${token.host}/release/busybox:ignored`),
      { tags: ['1.0', 'stable'], log: (line) => lines.push(line) }
    )
    expect(first).toMatchObject({
      digest: base.digest,
      pinned: `${token.host}/release/busybox@${base.digest}`,
      platforms: ['linux/amd64'],
      tags: ['1.0', 'stable'],
      referrers: []
    })
    expect(first.copied.blobs).toBeGreaterThan(0)
    expect(first.copied.bytes).toBeGreaterThan(100_000)
    expect(first.copied).toMatchObject({ mounted: 0, skipped: 0, manifests: 1 })
    expect(lines[0]).toBe(`source base/busybox:1 is ${base.digest}`)
    for (const tag of ['1.0', 'stable']) {
      expect(await skopeoDigest(`${token.host}/release/busybox:${tag}`, pusher())).toBe(base.digest)
    }
    expect(
      await skopeoDigest(`${token.host}/release/busybox:ignored`, pusher()).catch(() => 'none')
    ).toBe('none')
  })

  it('copies nothing the second time: every blob skipped, 0 bytes, 0 manifests', async () => {
    const again = await copyImage(
      client,
      parseReference(base.ref),
      parseReference(`${token.host}/release/busybox`),
      { tags: ['1.0'] }
    )
    expect(again.digest).toBe(first.digest)
    expect(again.copied).toEqual({
      blobs: 0,
      mounted: 0,
      skipped: first.copied.blobs,
      bytes: 0,
      manifests: 0
    })
  })

  it('copies a two-platform index with both platforms and its referrer', async () => {
    const result = await copyImage(
      client,
      parseReference(index.ref),
      parseReference(`${token.host}/release/multi`),
      { tags: ['v1'] }
    )
    expect(result).toMatchObject({
      digest: index.digest,
      platforms: ['linux/amd64', 'linux/arm64'],
      tags: ['v1'],
      referrers: [evidence.digest]
    })
    // two images, the index and the referrer
    expect(result.copied.manifests).toBe(4)
    const dest = `${token.host}/release/multi`
    expect(await skopeoDigest(`${dest}:v1`, pusher())).toBe(index.digest)
    const raw = (await skopeoInspect(`${dest}@${index.digest}`, { ...pusher(), raw: true })) as {
      manifests: { digest: string; platform: { os: string; architecture: string } }[]
    }
    expect(raw.manifests.map((m) => `${m.platform.os}/${m.platform.architecture}`)).toEqual([
      'linux/amd64',
      'linux/arm64'
    ])
    for (const child of Object.values(index.platforms)) {
      expect(await skopeoDigest(`${dest}@${child}`, pusher())).toBe(child)
    }
    const listed = await client.listReferrers(
      parseReference(`${dest}@${index.digest}`),
      TEST_ARTIFACT_TYPE
    )
    expect(listed).toEqual([
      expect.objectContaining({
        digest: evidence.digest,
        artifactType: TEST_ARTIFACT_TYPE,
        annotations: { 'org.opencontainers.image.title': 'passed' }
      })
    ])
    expect(
      await client.listReferrers(parseReference(`${dest}@${index.digest}`), 'other/type')
    ).toEqual([])
  })

  it('mounts every blob within the token registry and streams 0 bytes', async () => {
    const requestsBefore = token.tokenServer?.requests.length ?? 0
    const result = await copyImage(
      client,
      parseReference(`${token.host}/release/multi@${index.digest}`),
      parseReference(`${token.host}/mirror/multi`),
      { tags: ['v1'] }
    )
    expect(result.copied.mounted).toBeGreaterThan(0)
    expect(result.copied).toMatchObject({ blobs: 0, bytes: 0, skipped: 0 })
    expect(result.referrers).toEqual([evidence.digest])
    expect(await skopeoDigest(`${token.host}/mirror/multi:v1`, pusher())).toBe(index.digest)
    // one token for the destination's pull,push and the source's pull together
    const asked = token.tokenServer?.requests.slice(requestsBefore).map((r) => r.scopes) ?? []
    expect(asked).toContainEqual([
      'repository:mirror/multi:pull,push',
      'repository:release/multi:pull'
    ])
  })

  it('in a dry run reports what would be copied and writes nothing', async () => {
    const result = await copyImage(
      client,
      parseReference(index.ref),
      parseReference(`${token.host}/dry/multi`),
      { tags: ['v1'], dryRun: true }
    )
    expect(result).toMatchObject({
      digest: index.digest,
      tags: ['v1'],
      referrers: [evidence.digest]
    })
    expect(result.copied.blobs).toBeGreaterThan(0)
    expect(result.copied).toMatchObject({ skipped: 0, mounted: 0, manifests: 4 })
    const error = await rejection(skopeoDigest(`${token.host}/dry/multi:v1`, pusher()))
    expect(String(error)).toMatch(/manifest unknown|not found|name unknown/i)
  })
})

describe('copyImage within one open registry', () => {
  it('mounts in a handful of requests, each blob asked about and mounted once', async () => {
    const fresh = new RegistryClient({ credentialLookup: false })
    try {
      const result = await copyImage(
        fresh,
        parseReference(base.ref),
        parseReference(`${plain.host}/mirror/busybox`),
        { tags: ['1.0'] }
      )
      expect(result.copied).toMatchObject({ blobs: 0, skipped: 0, manifests: 1 })
      // source: the tag, the manifest, its referrers (API and tag schema at once), the config; destination:
      // HEAD of the manifest, HEAD and mount of each blob, the manifest, the tag's previous manifest
      // (to put it back if a later tag failed), the tag; the check: the
      // tag, the manifest, the config and the referrers (by tag schema only, the API is known
      // missing). No ping: the registry answered the first request without a challenge.
      expect(fresh.requestCounts()).toEqual({ registry: 13 + 2 * result.copied.mounted, token: 0 })
    } finally {
      await fresh.close()
    }
  })
})

describe('pushReferrer on distribution 2.8 (no referrers API)', () => {
  it('keeps the sha256-<hex> tag index, listing a referrer pushed twice once', async () => {
    const subject = parseReference(index.pinned)
    const head = await client.headManifest(subject)
    const again = await pushTestReferrer(client, subject, head, 'passed')
    expect(again.digest).toBe(evidence.digest)
    const tag = `${plain.host}/multi/app:${index.digest.replace(':', '-')}`
    const raw = (await skopeoInspect(tag, { raw: true })) as {
      mediaType: string
      manifests: { digest: string; artifactType?: string }[]
    }
    expect(raw.mediaType).toBe('application/vnd.oci.image.index.v1+json')
    expect(raw.manifests).toEqual([
      expect.objectContaining({ digest: evidence.digest, artifactType: TEST_ARTIFACT_TYPE })
    ])
  })
})

describe('copyImage refusals', () => {
  it('names the source registry when the source tag does not exist', async () => {
    const error = await rejection(
      copyImage(
        client,
        parseReference(`${plain.host}/base/busybox:nope`),
        parseReference(`${token.host}/x/y`)
      )
    )
    expect(error).toBeInstanceOf(RegistryError)
    expect(error).toMatchObject({ side: 'source', status: 404, server: plain.host })
    expect((error as Error).message).toMatch(
      new RegExp(`^source registry ${plain.host}: HEAD manifest base/busybox:nope failed: 404`)
    )
  })

  it('refuses a destination that is the source repository', async () => {
    const error = await rejection(
      copyImage(client, parseReference(base.ref), parseReference(`${plain.host}/base/busybox:2`))
    )
    expect(error).toBeInstanceOf(InvalidCopyError)
    expect((error as Error).message).toBe(
      `destination ${plain.host}/base/busybox is the source repository; copy to another repository or registry`
    )
  })

  it('says the destination has no credentials to push', async () => {
    const anonymous = new RegistryClient({ credentialLookup: false })
    try {
      const error = await rejection(
        copyImage(
          anonymous,
          parseReference(base.ref),
          parseReference(`${token.host}/anon/busybox`),
          {
            tags: ['1']
          }
        )
      )
      expect(error).toMatchObject({ side: 'destination', code: 'UNAUTHORIZED', status: 401 })
      expect((error as Error).message).toBe(
        `destination registry ${token.host} requires credentials to push anon/busybox (401) and none were found for ${token.host}`
      )
    } finally {
      await anonymous.close()
    }
  })
})
