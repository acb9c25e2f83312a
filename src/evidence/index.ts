/** Gate records stored on an image digest in the registry: signed, written, listed, verified. */

/** The record, its decision words, its annotation keys, and its checks. */
export {
  checkRecord,
  EVIDENCE_ANNOTATIONS,
  InvalidEvidenceError,
  isEvidenceKind,
  parseRecord,
  UNSIGNED_EVIDENCE_TYPE,
  type Decision,
  type EvidenceRecord
} from './record.js'
/** The in-toto statement a record travels in. */
export {
  evidenceStatement,
  IN_TOTO_PAYLOAD_TYPE,
  kindOfPredicateType,
  parseStatement,
  predicateTypeOf,
  recordOfStatement,
  statementAbout,
  STATEMENT_TYPE,
  type Statement,
  type StatementSubject
} from './statement.js'
/** Signing and trust as data, and key checks that need node:crypto only. */
export {
  checkPrivateKey,
  checkPublicKey,
  GITHUB_ISSUER,
  KeyError,
  PUBLIC_GOOD,
  type SigningConfig,
  type TrustPolicy
} from './keys.js'
/** The referrer manifest that carries a bundle. */
export { BUNDLE_ANNOTATIONS, BUNDLE_MEDIA_TYPE, bundleManifest, EMPTY_CONFIG } from './manifest.js'
/** Writing, listing, verifying and judging the evidence on an image digest. */
export {
  attachStatement,
  describeVerdict,
  inspectEvidence,
  judgeEvidence,
  subjectOf,
  verifyEvidence,
  writeEvidence,
  type EvidenceInput,
  type EvidenceVerdict,
  type SeenEvidence,
  type StoredEvidence
} from './store.js'
/** The signing and trust inputs the actions share. */
export { NO_SIGNING, readSigning, readTrust } from './inputs.js'
/** SLSA provenance v1 of a build. */
export {
  BUILD_TYPE,
  provenanceStatement,
  SLSA_PROVENANCE_V1,
  type BuildFacts
} from './provenance.js'
