import { describe, expect, it } from '@jest/globals'
import { readGitHubContext } from '../../src/github/index.js'
import { InputError, computeMetadata } from '../../src/image-build/index.js'
import { fixtureEnv } from '../github/event-fixtures.js'

const IMAGE = 'ghcr.io/octo-org/inventory-api'
const NOW = new Date('2024-05-01T12:00:00Z')
const OCI = 'org.opencontainers.image'

function labelsFor(version: string, revision: string, full = true): Record<string, string> {
  const url = 'https://github.com/octo-org/inventory-api'
  return {
    [`${OCI}.title`]: 'inventory-api',
    ...(full ? { [`${OCI}.description`]: 'Stock levels for the warehouse' } : {}),
    [`${OCI}.url`]: url,
    [`${OCI}.source`]: url,
    [`${OCI}.version`]: version,
    [`${OCI}.created`]: '2024-05-01T12:00:00.000Z',
    [`${OCI}.revision`]: revision,
    ...(full ? { [`${OCI}.licenses`]: 'Apache-2.0' } : {})
  }
}

describe('computeMetadata from the event fixtures', () => {
  it.each([
    ['push-main', ['main', 'sha-a1b2c3d', 'latest']],
    ['push-feature', ['feature-x', 'sha-b2c3d4e']],
    ['pull-request-42', ['pr-42', 'sha-0123456']],
    ['tag-v1.2.3', ['1.2.3', '1.2', '1', 'sha-c3d4e5f', 'latest']],
    ['tag-v2.0.0-rc.1', ['2.0.0-rc.1', 'sha-d4e5f60']],
    ['schedule', ['nightly', 'sha-e5f6071']],
    ['workflow-dispatch', ['release-1.x', 'sha-f607182']]
  ])('tags %s as %j', (name, tagNames) => {
    const metadata = computeMetadata({
      context: readGitHubContext(fixtureEnv(name)),
      image: IMAGE,
      now: NOW
    })
    expect(metadata.tagNames).toEqual(tagNames)
    expect(metadata.tags).toEqual(tagNames.map((tag) => `${IMAGE}:${tag}`))
    expect(metadata.version).toBe(tagNames[0])
  })

  it.each([
    ['push-main', labelsFor('main', 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678')],
    ['pull-request-42', labelsFor('pr-42', '0123456789abcdef0123456789abcdef01234567')],
    ['tag-v1.2.3', labelsFor('1.2.3', 'c3d4e5f60718293a4b5c6d7e8f9012345678a1b2')],
    ['schedule', labelsFor('nightly', 'e5f60718293a4b5c6d7e8f9012345678a1b2c3d4', false)]
  ])('labels and annotates %s', (name, labels) => {
    const metadata = computeMetadata({
      context: readGitHubContext(fixtureEnv(name)),
      image: IMAGE,
      now: NOW
    })
    expect(metadata.labels).toEqual(labels)
    expect(metadata.annotations).toEqual(labels)
  })
})

describe('computeMetadata with explicit values', () => {
  const context = readGitHubContext(fixtureEnv('push-main'))

  it.each([
    [
      ['1.0', 'stable'],
      [`${IMAGE}:1.0`, `${IMAGE}:stable`],
      ['1.0', 'stable']
    ],
    [
      ['edge', 'docker.io/octo/inventory-api:edge', 'edge'],
      [`${IMAGE}:edge`, 'docker.io/octo/inventory-api:edge'],
      ['edge']
    ],
    [['127.0.0.1:5000/team/app:v1'], ['127.0.0.1:5000/team/app:v1'], ['v1']]
  ])('uses the tags %j instead of the computed ones', (tags, refs, names) => {
    const metadata = computeMetadata({ context, image: IMAGE, tags, now: NOW })
    expect([metadata.tags, metadata.tagNames, metadata.version]).toEqual([refs, names, names[0]])
  })

  it('computes the tags when the explicit list is empty', () => {
    expect(computeMetadata({ context, image: IMAGE, tags: [], now: NOW }).tagNames).toEqual([
      'main',
      'sha-a1b2c3d',
      'latest'
    ])
  })

  it.each([
    '-bad',
    'has space',
    'a'.repeat(129),
    'ghcr.io/o/app',
    'ghcr.io/O/app:1',
    'app@sha256:abc'
  ])("refuses the tag '%s', naming the tags input and the grammar", (tag) => {
    const run = (): unknown => computeMetadata({ context, image: IMAGE, tags: [tag], now: NOW })
    expect(run).toThrow(InputError)
    expect(run).toThrow(
      `Input 'tags' is '${tag}'; expected a tag matching [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}, or a full reference such as ghcr.io/owner/app:1.0`
    )
  })

  it.each(['ghcr.io/Octo/app', 'ghcr.io/octo/app:1', 'app@sha256:abc', ''])(
    "refuses the image '%s'",
    (image) => {
      expect(() => computeMetadata({ context, image, now: NOW })).toThrow(
        `Input 'image' is '${image}'`
      )
    }
  )

  it('lets explicit labels override computed ones, annotations too, and takes the version given', () => {
    const metadata = computeMetadata({
      context,
      image: IMAGE,
      now: NOW,
      version: '7.0',
      labels: [
        [`${OCI}.title`, 'Inventory'],
        ['maintainer', 'team@example.com=yes']
      ]
    })
    const expected = {
      ...labelsFor('7.0', 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678'),
      [`${OCI}.title`]: 'Inventory',
      maintainer: 'team@example.com=yes'
    }
    expect([metadata.labels, metadata.annotations]).toEqual([expected, expected])
  })

  it('refuses a label without a key', () => {
    expect(() =>
      computeMetadata({ context, image: IMAGE, now: NOW, labels: [[' ', 'x']] })
    ).toThrow("Input 'labels' is '=x'; expected lines of the form KEY=value")
  })
})
