/**
 * The evidence record: what a gate decided about one image digest, as a small JSON document that
 * travels with the image in the registry (an OCI artifact whose `subject` is the image).
 */

/**
 * The artifactType of the unsigned records written before evidence was signed: still listed, so
 * that a refusal can say it saw one and why it does not count.
 */
export const UNSIGNED_EVIDENCE_TYPE = 'application/vnd.rollout-kit.evidence.v1+json'

/** Our annotation keys on the evidence manifest, for people and listings (never trusted). */
export const EVIDENCE_ANNOTATIONS = {
  kind: 'dev.rollout-kit.evidence.kind',
  decision: 'dev.rollout-kit.evidence.decision',
  created: 'org.opencontainers.image.created'
} as const

/** A gate's outcome. */
export type Decision = 'pass' | 'fail' | 'inconclusive'

/** What a gate recorded about an image. */
export interface EvidenceRecord {
  /** The gate: `tests`, `http`, `analysis`, or any kind a workflow names (kebab-case). */
  readonly kind: string
  /** The decision. */
  readonly decision: Decision
  /** The image the decision is about: `registry/repository@sha256:…`. */
  readonly image: string
  /** Its digest. */
  readonly digest: string
  /** When the decision was made (ISO 8601). */
  readonly createdAt: string
  /** The workflow run that made it. */
  readonly runUrl?: string
  /** The commit that was tested. */
  readonly commit?: string
  /** A score, for gates that compute one (0–100). */
  readonly score?: number
  /** One line for people. */
  readonly summary?: string
  /** Anything else the gate wants to keep (counts, metrics). */
  readonly details?: Readonly<Record<string, unknown>>
}

const KIND = /^[a-z][a-z0-9-]{0,62}$/
const DECISIONS: readonly string[] = ['pass', 'fail', 'inconclusive']

/** Whether `text` can name an evidence kind: lowercase letters, digits and `-`, a letter first. */
export function isEvidenceKind(text: string): boolean {
  return KIND.test(text)
}

/** Evidence that does not parse or does not follow the record's rules. */
export class InvalidEvidenceError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'InvalidEvidenceError'
  }
}

/** Checks a record's fields; throws InvalidEvidenceError naming the first bad one. */
export function checkRecord(record: EvidenceRecord): EvidenceRecord {
  if (!KIND.test(record.kind)) {
    throw new InvalidEvidenceError(`evidence kind '${record.kind}' must match ${KIND.source}`)
  }
  if (!DECISIONS.includes(record.decision)) {
    throw new InvalidEvidenceError(
      `evidence decision '${record.decision}' must be one of ${DECISIONS.join(', ')}`
    )
  }
  if (!/^sha256:[0-9a-f]{64}$/.test(record.digest) || !record.image.endsWith(`@${record.digest}`)) {
    throw new InvalidEvidenceError(
      `evidence must name the image by digest: image '${record.image}', digest '${record.digest}'`
    )
  }
  if (Number.isNaN(Date.parse(record.createdAt))) {
    throw new InvalidEvidenceError(`evidence createdAt '${record.createdAt}' is not a date`)
  }
  return record
}

/** Parses a record's JSON body; throws InvalidEvidenceError when it is not one. */
export function parseRecord(bytes: Buffer | string): EvidenceRecord {
  let value: unknown
  try {
    value = JSON.parse(bytes.toString())
  } catch {
    throw new InvalidEvidenceError('evidence body is not JSON')
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidEvidenceError('evidence body is not a JSON object')
  }
  const r = value as Record<string, unknown>
  for (const field of ['kind', 'decision', 'image', 'digest', 'createdAt']) {
    if (typeof r[field] !== 'string') {
      throw new InvalidEvidenceError(`evidence body lacks the string field '${field}'`)
    }
  }
  return checkRecord(value as EvidenceRecord)
}
