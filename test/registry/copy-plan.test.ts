import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import {
  digestOf,
  DOCKER_FOREIGN_LAYER,
  OCI_INDEX,
  OCI_MANIFEST,
  parseManifest,
  planCopy,
  platformsOf,
  type ManifestNode
} from '../../src/registry/index.js'

const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url.replace(/\?.*$/, '')))
type Json = Record<string, unknown> & { layers: Record<string, unknown>[] }

function node(value: object): ManifestNode {
  const bytes = Buffer.from(JSON.stringify(value))
  return { digest: digestOf(bytes), bytes, parsed: parseManifest(bytes) }
}

const amd64Json = JSON.parse(fixture('oci-manifest.json').toString('utf8')) as Json
const amd64 = node(amd64Json)
// arm64 shares the second layer and has its own first layer and config
const arm64Json: Json = {
  ...amd64Json,
  config: { ...(amd64Json.config as object), digest: `sha256:${'c'.repeat(64)}` },
  layers: [{ ...amd64Json.layers[0], digest: `sha256:${'d'.repeat(64)}` }, amd64Json.layers[1]!]
}
const arm64 = node(arm64Json)
const descriptor = (n: ManifestNode, architecture: string, variant?: string) => ({
  mediaType: OCI_MANIFEST,
  digest: n.digest,
  size: n.bytes.length,
  platform: { os: 'linux', architecture, ...(variant && { variant }) }
})
const index = node({
  schemaVersion: 2,
  mediaType: OCI_INDEX,
  manifests: [descriptor(amd64, 'amd64'), descriptor(arm64, 'arm64', 'v8')]
})
const artifactJson = JSON.parse(fixture('oci-artifact.json').toString('utf8')) as Json
const referrer = node({
  ...artifactJson,
  subject: { mediaType: OCI_INDEX, digest: index.digest, size: index.bytes.length }
})
const digestsOf = (list: readonly { digest: string }[]) => list.map((d) => d.digest)

describe('planCopy', () => {
  const plan = planCopy({ manifests: [amd64, arm64, index], referrers: [[referrer]] })

  it('takes the last manifest as the image to copy', () => {
    expect(plan.root.digest).toBe(index.digest)
  })

  it('lists each blob once, in the order first named', () => {
    expect(digestsOf(plan.blobs)).toEqual([
      (amd64Json.config as { digest: string }).digest,
      amd64Json.layers[0]?.digest,
      amd64Json.layers[1]?.digest,
      `sha256:${'c'.repeat(64)}`,
      `sha256:${'d'.repeat(64)}`,
      (artifactJson.config as { digest: string }).digest,
      artifactJson.layers[0]?.digest
    ])
  })

  it('puts the platform images, then the index, then the referrer', () => {
    expect(plan.steps.map((s) => [s.node.digest, s.referrer])).toEqual([
      [amd64.digest, false],
      [arm64.digest, false],
      [index.digest, false],
      [referrer.digest, true]
    ])
  })

  it('puts a referrer listed under two subjects once', () => {
    const twice = planCopy({ manifests: [amd64], referrers: [[referrer], [referrer]] })
    expect(twice.steps).toHaveLength(2)
  })

  it('leaves out foreign layers, which live outside the registry', () => {
    const foreign = node({
      ...amd64Json,
      layers: [
        {
          mediaType: DOCKER_FOREIGN_LAYER,
          digest: `sha256:${'e'.repeat(64)}`,
          size: 5,
          urls: ['https://x.example/l']
        },
        amd64Json.layers[1]
      ]
    })
    expect(digestsOf(planCopy({ manifests: [foreign], referrers: [] }).blobs)).toEqual([
      (amd64Json.config as { digest: string }).digest,
      amd64Json.layers[1]?.digest
    ])
  })

  it('refuses a graph without manifests', () => {
    expect(() => planCopy({ manifests: [], referrers: [] })).toThrow(
      'nothing to copy: the source graph holds no manifests'
    )
  })
})

describe('platformsOf', () => {
  it.each([
    ['an index by its entries', index.parsed, undefined, ['linux/amd64', 'linux/arm64/v8']],
    [
      'an image by its config',
      amd64.parsed,
      Buffer.from('{"os":"linux","architecture":"s390x"}'),
      ['linux/s390x']
    ],
    ['an image whose config is unknown as none', amd64.parsed, undefined, []],
    ['an artifact with an empty config as none', referrer.parsed, Buffer.from('{}'), []]
  ] as const)('names the platforms of %s', (_name, parsed, config, platforms) => {
    expect(platformsOf(parsed, config)).toEqual(platforms)
  })
})
