import { describe, expect, it } from '@jest/globals'
import {
  formatReference,
  InvalidReferenceError,
  isLoopbackRegistry,
  parseDigest,
  parseReference,
  pinnedReference,
  registryApiHost,
  repositoryName
} from '../../src/registry/index.js'

const SHA = `sha256:${'ab'.repeat(32)}`
const SHA512 = `sha512:${'0f'.repeat(64)}`
const LONG_TAG = `v${'x'.repeat(127)}`

describe('parseReference', () => {
  it.each([
    ['busybox', { registry: 'docker.io', repository: 'library/busybox' }],
    ['busybox:1.36', { registry: 'docker.io', repository: 'library/busybox', tag: '1.36' }],
    ['library/busybox', { registry: 'docker.io', repository: 'library/busybox' }],
    ['docker.io/busybox', { registry: 'docker.io', repository: 'library/busybox' }],
    ['index.docker.io/foo/bar:v1', { registry: 'docker.io', repository: 'foo/bar', tag: 'v1' }],
    ['registry-1.docker.io/foo/bar', { registry: 'docker.io', repository: 'foo/bar' }],
    [
      'docker.io/library/busybox:latest',
      { registry: 'docker.io', repository: 'library/busybox', tag: 'latest' }
    ],
    ['ghcr.io/org/app:1.2.3', { registry: 'ghcr.io', repository: 'org/app', tag: '1.2.3' }],
    ['ghcr.io/app', { registry: 'ghcr.io', repository: 'app' }],
    ['localhost/app', { registry: 'localhost', repository: 'app' }],
    [
      'localhost:5000/team/app:dev',
      { registry: 'localhost:5000', repository: 'team/app', tag: 'dev' }
    ],
    [`127.0.0.1:5000/app@${SHA}`, { registry: '127.0.0.1:5000', repository: 'app', digest: SHA }],
    ['[::1]:5000/x', { registry: '[::1]:5000', repository: 'x' }],
    ['[2001:db8::1]/x:tag', { registry: '[2001:db8::1]', repository: 'x', tag: 'tag' }],
    [
      'registry.example.com:443/a/b/c',
      { registry: 'registry.example.com:443', repository: 'a/b/c' }
    ],
    [
      'us-docker.pkg.dev/proj/repo/img:sha-1234567',
      { registry: 'us-docker.pkg.dev', repository: 'proj/repo/img', tag: 'sha-1234567' }
    ],
    [
      `app:1.0@${SHA}`,
      { registry: 'docker.io', repository: 'library/app', tag: '1.0', digest: SHA }
    ],
    [
      `ghcr.io/org/app:main@${SHA}`,
      { registry: 'ghcr.io', repository: 'org/app', tag: 'main', digest: SHA }
    ],
    [
      'my_app/under__score:v1',
      { registry: 'docker.io', repository: 'my_app/under__score', tag: 'v1' }
    ],
    ['foo/a-b---c.d', { registry: 'docker.io', repository: 'foo/a-b---c.d' }],
    ['app:V1.0_RC-1', { registry: 'docker.io', repository: 'library/app', tag: 'V1.0_RC-1' }],
    ['app:_x', { registry: 'docker.io', repository: 'library/app', tag: '_x' }],
    [`app:${LONG_TAG}`, { registry: 'docker.io', repository: 'library/app', tag: LONG_TAG }],
    ['localhost:5000', { registry: 'docker.io', repository: 'library/localhost', tag: '5000' }],
    [`app@${SHA512}`, { registry: 'docker.io', repository: 'library/app', digest: SHA512 }],
    ['Registry.Example.com/app', { registry: 'Registry.Example.com', repository: 'app' }],
    ['10.0.0.7:5000/a.b/c_d:1', { registry: '10.0.0.7:5000', repository: 'a.b/c_d', tag: '1' }]
  ])('parses %s', (text, expected) => {
    expect(parseReference(text)).toEqual(expected)
  })

  const tooLong = `a/${'b'.repeat(254)}`
  it.each([
    ['', "reference '' is empty"],
    [' app', "reference ' app' has surrounding whitespace"],
    ['Foo/bar:latest', "repository 'Foo/bar' must be lowercase"],
    ['ghcr.io/Org/app', "repository 'Org/app' must be lowercase"],
    ['localhost:5000/App', "repository 'App' must be lowercase"],
    ['a//b', "repository 'a//b' is not valid"],
    ['a..b', "repository 'a..b' is not valid"],
    ['-app', "repository '-app' is not valid"],
    ['app_', "repository 'app_' is not valid"],
    ['/app', "repository '/app' is not valid"],
    ['app/', "repository 'app/' is not valid"],
    [`@${SHA}`, "repository '' is empty"],
    ['app:', "tag '' is not valid"],
    ['app:-x', "tag '-x' is not valid"],
    ['app:1:2', "tag '1:2' is not valid"],
    [`app:${LONG_TAG}y`, `tag '${LONG_TAG}y' is not valid`],
    ['app:tag@', "digest '' is not valid: expected '<algorithm>:<hex>'"],
    ['app@sha256:abc', "digest 'sha256:abc' is not valid: sha256 needs 64 lowercase hex digits"],
    [`app@${SHA}:tag`, `digest '${SHA}:tag' is not valid: sha256 needs 64 lowercase hex digits`],
    [
      `app@sha256:${'AB'.repeat(32)}`,
      `digest 'sha256:${'AB'.repeat(32)}' is not valid: sha256 needs 64 lowercase hex digits`
    ],
    [
      `app@md5:${'a'.repeat(32)}`,
      `digest 'md5:${'a'.repeat(32)}' uses an unsupported algorithm 'md5' (sha256, sha512)`
    ],
    [
      `app@9sha:${'a'.repeat(64)}`,
      `digest '9sha:${'a'.repeat(64)}' has an invalid algorithm '9sha'`
    ],
    [tooLong, `name '${tooLong}' is longer than 255 characters`],
    ['exa_mple.com/app', "registry 'exa_mple.com' is not a valid host[:port]"],
    ['host:port/app', "registry 'host:port' is not a valid host[:port]"],
    ['[::1/x', "registry '[::1' is not a valid host[:port]"],
    ['-bad.example.com/app', "registry '-bad.example.com' is not a valid host[:port]"]
  ])('rejects %j', (text, problem) => {
    const parse = () => parseReference(text)
    expect(parse).toThrow(InvalidReferenceError)
    expect(parse).toThrow(`Invalid image reference '${text}': ${problem}`)
  })

  it('names the part and the value on the error', () => {
    let caught: unknown
    try {
      parseReference('Foo/bar:latest')
    } catch (error) {
      caught = error
    }
    expect(caught).toMatchObject({ part: 'repository', value: 'Foo/bar' })
    expect((caught as Error).message).toBe(
      "Invalid image reference 'Foo/bar:latest': repository 'Foo/bar' must be lowercase"
    )
  })

  it('accepts a name of exactly 255 characters', () => {
    const name = `a/${'b'.repeat(253)}`
    expect(parseReference(name).repository).toBe(name)
  })
})

