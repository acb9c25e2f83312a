/**
 * The OCI artifact that carries an evidence record: an image manifest with the empty config, the
 * record as its one layer, `artifactType` and `subject` set, as the OCI image spec 1.1 describes
 * artifacts (https://github.com/opencontainers/image-spec/blob/main/manifest.md#guidelines-for-artifact-usage).
 */
import { digestOf, OCI_EMPTY, OCI_MANIFEST, type Descriptor } from '../registry/index.js'
import { EVIDENCE_ANNOTATIONS, EVIDENCE_ARTIFACT_TYPE, type EvidenceRecord } from './record.js'

/** The empty JSON config every artifact without a config points to. */
export const EMPTY_CONFIG = Buffer.from('{}')

/** The manifest bytes of an evidence artifact for `record`, about the image `subject`. */
export function evidenceManifest(
  record: EvidenceRecord,
  body: Buffer,
  subject: Pick<Descriptor, 'mediaType' | 'digest' | 'size'>
): Buffer {
  const manifest = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    artifactType: EVIDENCE_ARTIFACT_TYPE,
    config: { mediaType: OCI_EMPTY, digest: digestOf(EMPTY_CONFIG), size: EMPTY_CONFIG.length },
    layers: [{ mediaType: EVIDENCE_ARTIFACT_TYPE, digest: digestOf(body), size: body.length }],
    subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
    annotations: {
      [EVIDENCE_ANNOTATIONS.kind]: record.kind,
      [EVIDENCE_ANNOTATIONS.decision]: record.decision,
      [EVIDENCE_ANNOTATIONS.created]: record.createdAt
    }
  }
  return Buffer.from(JSON.stringify(manifest))
}
