import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  copyImage,
  parseReference,
  RegistryClient,
  RegistryError
} from '../../src/registry/index.js'
import type { RetryPolicy } from '../../src/retry/index.js'
import { ensureBaseImage, type PushedImage } from '../../harness/buildah.js'
import { startFaultProxy } from '../../harness/fault-proxy.js'
import { startRegistry, type Registry } from '../../harness/registry.js'
import { startSizeLimitProxy } from '../../harness/size-limit-proxy.js'
import { skopeoDigest } from '../../harness/skopeo.js'

const BLOB_UPLOAD = /\/blobs\/uploads\//
const BLOB_GET = /\/blobs\/sha256:/
const MANIFEST_PUT = /\/manifests\//

let source: Registry
let plain: Registry
let token: Registry
let base: PushedImage

/** Retries within milliseconds; the delays asked for are kept in `delays`. */
function recordingRetry(delays: number[], attempts = 5): RetryPolicy {
  return {
    attempts,
    baseDelayMs: 1,
    maxDelayMs: 5000,
    sleep: async (ms) => {
      delays.push(ms)
    }
  }
}

function clientFor(host: string, retry: RetryPolicy): RegistryClient {
  return new RegistryClient({
    credentialLookup: false,
    retry,
    credentials: { [host]: { username: 'pusher', password: 'pusher-secret' } }
  })
}

beforeAll(async () => {
  ;[source, plain, token] = await Promise.all([
    startRegistry(),
    startRegistry(),
    startRegistry({ auth: 'token' })
  ])
  base = await ensureBaseImage(source.host)
})
afterAll(() => Promise.all([source.stop(), plain.stop(), token.stop()]))

