import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import {
  digestOf,
  parseReference,
  RegistryClient,
  type ImageRef
} from '../../src/registry/index.js'
import type { RetryPolicy } from '../../src/retry/index.js'
import { ensureBaseImage, type PushedImage } from '../../harness/buildah.js'
import { startFaultProxy, type FaultProxy } from '../../harness/fault-proxy.js'
import { freePort } from '../../harness/ports.js'
import { startRegistry, type Registry } from '../../harness/registry.js'
import { registryError } from './registry-error.js'

const MANIFEST = /^\/v2\/base\/busybox\/manifests\/1$/

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

let registry: Registry
let base: PushedImage

beforeAll(async () => {
  registry = await startRegistry()
  base = await ensureBaseImage(registry.host)
})
afterAll(() => registry.stop())

describe('retries through a fault-injecting proxy', () => {
  let proxy: FaultProxy
  let client: RegistryClient
  let delays: number[]
  let ref: ImageRef

  /** The client with a retry policy of `attempts`, its scheme settled by a ping. */
  async function clientWith(attempts: number): Promise<RegistryClient> {
    await client.close()
    client = new RegistryClient({
      credentialLookup: false,
      retry: recordingRetry(delays, attempts)
    })
    await client.ping(proxy.host)
    return client
  }

  beforeEach(async () => {
    proxy = await startFaultProxy(registry.url)
    delays = []
    ref = parseReference(`${proxy.host}/base/busybox:1`)
    client = new RegistryClient({ credentialLookup: false, retry: recordingRetry(delays) })
    // settles plain HTTP, so that the faults below meet requests on a known scheme
    await client.ping(proxy.host)
  })
  afterEach(async () => {
    await client.close()
    await proxy.stop()
  })

  it('retries two 503s on HEAD manifest and then succeeds', async () => {
    proxy.addRule({ method: 'HEAD', path: MANIFEST, times: 2, fault: { status: 503 } })
    expect((await client.headManifest(ref)).digest).toBe(base.digest)
    expect(proxy.count('HEAD', MANIFEST)).toBe(3)
    expect(proxy.requests.filter((r) => r.method === 'HEAD').map((r) => r.status)).toEqual([
      503, 503, 200
    ])
    expect(delays).toHaveLength(2)
  })

  it('honours Retry-After: 1 on a 429 by waiting 1000 ms', async () => {
    proxy.addRule({
      method: 'HEAD',
      path: MANIFEST,
      times: 1,
      fault: { status: 429, retryAfter: 1 }
    })
    expect((await client.headManifest(ref)).digest).toBe(base.digest)
    expect(delays).toEqual([1000])
    expect(proxy.count('HEAD', MANIFEST)).toBe(2)
  })

  it('retries GET manifest after the connection is reset before the response', async () => {
    proxy.addRule({ method: 'GET', path: MANIFEST, times: 1, fault: { reset: 'before-response' } })
    const fetched = await client.getManifest(ref)
    expect(fetched.digest).toBe(base.digest)
    expect(proxy.requests.filter((r) => r.method === 'GET' && MANIFEST.test(r.path))).toEqual([
      expect.objectContaining({ status: null }),
      expect.objectContaining({ status: 200 })
    ])
    expect(delays).toHaveLength(1)
  })

  it('retries GET manifest cut off mid-body and verifies the bytes it then gets', async () => {
    proxy.addRule({
      method: 'GET',
      path: MANIFEST,
      times: 1,
      fault: { reset: 'mid-body', afterBytes: 100 }
    })
    const fetched = await client.getManifest(ref)
    expect(proxy.count('GET', MANIFEST)).toBe(2)
    expect(fetched.digest).toBe(base.digest)
    expect(digestOf(fetched.bytes)).toBe(base.digest)
    expect(fetched.bytes.length).toBeGreaterThan(100)
    expect(delays).toHaveLength(1)
  })

  it('does not retry a 404', async () => {
    const missing = parseReference(`${proxy.host}/base/busybox:missing`)
    const error = await registryError(client.getManifest(missing))
    expect(error).toMatchObject({ status: 404, code: 'MANIFEST_UNKNOWN' })
    expect(proxy.count('GET', /\/manifests\/missing$/)).toBe(1)
    expect(delays).toEqual([])
  })

  it('names the last status when the attempts are spent', async () => {
    proxy.addRule({ method: 'GET', path: MANIFEST, times: 10, fault: { status: 502 } })
    const error = await registryError((await clientWith(3)).getManifest(ref))
    expect(error).toMatchObject({
      server: proxy.host,
      operation: 'GET manifest base/busybox:1',
      status: 502
    })
    expect(error.message).toContain(
      `registry ${proxy.host}: GET manifest base/busybox:1 failed: 502`
    )
    expect(proxy.count('GET', MANIFEST)).toBe(3)
    expect(delays).toHaveLength(2)
  })
})

describe('a port where nothing listens', () => {
  it('fails at once as unreachable, naming the server, without retrying', async () => {
    const host = `127.0.0.1:${await freePort()}`
    const delays: number[] = []
    const client = new RegistryClient({ credentialLookup: false, retry: recordingRetry(delays) })
    try {
      const started = Date.now()
      const error = await registryError(
        client.headManifest(parseReference(`${host}/base/busybox:1`))
      )
      expect(Date.now() - started).toBeLessThan(1000)
      expect(error).toMatchObject({ server: host, code: 'ECONNREFUSED' })
      expect(error.status).toBeUndefined()
      expect(error.message).toContain(`registry ${host} unreachable during HEAD manifest`)
      expect(delays).toEqual([])
    } finally {
      await client.close()
    }
  })
})
