/**
 * The OCI artifact that carries a signed statement: an image manifest with the empty config, the
 * Sigstore bundle as its one layer, `artifactType` the bundle's media type and `subject` the image,
 * annotated as cosign's bundle spec and actions/attest do
 * (https://github.com/sigstore/cosign/blob/main/specs/BUNDLE_SPEC.md), so that cosign and oras read it.
 */
import { digestOf, OCI_EMPTY, OCI_MANIFEST, type Descriptor } from '../registry/index.js'

/** The media type of a Sigstore bundle v0.3: the artifactType and layer type of our referrers. */
export const BUNDLE_MEDIA_TYPE = 'application/vnd.dev.sigstore.bundle.v0.3+json'

/** Annotation keys of a bundle referrer. */
export const BUNDLE_ANNOTATIONS = {
  content: 'dev.sigstore.bundle.content',
  predicateType: 'dev.sigstore.bundle.predicateType'
} as const

/** The empty JSON config every artifact without a config points to. */
export const EMPTY_CONFIG = Buffer.from('{}')

/** The manifest bytes of the referrer carrying `bundle` about `subject`. */
export function bundleManifest(
  bundle: Buffer,
  predicateType: string,
  subject: Pick<Descriptor, 'mediaType' | 'digest' | 'size'>,
  annotations: Readonly<Record<string, string>> = {}
): Buffer {
  const manifest = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    artifactType: BUNDLE_MEDIA_TYPE,
    config: { mediaType: OCI_EMPTY, digest: digestOf(EMPTY_CONFIG), size: EMPTY_CONFIG.length },
    layers: [{ mediaType: BUNDLE_MEDIA_TYPE, digest: digestOf(bundle), size: bundle.length }],
    subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
    annotations: {
      [BUNDLE_ANNOTATIONS.content]: 'dsse-envelope',
      [BUNDLE_ANNOTATIONS.predicateType]: predicateType,
      ...annotations
    }
  }
  return Buffer.from(JSON.stringify(manifest))
}
