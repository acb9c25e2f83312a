/** Small synthetic OCI images and indexes pushed with the RegistryClient, for tag-policy tests. */
import {
  digestOf,
  OCI_CONFIG,
  OCI_INDEX,
  OCI_LAYER,
  OCI_MANIFEST,
  type Digest,
  type ImageRef,
  type RegistryClient
} from '../src/registry/index.js'

/** A pushed image manifest. */
export interface SyntheticImage {
  readonly digest: Digest
  readonly bytes: Buffer
}

/**
 * An image of one layer whose config says it was `created` then, put at the tag of `ref`, else by
 * its digest only.
 */
export async function pushImage(
  client: RegistryClient,
  ref: ImageRef,
  created: string,
  architecture = 'amd64'
): Promise<SyntheticImage> {
  const layer = await client.pushBlob(ref, Buffer.from(`layer ${created} ${architecture}`))
  const config = Buffer.from(
    JSON.stringify({
      created,
      architecture,
      os: 'linux',
      rootfs: { type: 'layers', diff_ids: [layer.digest] }
    })
  )
  await client.pushBlob(ref, config)
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: OCI_CONFIG, digest: digestOf(config), size: config.length },
      layers: [{ mediaType: OCI_LAYER, digest: layer.digest, size: layer.size }]
    })
  )
  const target = ref.tag === undefined ? { ...ref, digest: digestOf(manifest) } : ref
  return { digest: await client.putManifest(target, manifest, OCI_MANIFEST), bytes: manifest }
}

/** An index at the tag of `ref`: one image per `created` (amd64, then arm64), index annotations if given. */
export async function pushIndex(
  client: RegistryClient,
  ref: ImageRef,
  created: readonly string[],
  annotations?: Record<string, string>
): Promise<Digest> {
  const repo = { registry: ref.registry, repository: ref.repository }
  const manifests = []
  for (const [i, time] of created.entries()) {
    const architecture = i === 0 ? 'amd64' : 'arm64'
    const image = await pushImage(client, repo, time, architecture)
    manifests.push({
      mediaType: OCI_MANIFEST,
      digest: image.digest,
      size: image.bytes.length,
      platform: { architecture, os: 'linux' }
    })
  }
  const index = {
    schemaVersion: 2,
    mediaType: OCI_INDEX,
    manifests,
    ...(annotations && { annotations })
  }
  return client.putManifest(ref, Buffer.from(JSON.stringify(index)), OCI_INDEX)
}

/** Puts one image manifest under more tags of `repo`. */
export async function tagAll(
  client: RegistryClient,
  repo: ImageRef,
  bytes: Buffer,
  tags: readonly string[]
): Promise<void> {
  for (const tag of tags) await client.putManifest({ ...repo, tag }, bytes, OCI_MANIFEST)
}
