import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import {
  digestOf,
  DOCKER_MANIFEST,
  DOCKER_MANIFEST_LIST,
  DOCKER_SCHEMA1_SIGNED,
  InvalidManifestError,
  OCI_INDEX,
  OCI_MANIFEST,
  parseManifest
} from '../../src/registry/index.js'

const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url.replace(/\?.*$/, '')))
const sha = (text: string) => digestOf(text)

describe('parseManifest with fixtures', () => {
  it('reads an OCI image manifest', () => {
    const parsed = parseManifest(fixture('oci-manifest.json'), OCI_MANIFEST)
    expect(parsed.kind).toBe('image')
    expect(parsed.mediaType).toBe(OCI_MANIFEST)
    expect(parsed.manifest).toMatchObject({
      schemaVersion: 2,
      config: {
        mediaType: 'application/vnd.oci.image.config.v1+json',
        digest: sha('config'),
        size: 1469
      },
      layers: [
        { digest: sha('layer1'), size: 2152262 },
        { digest: sha('layer2'), size: 93 }
      ],
      annotations: { 'org.opencontainers.image.created': '2024-05-01T10:00:00Z' }
    })
  })

  it('reads an OCI index with platforms and an attestation entry', () => {
    const parsed = parseManifest(fixture('oci-index.json'), OCI_INDEX)
    if (parsed.kind !== 'index') throw new Error(`expected an index, got ${parsed.kind}`)
    expect(parsed.manifest.manifests.map((m) => m.platform)).toEqual([
      { architecture: 'amd64', os: 'linux' },
      { architecture: 'arm64', os: 'linux', variant: 'v8' },
      { architecture: 'unknown', os: 'unknown' }
    ])
    expect(parsed.manifest.manifests[2].annotations).toEqual({
      'vnd.docker.reference.digest': sha('amd64'),
      'vnd.docker.reference.type': 'attestation-manifest'
    })
  })

  it('reads a Docker schema 2 manifest', () => {
    const parsed = parseManifest(fixture('docker-manifest.json'), DOCKER_MANIFEST)
    expect(parsed).toMatchObject({
      kind: 'image',
      mediaType: DOCKER_MANIFEST,
      manifest: { config: { digest: sha('config') }, layers: [{ digest: sha('layer1') }] }
    })
  })

  it('reads a Docker manifest list with a Windows entry', () => {
    const parsed = parseManifest(fixture('docker-manifest-list.json'), DOCKER_MANIFEST_LIST)
    expect(parsed.kind).toBe('index')
    expect(parsed.mediaType).toBe(DOCKER_MANIFEST_LIST)
    if (parsed.kind !== 'index') return
    expect(parsed.manifest.manifests[2].platform).toEqual({
      architecture: 'amd64',
      os: 'windows',
      'os.version': '10.0.17763.5820',
      'os.features': ['win32k']
    })
  })

  it('reads an artifact manifest with artifactType, empty config and subject', () => {
    const parsed = parseManifest(fixture('oci-artifact.json'), OCI_MANIFEST)
    expect(parsed.manifest).toMatchObject({
      artifactType: 'application/vnd.rollout-kit.gate.v1+json',
      config: { mediaType: 'application/vnd.oci.empty.v1+json', size: 2, data: 'e30=' },
      subject: { mediaType: OCI_MANIFEST, digest: sha('amd64'), size: 1024 }
    })
  })

  it.each([
    ['docker-schema1.json', DOCKER_SCHEMA1_SIGNED],
    ['docker-schema1.json', 'application/json']
  ])('refuses %s served as %s', (name, contentType) => {
    expect(() => parseManifest(fixture(name), contentType)).toThrow(
      'manifest is Docker schema 1, which is deprecated and not supported; push the image again with a current builder'
    )
  })
})

describe('parseManifest media type', () => {
  const bare = JSON.stringify({
    schemaVersion: 2,
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha('c'), size: 1 },
    layers: []
  })
  const bareIndex = JSON.stringify({ schemaVersion: 2, manifests: [] })
  it.each([
    [
      'a body without mediaType, by Content-Type',
      bare,
      `${DOCKER_MANIFEST}; charset=utf-8`,
      DOCKER_MANIFEST
    ],
    ['a body without mediaType, by shape', bare, 'application/json', OCI_MANIFEST],
    ['an index without mediaType, by shape', bareIndex, undefined, OCI_INDEX],
    [
      'a declared mediaType under a generic Content-Type',
      fixture('oci-index.json'),
      'application/octet-stream',
      OCI_INDEX
    ]
  ])('takes %s', (_case, bytes, contentType, mediaType) => {
    expect(parseManifest(bytes, contentType).mediaType).toBe(mediaType)
  })
})

