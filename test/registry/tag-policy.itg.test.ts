import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  NoTagSelectedError,
  parseReference,
  RegistryClient,
  selectTag,
  type ImageRef,
  type TagPolicy
} from '../../src/registry/index.js'
import { startFaultProxy, type FaultProxy } from '../../harness/fault-proxy.js'
import { startRegistry, type Registry, type RegistryAuth } from '../../harness/registry.js'
import { startPagingFront } from './paging-front.js'
import { registryError } from './registry-error.js'
import { pushImage, pushIndex, tagAll } from '../../harness/synthetic-images.js'

describe.each<RegistryAuth>(['none', 'token'])(
  'tag policies on a registry with auth %s',
  (auth) => {
    let registry: Registry
    let proxy: FaultProxy
    /** Pushes straight to the registry (as pusher with tokens). */
    let pusher: RegistryClient
    /** Reads through the counting proxy (as reader with tokens); pinged once already. */
    let reader: RegistryClient
    const clients: RegistryClient[] = []
    const tokenRequests = (): number => registry.tokenServer?.requests.length ?? 0
    /** A token is fetched on a repository's first request in token mode. */
    const firstTokens = auth === 'token' ? 1 : 0

    const newClient = (host: string, user: string): RegistryClient => {
      const password = registry.users[user]?.password ?? ''
      const client = new RegistryClient({
        credentialLookup: false,
        ...(auth === 'token' && { credentials: { [host]: { username: user, password } } }),
        retry: { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 }
      })
      clients.push(client)
      return client
    }
    const at = (repository: string): ImageRef => parseReference(`${registry.host}/${repository}`)
    const viaProxy = (repository: string): ImageRef => parseReference(`${proxy.host}/${repository}`)

    /** Runs `fn`; returns its result and the requests the registry (through the proxy) and the token server saw. */
    async function measured<T>(fn: () => Promise<T>) {
      const seen = proxy.requests.length
      const tokens = tokenRequests()
      const result = await fn()
      const requests = proxy.requests.slice(seen).map((r) => `${r.method} ${r.path}`)
      return { result, requests, tokens: tokenRequests() - tokens }
    }

    beforeAll(async () => {
      registry = await startRegistry({ auth })
      proxy = await startFaultProxy(registry.url)
      pusher = newClient(registry.host, 'pusher')
      reader = newClient(proxy.host, 'reader')
      await reader.ping(proxy.host)

      const semver = await pushImage(pusher, at('policy/semver:1.0.0'), '2024-01-01T00:00:00Z')
      await tagAll(pusher, at('policy/semver'), semver.bytes, [
        '1.2.0',
        'v1.10.0',
        '2.0.0-rc.1',
        'latest'
      ])
      const named = await pushImage(pusher, at('policy/named:latest'), '2024-01-01T00:00:00Z')
      await tagAll(pusher, at('policy/named'), named.bytes, [
        'main-9-abcdef0',
        'main-10-1234567',
        'pr-50-abcdef0'
      ])
      const pages = await pushImage(pusher, at('policy/pages:a'), '2024-01-01T00:00:00Z')
      await tagAll(pusher, at('policy/pages'), pages.bytes, ['b', 'c', 'd', 'e', 'f', 'g'])
    })
    afterAll(async () => {
      await Promise.all(clients.map((client) => client.close()))
      await proxy?.stop()
      await registry?.stop()
    })

    it('lists tags page by page, following the Link header over three pages', async () => {
      const front = await startPagingFront(registry.url)
      try {
        const client = newClient(front.host, 'reader')
        const ref = parseReference(`${front.host}/policy/pages`)
        await client.ping(front.host)
        const before = front.seen.length
        expect(await client.listTags(ref, { pageSize: 3 })).toEqual([
          'a',
          'b',
          'c',
          'd',
          'e',
          'f',
          'g'
        ])
        expect(front.seen.slice(before)).toEqual([
          'GET /v2/policy/pages/tags/list?n=3',
          'GET /v2/policy/pages/tags/list?n=3&last=c',
          'GET /v2/policy/pages/tags/list?n=3&last=f'
        ])
      } finally {
        await front.stop()
      }
    })

    it('lists every tag in one request from distribution 2.8, which ignores n', async () => {
      const { result, requests } = await measured(() =>
        reader.listTags(viaProxy('policy/pages'), { pageSize: 3 })
      )
      expect([...result].sort()).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g'])
      expect(requests).toEqual(['GET /v2/policy/pages/tags/list?n=3'])
    })

    it('says a repository that does not exist does not exist', async () => {
      const error = await registryError(reader.listTags(viaProxy('policy/missing')))
      expect(error).toMatchObject({
        server: proxy.host,
        operation: 'GET tags policy/missing',
        status: 404,
        code: 'NAME_UNKNOWN'
      })
      expect(error.message).toBe(
        `registry ${proxy.host}: GET tags policy/missing failed: 404 NAME_UNKNOWN: repository ${proxy.host}/policy/missing does not exist`
      )
      const digest = await registryError(
        selectTag(reader, viaProxy('policy/missing'), { kind: 'digest', tag: 'dev' })
      )
      expect(digest.message).toContain(`repository ${proxy.host}/policy/missing does not exist`)
    })

    it('selects the highest semver in range with one tags request, and no token the second time', async () => {
      const policy: TagPolicy = { kind: 'semver', range: '^1' }
      const first = await measured(() => selectTag(reader, viaProxy('policy/semver'), policy))
      expect(first.result).toEqual({
        tag: 'v1.10.0',
        considered: 5,
        requests: 1,
        tokenRequests: firstTokens
      })
      expect(first.requests).toEqual(['GET /v2/policy/semver/tags/list'])
      expect(first.tokens).toBe(firstTokens)
      const again = await measured(() => selectTag(reader, viaProxy('policy/semver'), policy))
      expect(again.result).toMatchObject({ tag: 'v1.10.0', requests: 1, tokenRequests: 0 })
      expect(again.requests).toEqual(['GET /v2/policy/semver/tags/list'])
      expect(again.tokens).toBe(0)
    })

    it('counts what a client’s first contact costs: the tags request alone without credentials, a ping and a token with them', async () => {
      const fresh = newClient(proxy.host, 'reader')
      const { result, requests, tokens } = await measured(() =>
        selectTag(fresh, viaProxy('policy/semver'), { kind: 'semver', range: '>=1.0.0-0 <2.0.0-0' })
      )
      const ping = auth === 'token' ? ['GET /v2/'] : []
      expect(result).toMatchObject({
        tag: 'v1.10.0',
        requests: ping.length + 1,
        tokenRequests: firstTokens
      })
      expect(requests).toEqual([...ping, 'GET /v2/policy/semver/tags/list'])
      expect(tokens).toBe(firstTokens)
    })

    it.each<[string, TagPolicy, RegExp | undefined, string]>([
      [
        'numerical on a captured run number',
        { kind: 'numerical' },
        /^main-(?<value>\d+)-[0-9a-f]{7}$/,
        'main-10-1234567'
      ],
      ['alphabetical', { kind: 'alphabetical' }, undefined, 'pr-50-abcdef0'],
      ['alphabetical with a filter', { kind: 'alphabetical' }, /^main-/, 'main-9-abcdef0']
    ])('selects %s with one tags request', async (_what, policy, filter, tag) => {
      const { result, requests } = await measured(() =>
        selectTag(reader, viaProxy('policy/named'), policy, filter)
      )
      expect(result).toMatchObject({ tag, considered: 4, requests: 1 })
      expect(result.digest).toBeUndefined()
      expect(requests).toEqual(['GET /v2/policy/named/tags/list'])
    })

    it('selects the newest build by config created, first platform or annotation, not by name', async () => {
      const repo = at('policy/build')
      const a = await pushImage(pusher, { ...repo, tag: 'a' }, '2024-03-10T00:00:00Z')
      await tagAll(pusher, repo, a.bytes, ['latest'])
      await pushImage(pusher, { ...repo, tag: 'b' }, '2024-01-10T00:00:00Z')
      const c = await pushImage(pusher, { ...repo, tag: 'c' }, '2024-02-10T00:00:00.000100Z')
      // the second platform's newer build must not count: the first platform's does
      const d = await pushIndex(pusher, { ...repo, tag: 'd' }, [
        '2024-02-15T00:00:00Z',
        '2024-12-01T00:00:00Z'
      ])
      const e = await pushIndex(pusher, { ...repo, tag: 'e' }, ['2023-06-01T00:00:00Z'], {
        'org.opencontainers.image.created': '2024-02-20T00:00:00Z'
      })
      const select = (filter?: RegExp) =>
        measured(() =>
          selectTag(reader, viaProxy('policy/build'), { kind: 'newest-build' }, filter)
        )

      const indexes = await select(/^[b-e]$/)
      expect(indexes.result).toMatchObject({ tag: 'e', digest: e, considered: 6 })
      // 1 tags list + 4 tag manifests + configs of b and c + d's first platform manifest and config
      expect(indexes.result.requests).toBe(9)
      expect(indexes.requests).toHaveLength(9)
      expect(indexes.requests.filter((r) => r.includes('/blobs/'))).toHaveLength(3)
      expect(indexes.result.tokenRequests).toBe(indexes.tokens)

      expect((await select(/^[bcd]$/)).result).toMatchObject({ tag: 'd', digest: d })
      expect((await select(/^[bc]$/)).result).toMatchObject({ tag: 'c', digest: c.digest })
      // a and latest are one image: the tie goes to the greater name
      expect((await select()).result).toMatchObject({ tag: 'latest', digest: a.digest })
      expect((await select(/^[a-e]$/)).result).toMatchObject({ tag: 'a', digest: a.digest })
    })

    it('fetches newest-build manifests and configs four at a time', async () => {
      const repo = at('policy/many')
      const tags = ['t1', 't2', 't3', 't4', 't5', 't6', 't7', 't8', 't9', 't10']
      for (const [i, tag] of tags.entries()) {
        await pushImage(
          pusher,
          { ...repo, tag },
          `2024-05-${String(30 - i).padStart(2, '0')}T00:00:00Z`
        )
      }
      const front = await startPagingFront(registry.url, 30)
      try {
        const client = newClient(front.host, 'reader')
        const selection = await selectTag(client, parseReference(`${front.host}/policy/many`), {
          kind: 'newest-build'
        })
        expect(selection).toMatchObject({ tag: 't1', considered: 10 })
        // ping, tags list, then 10 manifests and 10 configs, never more than 4 at once
        expect(front.seen.filter((r) => /\/(manifests|blobs)\//.test(r))).toHaveLength(20)
        expect(front.maxInFlight()).toBe(4)
      } finally {
        await front.stop()
      }
    })

    it('follows a moved tag with one HEAD per selection', async () => {
      const repo = at('policy/moving')
      const first = await pushImage(pusher, { ...repo, tag: 'dev' }, '2024-01-01T00:00:00Z')
      const policy: TagPolicy = { kind: 'digest', tag: 'dev' }
      const before = await measured(() => selectTag(reader, viaProxy('policy/moving'), policy))
      expect(before.result).toEqual({
        tag: 'dev',
        digest: first.digest,
        considered: 1,
        requests: 1,
        tokenRequests: firstTokens
      })
      expect(before.requests).toEqual(['HEAD /v2/policy/moving/manifests/dev'])

      const second = await pushImage(pusher, { ...repo, tag: 'dev' }, '2024-01-02T00:00:00Z')
      expect(second.digest).not.toBe(first.digest)
      const after = await measured(() => selectTag(reader, viaProxy('policy/moving'), policy))
      expect(after.result).toMatchObject({ digest: second.digest, requests: 1, tokenRequests: 0 })
      expect(after.requests).toEqual(['HEAD /v2/policy/moving/manifests/dev'])
    })

    it('says why nothing was selected: repository, policy, filter, tags considered, examples', async () => {
      const repository = `${proxy.host}/policy/semver`
      const semver = await rejection(
        selectTag(reader, viaProxy('policy/semver'), { kind: 'semver', range: '^9' })
      )
      expect(semver).toBeInstanceOf(NoTagSelectedError)
      expect(semver).toMatchObject({ repository, policy: 'semver:^9', considered: 5 })
      expect((semver as Error).message).toBe(
        `No tag of ${repository} selected by policy 'semver:^9' (no tag-filter): 5 tags considered, none fits the policy; e.g. 1.0.0, 1.2.0, 2.0.0-rc.1, latest, v1.10.0`
      )

      const filtered = await rejection(
        selectTag(reader, viaProxy('policy/semver'), { kind: 'numerical' }, /^release-(\d+)$/)
      )
      expect((filtered as Error).message).toBe(
        `No tag of ${repository} selected by policy 'numerical' (tag-filter '^release-(\\d+)$'): 5 tags considered, none matched the tag-filter; e.g. 1.0.0, 1.2.0, 2.0.0-rc.1, latest, v1.10.0`
      )

      const unmatched = await rejection(
        selectTag(reader, viaProxy('policy/semver'), { kind: 'digest', tag: 'latest' }, /^v/)
      )
      expect((unmatched as Error).message).toBe(
        `No tag of ${repository} selected by policy 'digest:latest' (tag-filter '^v'): 1 tag considered, tag 'latest' does not match the tag-filter; e.g. v1.10.0`
      )

      const signature = `sha256-${'ab'.repeat(32)}.sig`
      await pushImage(pusher, at(`policy/signed:${signature}`), '2024-01-01T00:00:00Z')
      const signed = await rejection(
        selectTag(reader, viaProxy('policy/signed'), { kind: 'alphabetical' })
      )
      expect((signed as Error).message).toBe(
        `No tag of ${proxy.host}/policy/signed selected by policy 'alphabetical' (no tag-filter): 1 tag considered, none fits the policy (1 signature/attestation tags ignored); e.g. ${signature}`
      )

      const gone = await rejection(
        selectTag(reader, viaProxy('policy/semver'), { kind: 'digest', tag: 'dev' })
      )
      expect((gone as Error).message).toBe(
        `No tag of ${repository} selected by policy 'digest:dev' (no tag-filter): 1 tag considered, tag 'dev' does not exist; e.g. 1.0.0, 1.2.0, 2.0.0-rc.1, latest, v1.10.0`
      )
    })
  }
)

/** The rejection of `promise`. */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection')
    },
    (error: unknown) => error
  )
}
