/** Gate records stored on an image digest in the registry: write, list, verify. */

/** The record, its decision words, its artifactType and annotation keys, and its checks. */
export {
  checkRecord,
  EVIDENCE_ANNOTATIONS,
  EVIDENCE_ARTIFACT_TYPE,
  InvalidEvidenceError,
  isEvidenceKind,
  parseRecord,
  type Decision,
  type EvidenceRecord
} from './record.js'
/** The artifact manifest that carries a record, and the empty config it points to. */
export { EMPTY_CONFIG, evidenceManifest } from './manifest.js'
/** Writing, listing, judging and verifying the evidence on an image digest. */
export {
  describeVerdict,
  judgeEvidence,
  listEvidence,
  verifyEvidence,
  writeEvidence,
  type EvidenceInput,
  type EvidenceVerdict,
  type StoredEvidence
} from './store.js'