describe('parseManifest rejects', () => {
  const config = {
    mediaType: 'application/vnd.oci.image.config.v1+json',
    digest: sha('c'),
    size: 1
  }
  const manifest = (fields: object) =>
    JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config, layers: [], ...fields })
  it.each([
    ['not JSON', '{"schemaVersion":', 'manifest is not valid JSON'],
    ['a JSON array', '[]', 'manifest is not a JSON object'],
    [
      'schemaVersion 3',
      manifest({ schemaVersion: 3 }),
      'manifest is not valid: schemaVersion (3) must be 2'
    ],
    [
      'no schemaVersion',
      JSON.stringify({ config, layers: [] }),
      'manifest is not valid: schemaVersion (missing) must be 2'
    ],
    [
      'no layers',
      manifest({ layers: undefined }),
      'manifest is not valid: layers (missing) must be an array'
    ],
    [
      'a config that is a string',
      manifest({ config: 'x' }),
      'manifest is not valid: config ("x") must be a descriptor object'
    ],
    [
      'a layer with a bad digest',
      manifest({ layers: [config, { ...config, digest: 'sha256:123' }] }),
      'manifest is not valid: layers[1].digest ("sha256:123") is not a valid digest'
    ],
    [
      'a negative size',
      manifest({ config: { ...config, size: -1 } }),
      'manifest is not valid: config.size (-1) must be a non-negative integer'
    ],
    [
      'a missing mediaType on a layer',
      manifest({ layers: [{ digest: sha('l'), size: 1 }] }),
      'manifest is not valid: layers[0].mediaType (missing) must be a non-empty string'
    ],
    [
      'a non-string annotation',
      manifest({ annotations: { a: 1 } }),
      'manifest is not valid: annotations ({"a":1}) must map strings to strings'
    ],
    [
      'an unknown mediaType',
      manifest({ mediaType: 'text/plain' }),
      `manifest is not valid: mediaType ("text/plain") is not a manifest type`
    ],
    [
      'a platform without os',
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_INDEX,
        manifests: [{ ...config, platform: { architecture: 'amd64' } }]
      }),
      'manifest is not valid: manifests[0].platform.os (missing) must be a non-empty string'
    ],
    [
      'neither config nor manifests',
      JSON.stringify({ schemaVersion: 2 }),
      'manifest has neither config and layers nor manifests'
    ]
  ])('%s', (_case, bytes, message) => {
    const parse = () => parseManifest(bytes, 'application/json')
    expect(parse).toThrow(InvalidManifestError)
    expect(parse).toThrow(message)
  })

  it('a mediaType that disagrees with the Content-Type', () => {
    expect(() => parseManifest(fixture('oci-manifest.json'), DOCKER_MANIFEST)).toThrow(
      `manifest mediaType '${OCI_MANIFEST}' disagrees with the Content-Type '${DOCKER_MANIFEST}'`
    )
  })
})

describe('digestOf', () => {
  // Expected values computed with `sha256sum` over the fixture files.
  it.each([
    ['oci-manifest.json', 'ccad1753ffb01b3083b4384b4c0c8f7c7dd5dbe8444b570cf7bf5d1c3d610678'],
    ['oci-index.json', '5be9ed458b58e1cf5ddc2f0821f67ba1c04e3af63c8dec5e21047f1616970297'],
    ['docker-manifest.json', '283c06462ffd3a21f3152e4237808e4d9f3547a900175096040f19c71bc4be85'],
    [
      'docker-manifest-list.json',
      'c6b561e8f5a027680c5aee79fba6b508339feb6c668bd983846b007d7a95a554'
    ]
  ])('digests %s', (name, hex) => {
    expect(digestOf(fixture(name))).toBe(`sha256:${hex}`)
  })

  it('digests the empty descriptor content as the OCI spec lists it', () => {
    expect(digestOf('{}')).toBe(
      'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a'
    )
  })

  it('digests with sha512 on request', () => {
    expect(digestOf('', 'sha512')).toBe(
      'sha512:cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e'
    )
  })
})
