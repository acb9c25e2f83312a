import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { runAction } from '../../harness/action-runner.js'
import { buildahEnv, ensureBaseImage, type PushedImage } from '../../harness/buildah.js'
import { pemKeyPair } from '../../harness/evidence-keys.js'
import { startFaultProxy, type FaultProxy } from '../../harness/fault-proxy.js'
import { startRegistry, type Registry } from '../../harness/registry.js'
import { run } from '../../harness/run.js'
import { skopeoDigest } from '../../harness/skopeo.js'
import { pushImage } from '../../harness/synthetic-images.js'
import { parseChallenges, parseReference, RegistryClient } from '../../src/registry/index.js'

/** The final PUT of a monolithic blob upload. */
const BLOB_COMMIT = /\/blobs\/uploads\/[^?]+\?.*digest=/

let internal: Registry
let release: Registry
let base: PushedImage
const keys = pemKeyPair()

beforeAll(async () => {
  ;[internal, release] = await Promise.all([startRegistry(), startRegistry({ auth: 'token' })])
  base = await ensureBaseImage(internal.host, { tlsVerify: false })
})
afterAll(async () => {
  await internal?.stop()
  await release?.stop()
})

const releaseCreds = () => ({
  'destination-username': 'pusher',
  'destination-password': release.users.pusher.password
})

async function tagsAt(registry: Registry, repository: string): Promise<string[]> {
  const result = await run(
    'skopeo',
    [
      'list-tags',
      '--tls-verify=false',
      ...credsOf(registry),
      `docker://${registry.host}/${repository}`
    ],
    { env: buildahEnv(), allowFailure: true }
  )
  return result.exitCode === 0 ? (JSON.parse(result.stdout) as { Tags: string[] }).Tags : []
}

function credsOf(registry: Registry): string[] {
  return registry.auth === 'none' ? [] : ['--creds', registry.creds()]
}

/** GET on `url` of the registry itself, with a bearer token for what its 401 asks, as `pusher`. */
async function getAsPusher(registry: Registry, url: string): Promise<Response> {
  const open = await fetch(url)
  if (open.status !== 401) return open
  const challenge = parseChallenges(open.headers.get('www-authenticate') ?? '')[0]
  const realm = new URL(challenge?.params.realm ?? '')
  for (const name of ['service', 'scope']) {
    const value = challenge?.params[name]
    if (value !== undefined) realm.searchParams.set(name, value)
  }
  const basic = Buffer.from(`pusher:${registry.users.pusher.password}`).toString('base64')
  const issued = await fetch(realm, { headers: { authorization: `Basic ${basic}` } })
  const { token } = (await issued.json()) as { token: string }
  return fetch(url, { headers: { authorization: `Bearer ${token}` } })
}

/** What the real registry says of each upload URL the proxy handed out: `404 BLOB_UPLOAD_UNKNOWN` once cancelled. */
async function uploadStates(proxy: FaultProxy, registry: Registry): Promise<string[]> {
  const locations = proxy.requests.filter((r) => r.method === 'POST' && r.location !== undefined)
  return Promise.all(
    locations.map(async (r) => {
      const url = new URL(r.location ?? '')
      const response = await getAsPusher(registry, `${registry.url}${url.pathname}${url.search}`)
      const body = (await response.json().catch(() => ({}))) as { errors?: { code: string }[] }
      return `${response.status} ${body.errors?.[0]?.code ?? ''}`.trim()
    })
  )
}