describe('copyImage through faults', () => {
  it('retries 5xx, a reset mid-upload and a 429 with Retry-After at a token destination', async () => {
    const proxy = await startFaultProxy(token.url, [
      { method: 'POST', path: BLOB_UPLOAD, times: 1, fault: { status: 429, retryAfter: 1 } },
      { method: 'PUT', path: BLOB_UPLOAD, times: 1, fault: { reset: 'before-response' } },
      { method: 'PUT', path: BLOB_UPLOAD, times: 1, fault: { status: 503 } },
      { method: 'PUT', path: MANIFEST_PUT, times: 2, fault: { status: 502 } }
    ])
    const delays: number[] = []
    const client = clientFor(proxy.host, recordingRetry(delays))
    try {
      const result = await copyImage(
        client,
        parseReference(base.ref),
        parseReference(`${proxy.host}/faults/busybox`),
        { tags: ['1'] }
      )
      expect(result.digest).toBe(base.digest)
      expect(delays).toContain(1000)
      const faults = proxy.requests.filter((r) => r.fault)
      expect(faults).toHaveLength(5)
      expect(await skopeoDigest(`${token.host}/faults/busybox:1`, { creds: token.creds() })).toBe(
        base.digest
      )
    } finally {
      await client.close()
      await proxy.stop()
    }
  })

  it('restarts a blob from the source when the source resets mid-blob', async () => {
    const delays: number[] = []
    const client = clientFor(plain.host, recordingRetry(delays))
    const image = await client.getManifest(parseReference(base.pinned))
    const layer = image.kind === 'image' ? image.manifest.layers[0]?.digest : undefined
    const layerPath = new RegExp(`/blobs/${layer ?? 'none'}$`)
    const proxy = await startFaultProxy(source.url, [
      {
        method: 'GET',
        path: layerPath,
        times: 1,
        fault: { reset: 'mid-body', afterBytes: 64 * 1024 }
      }
    ])
    try {
      const result = await copyImage(
        client,
        parseReference(`${proxy.host}/base/busybox@${base.digest}`),
        parseReference(`${plain.host}/reset/busybox`),
        { tags: ['1'], concurrency: 1 }
      )
      expect(result.copied.skipped).toBe(0)
      expect(delays.length).toBeGreaterThanOrEqual(1)
      expect(result.copied.blobs).toBe(2)
      // the layer cut off was read again from its start, the config once for its platform, once to copy
      expect(proxy.requests.filter((r) => layerPath.test(r.path)).map((r) => r.status)).toEqual([
        200, 200
      ])
      expect(proxy.count('GET', BLOB_GET)).toBe(4)
      expect(await skopeoDigest(`${plain.host}/reset/busybox:1`)).toBe(base.digest)
    } finally {
      await client.close()
      await proxy.stop()
    }
  })

  it('leaves no tag when the retries of the manifest PUT are spent', async () => {
    const proxy = await startFaultProxy(plain.url, [
      { method: 'PUT', path: MANIFEST_PUT, times: 100, fault: { status: 503 } }
    ])
    const client = clientFor(proxy.host, recordingRetry([], 3))
    try {
      const error = await copyImage(
        client,
        parseReference(base.ref),
        parseReference(`${proxy.host}/spent/busybox`),
        { tags: ['1', 'latest'] }
      ).then(
        () => undefined,
        (e: unknown) => e
      )
      expect(error).toBeInstanceOf(RegistryError)
      expect(error).toMatchObject({ side: 'destination', status: 503 })
      expect((error as Error).message).toMatch(
        new RegExp(`^destination registry ${proxy.host}: PUT manifest spent/busybox@sha256:`)
      )
      expect(proxy.count('PUT', MANIFEST_PUT)).toBe(3)
      const tags = await fetch(`${plain.url}/v2/spent/busybox/tags/list`)
      expect(tags.status).toBe(404)
      expect(await tags.json()).toMatchObject({ errors: [{ code: 'NAME_UNKNOWN' }] })
    } finally {
      await client.close()
      await proxy.stop()
    }
  })

  it('uploads in PATCH chunks when a monolithic PUT is refused with 413', async () => {
    const proxy = await startSizeLimitProxy(plain.url, 256 * 1024)
    const client = clientFor(proxy.host, recordingRetry([]))
    try {
      const result = await copyImage(
        client,
        parseReference(base.ref),
        parseReference(`${proxy.host}/chunked/busybox`),
        { tags: ['1'], chunkSize: 200 * 1024 }
      )
      expect(result.copied.bytes).toBeGreaterThan(256 * 1024)
      expect(proxy.seen).toContain('PUT 413')
      expect(proxy.seen.filter((s) => s === 'PATCH 202').length).toBeGreaterThan(1)
      expect(await skopeoDigest(`${plain.host}/chunked/busybox:1`)).toBe(base.digest)
    } finally {
      await client.close()
      await proxy.stop()
    }
  })
})

describe('copyImage with short-lived tokens', () => {
  let short: Registry
  beforeAll(async () => {
    short = await startRegistry({ auth: 'token', tokenTtlSeconds: 1 })
  })
  afterAll(() => short.stop())

  it('asks for a new token once the one it holds passes expires_in mid-copy', async () => {
    // a 429 with Retry-After: 2 on the first manifest PUT pauses the copy past the token's 1 s
    const proxy = await startFaultProxy(short.url, [
      { method: 'PUT', path: MANIFEST_PUT, times: 1, fault: { status: 429, retryAfter: 2 } }
    ])
    const client = clientFor(proxy.host, { attempts: 3, baseDelayMs: 1, maxDelayMs: 5000 })
    try {
      const result = await copyImage(
        client,
        parseReference(base.ref),
        parseReference(`${proxy.host}/short/busybox`),
        { tags: ['1', '2'] }
      )
      expect(result.tags).toEqual(['1', '2'])
      const push = (short.tokenServer?.requests ?? []).filter((r) =>
        r.scopes.includes('repository:short/busybox:pull,push')
      )
      expect(push.length).toBeGreaterThanOrEqual(2)
      expect(proxy.requests.filter((r) => r.status === 401 && r.path !== '/v2/')).toEqual([])
    } finally {
      await client.close()
      await proxy.stop()
    }
  })
})
