/**
 * The in-toto Statement v1 (https://github.com/in-toto/attestation/blob/main/spec/v1/statement.md)
 * that a gate's record travels in: the image repository and its sha256 digest as the subject, a
 * predicateType per evidence kind, and the record's fields as the predicate.
 */
import type { Digest } from '../registry/index.js'
import { InvalidEvidenceError, parseRecord, type EvidenceRecord } from './record.js'

/** The statement's `_type`. */
export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1'
/** The DSSE payloadType of an in-toto statement. */
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json'

const PREDICATE_PREFIX = 'https://rollout-kit.dev/evidence/'

/** One artifact a statement is about. */
export interface StatementSubject {
  readonly name: string
  readonly digest: Readonly<Record<string, string>>
}

/** An in-toto Statement v1. */
export interface Statement {
  readonly _type: typeof STATEMENT_TYPE
  readonly subject: readonly StatementSubject[]
  readonly predicateType: string
  readonly predicate: Readonly<Record<string, unknown>>
}

/** The predicateType of an evidence kind: `https://rollout-kit.dev/evidence/<kind>/v1`. */
export function predicateTypeOf(kind: string): string {
  return `${PREDICATE_PREFIX}${kind}/v1`
}

/** The evidence kind a predicateType names, or undefined when it is not one of ours. */
export function kindOfPredicateType(predicateType: string): string | undefined {
  const match = /^https:\/\/rollout-kit\.dev\/evidence\/([a-z][a-z0-9-]{0,62})\/v1$/.exec(
    predicateType
  )
  return match?.[1]
}

/** A statement about `name@digest` (the name is `registry/repository`). */
export function statementAbout(
  name: string,
  digest: Digest,
  predicateType: string,
  predicate: Readonly<Record<string, unknown>>
): Statement {
  return {
    _type: STATEMENT_TYPE,
    subject: [{ name, digest: { sha256: digest.slice('sha256:'.length) } }],
    predicateType,
    predicate
  }
}

/** The statement carrying `record`. */
export function evidenceStatement(record: EvidenceRecord): Statement {
  const name = record.image.slice(0, record.image.length - record.digest.length - 1)
  return statementAbout(name, record.digest as Digest, predicateTypeOf(record.kind), {
    ...record
  })
}

/** Parses a DSSE payload as a statement; throws InvalidEvidenceError when it is not one. */
export function parseStatement(payload: Buffer | string): Statement {
  let value: unknown
  try {
    value = JSON.parse(payload.toString())
  } catch {
    throw new InvalidEvidenceError('the signed payload is not JSON')
  }
  const s = value as Partial<Statement> | null
  if (
    typeof s !== 'object' ||
    s === null ||
    s._type !== STATEMENT_TYPE ||
    !Array.isArray(s.subject) ||
    typeof s.predicateType !== 'string' ||
    typeof s.predicate !== 'object' ||
    s.predicate === null
  ) {
    throw new InvalidEvidenceError(`the signed payload is not an in-toto ${STATEMENT_TYPE}`)
  }
  return s as Statement
}

/** Whether the statement names `digest` among its subjects. */
export function statementNames(statement: Statement, digest: Digest): boolean {
  const hex = digest.slice('sha256:'.length)
  return statement.subject.some((s) => s.digest?.sha256 === hex)
}

/**
 * The record in a statement about `digest`; throws InvalidEvidenceError when the statement is about
 * another digest, is not of an evidence kind, or its predicate is not a record of that kind.
 */
export function recordOfStatement(statement: Statement, digest: Digest): EvidenceRecord {
  if (!statementNames(statement, digest)) {
    const named = statement.subject.map((s) => `sha256:${s.digest?.sha256 ?? '?'}`).join(', ')
    throw new InvalidEvidenceError(`wrong subject: the statement is about ${named}`)
  }
  const kind = kindOfPredicateType(statement.predicateType)
  if (kind === undefined) {
    throw new InvalidEvidenceError(
      `predicateType ${statement.predicateType} is not a rollout-kit evidence kind`
    )
  }
  const record = parseRecord(JSON.stringify(statement.predicate))
  if (record.kind !== kind || record.digest !== digest) {
    throw new InvalidEvidenceError(
      `the predicate (${record.kind} about ${record.digest}) disagrees with the statement (${kind} about ${digest})`
    )
  }
  return record
}