describe('promote stage release with a timeout', () => {
  it('stops a release whose blob uploads stall at the timeout: one error, no tag, no open upload', async () => {
    const proxy = await startFaultProxy(release.url, [
      { method: 'PUT', path: BLOB_COMMIT, times: 100, fault: { stall: true } }
    ])
    const started = performance.now()
    try {
      const result = await runAction(
        'promote',
        {
          source: base.pinned,
          destination: `${proxy.host}/acme/stalled`,
          tags: '1.0.0\nlatest',
          timeout: '5s',
          ...releaseCreds()
        },
        {},
        { timeoutMs: 60_000 }
      )
      const seconds = (performance.now() - started) / 1000
      expect(result.exitCode).toBe(1)
      expect(seconds).toBeLessThan(5 + 10)
      const errors = result.annotations.filter((a) => a.level === 'error')
      expect(errors).toHaveLength(1)
      expect(errors[0]?.message).toMatch(
        new RegExp(
          `^stage release did not finish within its timeout of 5s \\(input 'timeout'\\); .*in progress: PUT blob acme/stalled@sha256:[0-9a-f]{64} at ${proxy.host} \\(for \\d+\\.\\ds\\).*; no tag was written$`
        )
      )
      expect(result.outputs.digest).toBeUndefined()
      expect(proxy.count('PUT', BLOB_COMMIT)).toBeGreaterThanOrEqual(1)
      expect(proxy.count('PUT', /\/manifests\//)).toBe(0)
      // the destination, asked directly: no tag, and every upload session it opened is gone
      expect(await tagsAt(release, 'acme/stalled')).toEqual([])
      const states = await uploadStates(proxy, release)
      expect(states.length).toBeGreaterThanOrEqual(1)
      expect(new Set(states)).toEqual(new Set(['404 BLOB_UPLOAD_UNKNOWN']))
      // the source is as it was
      expect(await skopeoDigest(base.ref, { tlsVerify: false })).toBe(base.digest)
    } finally {
      await proxy.stop()
    }
  })

  it('stops at once on SIGINT like at the timeout: exit within 5 s, no tag, no open upload', async () => {
    const proxy = await startFaultProxy(release.url, [
      { method: 'PUT', path: BLOB_COMMIT, times: 100, fault: { stall: true } }
    ])
    try {
      const result = await runAction(
        'promote',
        {
          source: base.pinned,
          destination: `${proxy.host}/acme/interrupted`,
          tags: '1.0.0',
          timeout: '10m',
          ...releaseCreds()
        },
        {},
        {
          timeoutMs: 60_000,
          // once a blob's upload is stalled: a session is open, and nothing can finish by itself
          signalWhen: { signal: 'SIGINT', after: () => proxy.count('PUT', BLOB_COMMIT) >= 1 }
        }
      )
      expect(result.exitAfterSignalMs).toBeLessThan(5000)
      expect(result.exitCode).toBe(1)
      const errors = result.annotations.filter((a) => a.level === 'error')
      expect(errors).toHaveLength(1)
      expect(errors[0]?.message).toMatch(
        /^The run was cancelled \(SIGINT\) during stage release; every registry request was stopped; no tag was written$/
      )
      expect(await tagsAt(release, 'acme/interrupted')).toEqual([])
      expect(new Set(await uploadStates(proxy, release))).toEqual(
        new Set(['404 BLOB_UPLOAD_UNKNOWN'])
      )
    } finally {
      await proxy.stop()
    }
  })

  it('puts a moved tag back when the timeout falls during the tag writes, and says where each tag points', async () => {
    const pusher = new RegistryClient({
      credentialLookup: false,
      credentials: {
        [release.host]: { username: 'pusher', password: release.users.pusher.password }
      }
    })
    let old: string
    try {
      const ref = parseReference(`${release.host}/acme/moved:stable`)
      old = (await pushImage(pusher, ref, '2026-01-01T00:00:00Z')).digest
    } finally {
      await pusher.close()
    }
    const proxy = await startFaultProxy(release.url, [
      { method: 'PUT', path: /\/manifests\/latest$/, times: 100, fault: { stall: true } }
    ])
    try {
      const result = await runAction(
        'promote',
        {
          source: base.pinned,
          destination: `${proxy.host}/acme/moved`,
          tags: 'stable\nlatest',
          timeout: '5s',
          ...releaseCreds()
        },
        {},
        { timeoutMs: 60_000 }
      )
      expect(result.exitCode).toBe(1)
      const errors = result.annotations.filter((a) => a.level === 'error')
      expect(errors).toHaveLength(1)
      expect(errors[0]?.message).toMatch(
        new RegExp(
          `^stage release did not finish within its timeout of 5s \\(input 'timeout'\\); .*in progress: PUT manifest acme/moved:latest at ${proxy.host} .*; tags: stable put back to ${old.slice(0, 19)}; latest not written, not created$`
        )
      )
      expect(await tagsAt(release, 'acme/moved')).toEqual(['stable'])
      expect(
        await skopeoDigest(`${release.host}/acme/moved:stable`, {
          tlsVerify: false,
          creds: release.creds()
        })
      ).toBe(old)
    } finally {
      await proxy.stop()
    }
  })

  it('stops stage verify at its timeout when the source never answers a manifest read', async () => {
    const proxy = await startFaultProxy(internal.url, [
      { method: 'GET', path: /\/manifests\//, times: 100, fault: { stall: true } },
      { method: 'HEAD', path: /\/manifests\//, times: 100, fault: { stall: true } }
    ])
    const started = performance.now()
    try {
      const result = await runAction(
        'promote',
        {
          stage: 'verify',
          source: `${proxy.host}/base/busybox@${base.digest}`,
          'require-evidence': 'tests',
          'evidence-key': keys.publicKey,
          timeout: '3s'
        },
        {},
        { timeoutMs: 60_000 }
      )
      expect(result.exitCode).toBe(1)
      expect((performance.now() - started) / 1000).toBeLessThan(3 + 10)
      const errors = result.annotations.filter((a) => a.level === 'error')
      expect(errors).toHaveLength(1)
      expect(errors[0]?.message).toMatch(
        new RegExp(
          `^stage verify did not finish within its timeout of 3s \\(input 'timeout'\\); .*in progress: HEAD manifest base/busybox@${base.digest} at ${proxy.host}`
        )
      )
    } finally {
      await proxy.stop()
    }
  })
})
