import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  copyImage,
  parseReference,
  RegistryClient,
  RegistryError,
  type CopyResult
} from '../../src/registry/index.js'
import type { RetryPolicy } from '../../src/retry/index.js'
import { ensureBaseImage, type PushedImage } from '../../harness/buildah.js'
import { startFaultProxy, type FaultProxy } from '../../harness/fault-proxy.js'
import { startRegistry, type Registry } from '../../harness/registry.js'
import { startSilentListener } from '../../harness/silent-listener.js'

const BLOB_UPLOAD = /\/blobs\/uploads\//
/** The final PUT of a monolithic blob upload. */
const BLOB_COMMIT = /\/blobs\/uploads\/[^?]+\?.*digest=/

let source: Registry
let destination: Registry
let base: PushedImage
let layer: string

/** Retries at once, `attempts` in all. */
function quickRetry(attempts: number): RetryPolicy {
  return { attempts, baseDelayMs: 1, maxDelayMs: 1, sleep: async () => undefined }
}

function clientWith(options: ConstructorParameters<typeof RegistryClient>[0]): RegistryClient {
  return new RegistryClient({ credentialLookup: false, ...options })
}

/** The path of one blob's commit: `PUT …?digest=<digest>` (the digest URL-encoded). */
function commitOf(digest: string): RegExp {
  return new RegExp(`/blobs/uploads/[^?]+\\?.*digest=${encodeURIComponent(digest)}`)
}

/** What the real registry says of each upload URL the proxy handed out (POST answers). */
async function uploadStates(proxy: FaultProxy, registry: Registry): Promise<string[]> {
  const locations = proxy.requests
    .filter((r) => r.method === 'POST' && r.location !== undefined)
    .map((r) => r.location ?? '')
  expect(locations.length).toBeGreaterThan(0)
  return Promise.all(
    locations.map(async (location) => {
      const url = new URL(location)
      const response = await fetch(`${registry.url}${url.pathname}${url.search}`)
      const body = (await response.json().catch(() => ({}))) as { errors?: { code: string }[] }
      return `${response.status} ${body.errors?.[0]?.code ?? ''}`.trim()
    })
  )
}

async function tagsOf(registry: Registry, repository: string): Promise<string[]> {
  const response = await fetch(`${registry.url}/v2/${repository}/tags/list`)
  if (response.status === 404) return []
  return ((await response.json()) as { tags?: string[] | null }).tags ?? []
}

function failureOf(work: Promise<unknown>): Promise<unknown> {
  return work.then(
    () => undefined,
    (error: unknown) => error
  )
}

beforeAll(async () => {
  ;[source, destination] = await Promise.all([startRegistry(), startRegistry()])
  base = await ensureBaseImage(source.host)
  const client = clientWith({})
  try {
    const image = await client.getManifest(parseReference(base.pinned))
    layer = image.kind === 'image' ? (image.manifest.layers[0]?.digest ?? '') : ''
  } finally {
    await client.close()
  }
})
afterAll(() => Promise.all([source.stop(), destination.stop()]))

describe('a destination that accepts connections and never answers', () => {
  it('fails after the idle timeout of each attempt, naming the server and the operation', async () => {
    const silent = await startSilentListener()
    const client = clientWith({
      retry: quickRetry(3),
      idleTimeoutMs: 1000,
      insecure: [silent.host]
    })
    const started = performance.now()
    try {
      const error = await failureOf(
        copyImage(client, parseReference(base.pinned), parseReference(`${silent.host}/hung/app`), {
          tags: ['1']
        })
      )
      const seconds = (performance.now() - started) / 1000
      expect(error).toBeInstanceOf(RegistryError)
      expect(error).toMatchObject({ side: 'destination', code: 'ETIMEDOUT' })
      expect((error as Error).message).toMatch(
        new RegExp(
          `^destination registry ${silent.host}: HEAD (manifest|blob) hung/app@sha256:[0-9a-f]{64} got no data for 1 s$`
        )
      )
      // three attempts of one second each, the first request's retries being the ones that fail
      expect(seconds).toBeGreaterThanOrEqual(2.9)
      expect(seconds).toBeLessThan(10)
      expect(silent.accepted()).toBeGreaterThanOrEqual(3)
    } finally {
      await client.close()
      await silent.stop()
    }
  })
})

