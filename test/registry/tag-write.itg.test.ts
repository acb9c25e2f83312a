/**
 * A release's tags when one of them cannot be written: written in order, the ones already written
 * put back (previous digest restored, new tag deleted), every tag's final state in the error — and
 * the registry checked afterwards, behind a proxy that answers 500 to one tag's PUT.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  copyImage,
  parseReference,
  RegistryClient,
  RegistryError,
  type Digest
} from '../../src/registry/index.js'
import { startFaultProxy } from '../../harness/fault-proxy.js'
import { startRegistry, type Registry } from '../../harness/registry.js'
import { pushImage } from '../../harness/synthetic-images.js'

let source: Registry
let destination: Registry
let direct: RegistryClient
let n = 0

const fast = { attempts: 2, baseDelayMs: 1, maxDelayMs: 1, sleep: async () => undefined }

beforeAll(async () => {
  ;[source, destination] = await Promise.all([startRegistry(), startRegistry()])
  direct = new RegistryClient({ credentialLookup: false })
})
afterAll(async () => {
  await direct?.close()
  await Promise.all([source?.stop(), destination?.stop()])
})

/** Two images in the source registry, and `old` released to `repo` with `tags` at the destination. */
async function released(repo: string, tags: string[]) {
  n += 1
  const image = async (name: string, minute: number) => {
    const ref = parseReference(`${source.host}/app/${name}:${repo}`)
    const { digest } = await pushImage(
      direct,
      ref,
      new Date(Date.UTC(2026, 11, 4, n, minute)).toISOString()
    )
    return { ...ref, tag: undefined, digest }
  }
  const old = await image('old', 1)
  const next = await image('new', 2)
  await copyImage(direct, old, parseReference(`${destination.host}/${repo}`), { tags })
  return { old: old.digest, next }
}

/** Where `tag` of `repo` points in the destination registry, read without the proxy. */
async function tagOf(repo: string, tag: string): Promise<Digest | 'absent'> {
  try {
    return (await direct.headManifest(parseReference(`${destination.host}/${repo}:${tag}`))).digest
  } catch (error) {
    if (error instanceof RegistryError && error.status === 404) return 'absent'
    throw error
  }
}

const short = (digest: string) => digest.slice(0, 'sha256:'.length + 12)

describe('release tags when one cannot be written', () => {
  it('moves existing tags first, puts them back on a failure, and creates no new tag', async () => {
    const { old, next } = await released('split', ['stable', 'latest'])
    const proxy = await startFaultProxy(destination.url, [
      { method: 'PUT', path: /\/split\/manifests\/latest$/, times: 100, fault: { status: 500 } }
    ])
    const client = new RegistryClient({ credentialLookup: false, retry: fast })
    try {
      const error = await copyImage(client, next, parseReference(`${proxy.host}/split`), {
        tags: ['1.0.0', 'stable', 'latest', '1']
      }).then(
        () => undefined,
        (e: unknown) => e
      )
      expect(error).toBeInstanceOf(RegistryError)
      const message = (error as RegistryError).message
      expect(message).toMatch(
        /^destination registry 127\.0\.0\.1:\d+: PUT manifest split:latest failed: 500/
      )
      expect(message).toContain(
        `; no tag moved to ${short(next.digest)}: 1.0.0 not created; stable put back to ${short(old)}; latest not written, still at ${short(old)}; 1 not created`
      )
      // new tags come last: none was tried
      expect(proxy.count('PUT', /\/manifests\/1(\.0\.0)?$/)).toBe(0)
    } finally {
      await client.close()
      await proxy.stop()
    }
    expect(await tagOf('split', '1.0.0')).toBe('absent')
    expect(await tagOf('split', 'stable')).toBe(old)
    expect(await tagOf('split', 'latest')).toBe(old)
    expect(await tagOf('split', '1')).toBe('absent')
  })

  it('names a new tag left on the new digest where the registry deletes no tags', async () => {
    const { old, next } = await released('stuck', ['latest'])
    const proxy = await startFaultProxy(destination.url, [
      { method: 'PUT', path: /\/stuck\/manifests\/2$/, times: 100, fault: { status: 500 } }
    ])
    const client = new RegistryClient({ credentialLookup: false, retry: fast })
    try {
      const error = await copyImage(client, next, parseReference(`${proxy.host}/stuck`), {
        tags: ['latest', '2.0.0', '2']
      }).then(
        () => undefined,
        (e: unknown) => e
      )
      const message = (error as RegistryError).message
      expect(message).toMatch(/PUT manifest stuck:2 failed: 500/)
      // distribution 2.8 deletes manifests by digest only: it refuses the tag's DELETE
      expect(message).toContain(
        `latest put back to ${short(old)}; 2.0.0 STILL POINTS AT ${short(next.digest)} (new; putting it back failed: registry ${proxy.host}: DELETE tag stuck:2.0.0 failed: 400`
      )
      expect(message).toContain('2 not written, not created')
    } finally {
      await client.close()
      await proxy.stop()
    }
    expect(await tagOf('stuck', 'latest')).toBe(old)
    expect(await tagOf('stuck', '2.0.0')).toBe(next.digest)
    expect(await tagOf('stuck', '2')).toBe('absent')
  })

  it('writes nothing for tags already at the digest (a rerun)', async () => {
    const { old } = await released('rerun', ['stable'])
    const proxy = await startFaultProxy(destination.url, [])
    const client = new RegistryClient({ credentialLookup: false, retry: fast })
    try {
      await copyImage(
        client,
        parseReference(`${source.host}/app/old@${old}`),
        parseReference(`${proxy.host}/rerun`),
        { tags: ['stable'] }
      )
      expect(proxy.count('PUT', /\/manifests\/stable$/)).toBe(0)
    } finally {
      await client.close()
      await proxy.stop()
    }
    expect(await tagOf('rerun', 'stable')).toBe(old)
  })
})
