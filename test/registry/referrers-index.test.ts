import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { nextLink } from '../../src/registry/referrers-index.js'
import {
  addReferrer,
  digestOf,
  OCI_INDEX,
  OCI_MANIFEST,
  parseManifest,
  referrerDescriptor,
  referrersTag,
  type Descriptor,
  type ImageIndex
} from '../../src/registry/index.js'

const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url.replace(/\?.*$/, '')))
const ARTIFACT = fixture('oci-artifact.json')
const ARTIFACT_DIGEST = digestOf(ARTIFACT)
const A: Descriptor = { mediaType: OCI_MANIFEST, digest: `sha256:${'a'.repeat(64)}`, size: 10 }
const B: Descriptor = { mediaType: OCI_MANIFEST, digest: `sha256:${'b'.repeat(64)}`, size: 20 }

describe('referrersTag', () => {
  it.each([
    [`sha256:${'a'.repeat(64)}`, `sha256-${'a'.repeat(64)}`],
    [`sha512:${'b'.repeat(128)}`, `sha512-${'b'.repeat(121)}`]
  ] as const)('maps %s to its tag-schema tag', (digest, tag) => {
    expect(referrersTag(digest)).toBe(tag)
  })
})

describe('referrerDescriptor', () => {
  it('lists an artifact by media type, digest, size, artifactType and annotations', () => {
    const parsed = parseManifest(ARTIFACT, OCI_MANIFEST)
    expect(referrerDescriptor(parsed, ARTIFACT_DIGEST, ARTIFACT.length)).toEqual({
      mediaType: OCI_MANIFEST,
      digest: ARTIFACT_DIGEST,
      size: ARTIFACT.length,
      artifactType: 'application/vnd.rollout-kit.gate.v1+json',
      annotations: { 'org.opencontainers.image.created': '2024-05-01T10:05:00Z' }
    })
  })

  it("takes the config's media type as artifactType when the manifest has none", () => {
    const manifest = JSON.parse(ARTIFACT.toString('utf8')) as Record<string, unknown>
    delete manifest.artifactType
    delete manifest.annotations
    const bytes = Buffer.from(JSON.stringify(manifest))
    expect(referrerDescriptor(parseManifest(bytes), digestOf(bytes), bytes.length)).toEqual({
      mediaType: OCI_MANIFEST,
      digest: digestOf(bytes),
      size: bytes.length,
      artifactType: 'application/vnd.oci.empty.v1+json'
    })
  })
})

describe('addReferrer', () => {
  const index = (...manifests: Descriptor[]): ImageIndex => ({
    schemaVersion: 2,
    mediaType: OCI_INDEX,
    manifests
  })

  it.each([
    ['starts an index when there is none', undefined, A, index(A), true],
    ['appends to an existing index', index(A), B, index(A, B), true],
    ['leaves an index that lists the referrer unchanged', index(A, B), A, index(A, B), false]
  ] as const)('%s', (_name, before, referrer, after, changed) => {
    expect(addReferrer(before, referrer)).toEqual({ index: after, changed })
  })

  it('keeps annotations of the index it extends', () => {
    const annotated = { ...index(A), annotations: { note: 'kept' } }
    expect(addReferrer(annotated, B).index).toEqual({
      ...index(A, B),
      annotations: { note: 'kept' }
    })
  })
})

describe('nextLink', () => {
  it.each([
    [undefined, undefined],
    [
      '</v2/app/referrers/sha256:x?n=2&last=y>; rel="next"',
      '/v2/app/referrers/sha256:x?n=2&last=y'
    ],
    [
      '<https://r.example/v2/a?p=1>; rel=prev, <https://r.example/v2/a?p=3>; rel=next',
      'https://r.example/v2/a?p=3'
    ],
    ['</v2/app/tags/list?n=1>; rel="prev"', undefined]
  ])('reads %s as %s', (header, next) => {
    expect(nextLink(header)).toBe(next)
  })
})
