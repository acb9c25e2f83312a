import {
  digestOf,
  OCI_EMPTY,
  OCI_MANIFEST,
  type Descriptor,
  type Digest,
  type ImageRef,
  type RegistryClient
} from '../src/registry/index.js'

/** The artifact type of the test referrers. */
export const TEST_ARTIFACT_TYPE = 'application/vnd.rollout-kit.test.v1+json'

/** A pushed referrer artifact: its manifest digest and bytes. */
export interface PushedReferrer {
  readonly digest: Digest
  readonly bytes: Buffer
}

/**
 * Pushes a small OCI artifact (empty config, one JSON layer holding `text`) whose `subject` is
 * `subject`, with the client's pushBlob and pushReferrer.
 */
export async function pushTestReferrer(
  client: RegistryClient,
  repo: ImageRef,
  subject: Descriptor,
  text: string,
  artifactType = TEST_ARTIFACT_TYPE
): Promise<PushedReferrer> {
  const empty = Buffer.from('{}')
  const body = Buffer.from(JSON.stringify({ text }))
  await client.pushBlob(repo, empty)
  const layer = await client.pushBlob(repo, body)
  const manifest = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    artifactType,
    config: { mediaType: OCI_EMPTY, digest: digestOf(empty), size: empty.length },
    layers: [{ mediaType: artifactType, digest: layer.digest, size: layer.size }],
    subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
    annotations: { 'org.opencontainers.image.title': text }
  }
  const bytes = Buffer.from(JSON.stringify(manifest))
  const digest = await client.pushReferrer(repo, bytes, OCI_MANIFEST)
  return { digest, bytes }
}