describe('abandoned upload sessions', () => {
  it('cancels every upload session of a blob whose commit fails more often than the retries allow', async () => {
    const proxy = await startFaultProxy(destination.url, [
      { method: 'PUT', path: commitOf(layer), times: 100, fault: { status: 500 } }
    ])
    const client = clientWith({ retry: quickRetry(3) })
    try {
      const error = await failureOf(
        copyImage(
          client,
          parseReference(base.pinned),
          parseReference(`${proxy.host}/abandoned/app`),
          { tags: ['1'], concurrency: 1 }
        )
      )
      expect(error).toMatchObject({ side: 'destination', status: 500 })
      expect(proxy.count('PUT', commitOf(layer))).toBe(3)
      expect(proxy.count('DELETE', BLOB_UPLOAD)).toBeGreaterThanOrEqual(3)
      const states = await uploadStates(proxy, destination)
      expect(states.length).toBeGreaterThanOrEqual(3)
      expect(new Set(states)).toEqual(new Set(['404 BLOB_UPLOAD_UNKNOWN']))
      expect(await tagsOf(destination, 'abandoned/app')).toEqual([])
    } finally {
      await client.close()
      await proxy.stop()
    }
  })

  it('an upload session nobody cancels is still open on this registry (the check above can fail)', async () => {
    const post = await fetch(`${destination.url}/v2/left-open/app/blobs/uploads/`, {
      method: 'POST'
    })
    expect(post.status).toBe(202)
    const location = new URL(post.headers.get('location') ?? '', destination.url)
    const state = await fetch(location)
    expect(state.status).toBe(204)
  })
})

describe('a signal on the client (a stage timeout)', () => {
  it('aborts a stalled blob upload, cancels its session and writes no tag', async () => {
    const proxy = await startFaultProxy(destination.url, [
      { method: 'PUT', path: BLOB_COMMIT, times: 100, fault: { stall: true } }
    ])
    const controller = new AbortController()
    const client = clientWith({ retry: quickRetry(3), signal: controller.signal })
    let inFlight: ReturnType<RegistryClient['inFlight']> = []
    const timer = setTimeout(() => {
      inFlight = client.inFlight()
      controller.abort(new Error('stage timed out'))
    }, 1500)
    const started = performance.now()
    try {
      const error = await failureOf(
        copyImage(
          client,
          parseReference(base.pinned),
          parseReference(`${proxy.host}/aborted/app`),
          {
            tags: ['1', 'latest']
          }
        )
      )
      expect(error).toMatchObject({ code: 'ABORT_ERR' })
      expect((performance.now() - started) / 1000).toBeLessThan(10)
      expect(inFlight.map((f) => `${f.server} ${f.operation.split('@')[0]}`)).toContain(
        `${proxy.host} PUT blob aborted/app`
      )
      expect(proxy.count('PUT', /\/manifests\//)).toBe(0)
      const states = await uploadStates(proxy, destination)
      expect(new Set(states)).toEqual(new Set(['404 BLOB_UPLOAD_UNKNOWN']))
      expect(await tagsOf(destination, 'aborted/app')).toEqual([])
    } finally {
      clearTimeout(timer)
      await client.close()
      await proxy.stop()
    }
  })
})

describe('progress of a long copy', () => {
  it('logs bytes, blobs and rate while a slow download runs, and the numbers only grow', async () => {
    const proxy = await startFaultProxy(source.url, [
      {
        method: 'GET',
        path: new RegExp(`/blobs/${layer}$`),
        times: 1,
        fault: { throttle: 256 * 1024 }
      }
    ])
    const client = clientWith({ retry: quickRetry(3) })
    const lines: string[] = []
    try {
      const result: CopyResult = await copyImage(
        client,
        parseReference(`${proxy.host}/base/busybox@${base.digest}`),
        parseReference(`${destination.host}/slow/app`),
        { tags: ['1'], progressIntervalMs: 200, log: (line) => lines.push(line) }
      )
      const progress = lines
        .map((line) =>
          /^copied (\S+ \S+) of (\S+ \S+) \((\d+) of (\d+) blobs\), (\S+ \S+)\/s$/.exec(line)
        )
        .filter((m) => m !== null)
      expect(progress.length).toBeGreaterThanOrEqual(2)
      const amount = (text: string): number => {
        const [value, unit] = text.split(' ')
        const scale: Record<string, number> = { B: 1, kB: 1e3, MB: 1e6, GB: 1e9 }
        return Number(value) * (scale[unit ?? 'B'] ?? NaN)
      }
      const copied = progress.map((m) => amount(m[1] ?? ''))
      const blobs = progress.map((m) => Number(m[3]))
      expect(copied).toEqual([...copied].sort((a, b) => a - b))
      expect(blobs).toEqual([...blobs].sort((a, b) => a - b))
      expect(new Set(progress.map((m) => m[2]))).toHaveProperty('size', 1)
      expect(new Set(progress.map((m) => m[4]))).toEqual(new Set(['2']))
      expect(copied[copied.length - 1]).toBeGreaterThan(copied[0] ?? 0)
      expect(result.copied.blobs).toBe(2)
    } finally {
      await client.close()
      await proxy.stop()
    }
  })

  it('says nothing more for a copy shorter than the interval', async () => {
    const client = clientWith({})
    const lines: string[] = []
    try {
      await copyImage(
        client,
        parseReference(base.pinned),
        parseReference(`${destination.host}/quick/app`),
        {
          log: (line) => lines.push(line)
        }
      )
      expect(lines.filter((line) => line.startsWith('copied '))).toEqual([])
    } finally {
      await client.close()
    }
  })
})