describe('formatting', () => {
  it.each([
    ['busybox', 'docker.io/library/busybox'],
    ['ghcr.io/org/app:1.0', 'ghcr.io/org/app:1.0'],
    [`localhost:5000/app:1@${SHA}`, `localhost:5000/app:1@${SHA}`],
    [`[::1]:5000/x@${SHA}`, `[::1]:5000/x@${SHA}`]
  ])('formats %s as %s', (text, formatted) => {
    expect(formatReference(parseReference(text))).toBe(formatted)
  })

  it.each([
    ['busybox:1', 'docker.io/library/busybox'],
    ['127.0.0.1:5000/team/app:dev', '127.0.0.1:5000/team/app']
  ])('names the repository of %s as %s', (text, name) => {
    expect(repositoryName(parseReference(text))).toBe(name)
  })

  it('pins a reference to a digest, dropping the tag', () => {
    expect(pinnedReference(parseReference('ghcr.io/org/app:1.0'), SHA)).toBe(
      `ghcr.io/org/app@${SHA}`
    )
  })

  it('refuses to pin to something that is not a digest', () => {
    expect(() => pinnedReference(parseReference('app'), 'sha256:nothex')).toThrow(
      InvalidReferenceError
    )
  })

  it.each([
    ['docker.io', 'registry-1.docker.io'],
    ['ghcr.io', 'ghcr.io'],
    ['localhost:5000', 'localhost:5000']
  ])('speaks to %s at %s', (registry, host) => {
    expect(registryApiHost(registry)).toBe(host)
  })
})

describe('isLoopbackRegistry', () => {
  it.each([
    ['localhost', true],
    ['localhost:5000', true],
    ['LOCALHOST:5000', true],
    ['127.0.0.1', true],
    ['127.0.0.1:5000', true],
    ['127.255.10.3:80', true],
    ['[::1]', true],
    ['[::1]:5000', true],
    ['128.0.0.1:5000', false],
    ['127.0.0.256', false],
    ['127.0.0', false],
    ['localhost.example.com', false],
    ['ghcr.io', false],
    ['[::2]:5000', false]
  ])('%s → %s', (host, loopback) => {
    expect(isLoopbackRegistry(host)).toBe(loopback)
  })
})

describe('parseDigest', () => {
  it.each([SHA, SHA512])('accepts %s', (digest) => {
    expect(parseDigest(digest)).toBe(digest)
  })

  it.each([
    ['sha256', "is not valid: expected '<algorithm>:<hex>'"],
    [':abc', "is not valid: expected '<algorithm>:<hex>'"],
    [`sha256:${'a'.repeat(63)}`, 'is not valid: sha256 needs 64 lowercase hex digits'],
    [`sha512:${'a'.repeat(64)}`, 'is not valid: sha512 needs 128 lowercase hex digits'],
    [`sha256:${'g'.repeat(64)}`, 'is not valid: sha256 needs 64 lowercase hex digits'],
    [`blake3:${'a'.repeat(64)}`, "uses an unsupported algorithm 'blake3' (sha256, sha512)"]
  ])('rejects %s', (text, problem) => {
    expect(() => parseDigest(text)).toThrow(`digest '${text}' ${problem}`)
  })
})
