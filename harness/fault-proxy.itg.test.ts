import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { ensureBaseImage } from './buildah.js'
import { startFaultProxy, type FaultProxy } from './fault-proxy.js'
import { startRegistry, type Registry } from './registry.js'
import { skopeoDigest } from './skopeo.js'

const MANIFEST_PATH = '/v2/base/busybox/manifests/1'
const ACCEPT = { accept: 'application/vnd.oci.image.manifest.v1+json' }
let registry: Registry
let digest = ''
let layer = { digest: '', size: 0 }

beforeAll(async () => {
  registry = await startRegistry()
  digest = (await ensureBaseImage(registry.host)).digest
  const manifest = (await (
    await fetch(`${registry.url}${MANIFEST_PATH}`, { headers: ACCEPT })
  ).json()) as {
    layers: { digest: string; size: number }[]
  }
  layer = manifest.layers[0] ?? layer
})
afterAll(() => registry.stop())

describe('fault proxy', () => {
  let proxy: FaultProxy
  afterAll(() => proxy.stop())

  it('forwards requests and streams bodies when no rule matches', async () => {
    proxy = await startFaultProxy(registry.url)
    const res = await fetch(`${proxy.url}/v2/base/busybox/blobs/${layer.digest}`)
    expect(res.status).toBe(200)
    expect((await res.arrayBuffer()).byteLength).toBe(layer.size)
    expect(await skopeoDigest(`${proxy.host}/base/busybox:1`)).toBe(digest)
    expect(proxy.requests[0]).toEqual({
      method: 'GET',
      path: `/v2/base/busybox/blobs/${layer.digest}`,
      status: 200
    })
  })

  it('injects 5xx into the first matching requests only, and records them', async () => {
    proxy.addRule({ method: 'GET', path: /\/manifests\//, times: 2, fault: { status: 503 } })
    const before = proxy.requests.length
    const counted = proxy.count('GET', /\/manifests\/1$/)
    const statuses: number[] = []
    for (let i = 0; i < 3; i++)
      statuses.push((await fetch(`${proxy.url}${MANIFEST_PATH}`, { headers: ACCEPT })).status)
    expect(statuses).toEqual([503, 503, 200])
    expect(proxy.requests.slice(before).map((r) => r.status)).toEqual([503, 503, 200])
    expect(proxy.count('GET', /\/manifests\/1$/)).toBe(counted + 3)
  })

  it('answers 429 with Retry-After', async () => {
    proxy.addRule({ path: /\/tags\/list/, times: 1, fault: { status: 429, retryAfter: 7 } })
    const res = await fetch(`${proxy.url}/v2/base/busybox/tags/list`)
    expect(res.status).toBe(429)
    expect(res.headers.get('retry-after')).toBe('7')
    expect(((await res.json()) as { errors: { code: string }[] }).errors[0]?.code).toBe(
      'TOOMANYREQUESTS'
    )
    expect((await fetch(`${proxy.url}/v2/base/busybox/tags/list`)).status).toBe(200)
  })

  it('drains a request body before a status fault', async () => {
    proxy.addRule({ method: 'POST', times: 1, fault: { status: 500 } })
    const res = await fetch(`${proxy.url}/v2/base/busybox/blobs/uploads/`, {
      method: 'POST',
      body: 'x'.repeat(1 << 20)
    })
    expect(res.status).toBe(500)
  })

  it('resets the connection before a response', async () => {
    proxy.addRule({ method: 'HEAD', times: 1, fault: { reset: 'before-response' } })
    const url = `${proxy.url}${MANIFEST_PATH}`
    await expect(fetch(url, { method: 'HEAD', headers: ACCEPT })).rejects.toThrow(/fetch failed/)
    expect(proxy.requests.at(-1)).toMatchObject({
      method: 'HEAD',
      status: null,
      fault: { reset: 'before-response' }
    })
    expect((await fetch(url, { method: 'HEAD', headers: ACCEPT })).status).toBe(200)
  })

  it('resets the connection in the middle of a body', async () => {
    proxy.addRule({
      path: /\/blobs\/sha256:/,
      times: 1,
      fault: { reset: 'mid-body', afterBytes: 1000 }
    })
    const res = await fetch(`${proxy.url}/v2/base/busybox/blobs/${layer.digest}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-length')).toBe(String(layer.size))
    await expect(res.arrayBuffer()).rejects.toThrow()
    expect(proxy.requests.at(-1)).toMatchObject({
      status: 200,
      fault: { reset: 'mid-body', afterBytes: 1000 }
    })
  })

  it('rewrites Location to point to the proxy', async () => {
    const res = await fetch(`${proxy.url}/v2/base/busybox/blobs/uploads/`, { method: 'POST' })
    expect(res.status).toBe(202)
    expect(res.headers.get('location')).toMatch(
      new RegExp(`^${proxy.url}/v2/base/busybox/blobs/uploads/`)
    )
    await fetch(`${proxy.url}${new URL(res.headers.get('location') ?? '').pathname}`, {
      method: 'DELETE'
    })
  })
})

describe('fault proxy in front of a token registry', () => {
  it('keeps the WWW-Authenticate realm of the token server', async () => {
    const tokenRegistry = await startRegistry({ auth: 'token' })
    const proxy = await startFaultProxy(tokenRegistry.url)
    try {
      const res = await fetch(`${proxy.url}/v2/`)
      expect(res.status).toBe(401)
      expect(res.headers.get('www-authenticate')).toContain(
        `realm="${tokenRegistry.tokenServer?.realm}"`
      )
    } finally {
      await proxy.stop()
      await tokenRegistry.stop()
    }
  })
})
