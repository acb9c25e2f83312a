/**
 * Evidence in the registry: a gate's record signed as an in-toto statement in a Sigstore bundle,
 * written as a referrer of the image digest; read back through the referrers API or its tag
 * fallback, each record verified, and the verified ones judged for a promotion.
 */
import * as core from '@actions/core'
import {
  OCI_MANIFEST,
  pinnedReference,
  type Digest,
  type ImageRef,
  type RegistryClient
} from '../registry/index.js'
import type { SigningConfig, TrustPolicy } from './keys.js'
import { BUNDLE_ANNOTATIONS, BUNDLE_MEDIA_TYPE, bundleManifest, EMPTY_CONFIG } from './manifest.js'
import {
  checkRecord,
  EVIDENCE_ANNOTATIONS,
  InvalidEvidenceError,
  UNSIGNED_EVIDENCE_TYPE,
  type EvidenceRecord
} from './record.js'
import {
  evidenceStatement,
  kindOfPredicateType,
  recordOfStatement,
  type Statement
} from './statement.js'
import type { RejectionReason } from './verifying.js'

/** A record as stored: the digest of its referrer manifest and the record itself. */
export interface StoredEvidence {
  readonly digest: Digest
  readonly record: EvidenceRecord
}

/** What a gate asks to record; the image, digest and time are filled in. */
export type EvidenceInput = Omit<EvidenceRecord, 'image' | 'digest' | 'createdAt'> & {
  readonly createdAt?: string
}

/** The image and digest a statement is about; throws when `image` names no digest. */
export function subjectOf(image: ImageRef): ImageRef & { digest: Digest } {
  if (image.digest === undefined) {
    throw new InvalidEvidenceError(
      `evidence is about a digest, and '${image.registry}/${image.repository}${image.tag ? `:${image.tag}` : ''}' names none`
    )
  }
  return { registry: image.registry, repository: image.repository, digest: image.digest }
}

/**
 * Signs `statement` and attaches the bundle to `image` as a referrer; returns the referrer's
 * digest. The Sigstore libraries load here, at the first signature.
 */
export async function attachStatement(
  client: RegistryClient,
  image: ImageRef,
  statement: Statement,
  signing: SigningConfig,
  annotations: Readonly<Record<string, string>> = {}
): Promise<Digest> {
  const subject = subjectOf(image)
  const head = await client.headManifest(subject)
  const { signStatement } = await import('./signing.js')
  const bundle = Buffer.from(JSON.stringify(await signStatement(statement, signing)))
  await client.pushBlob(subject, EMPTY_CONFIG)
  await client.pushBlob(subject, bundle)
  const manifest = bundleManifest(
    bundle,
    statement.predicateType,
    { ...head, digest: subject.digest },
    annotations
  )
  return client.pushReferrer(subject, manifest, OCI_MANIFEST)
}

/** Signs `input` as evidence on `image` (which must name a digest); returns what was stored. */
export async function writeEvidence(
  client: RegistryClient,
  image: ImageRef,
  input: EvidenceInput,
  signing: SigningConfig,
  now: Date = new Date()
): Promise<StoredEvidence> {
  const subject = subjectOf(image)
  const record = checkRecord({
    ...input,
    image: pinnedReference(subject, subject.digest),
    digest: subject.digest,
    createdAt: input.createdAt ?? now.toISOString()
  })
  const digest = await attachStatement(client, subject, evidenceStatement(record), signing, {
    [EVIDENCE_ANNOTATIONS.kind]: record.kind,
    [EVIDENCE_ANNOTATIONS.decision]: record.decision,
    [EVIDENCE_ANNOTATIONS.created]: record.createdAt
  })
  core.info(
    `evidence ${record.kind}=${record.decision} signed (${signing.kind}) and written on ${record.image} as ${digest}`
  )
  return { digest, record }
}

/** One record found on an image, accepted or not. */
export interface SeenEvidence {
  /** The digest of its referrer manifest. */
  readonly digest: Digest
  /** The kind it is about: verified when accepted, as its annotations claim otherwise. */
  readonly kind?: string
  /** The decision its annotations claim (for a rejected record's report). */
  readonly claimedDecision?: string
  /** The verified record, when accepted. */
  readonly record?: EvidenceRecord
  /** When accepted: the time it is ordered by (witnessed, or for a key the signed statement's). */
  readonly time?: string
  /** When not accepted: why. */
  readonly rejected?: { readonly reason: RejectionReason; readonly detail: string }
}

/**
 * Every evidence record on `image`, each verified under `policy`; rejected ones are kept with their
 * reason. Bundles about other things (provenance, other tools' attestations) are left out.
 */
export async function inspectEvidence(
  client: RegistryClient,
  image: ImageRef,
  policy: TrustPolicy
): Promise<SeenEvidence[]> {
  const subject = subjectOf(image)
  const descriptors = (await client.listReferrers(subject)).filter(
    (d) => d.artifactType === BUNDLE_MEDIA_TYPE || d.artifactType === UNSIGNED_EVIDENCE_TYPE
  )
  const { verifyBundle, RejectedEvidence } = await import('./verifying.js')
  const seen: SeenEvidence[] = []
  for (const descriptor of descriptors) {
    const annotations = descriptor.annotations ?? {}
    const claimedType = annotations[BUNDLE_ANNOTATIONS.predicateType]
    // provenance and other tools' attestations say so: not evidence, not worth verifying
    if (claimedType !== undefined && kindOfPredicateType(claimedType) === undefined) continue
    const claimed = {
      digest: descriptor.digest,
      kind: annotations[EVIDENCE_ANNOTATIONS.kind] ?? kindOfPredicateType(claimedType ?? ''),
      claimedDecision: annotations[EVIDENCE_ANNOTATIONS.decision]
    }
    if (descriptor.artifactType === UNSIGNED_EVIDENCE_TYPE) {
      seen.push({
        ...claimed,
        rejected: { reason: 'unsigned', detail: 'a record in the old unsigned format' }
      })
      continue
    }
    const fetched = await client.getManifest({ ...subject, digest: descriptor.digest })
    if (fetched.kind !== 'image' || fetched.manifest.layers.length !== 1) {
      seen.push({ ...claimed, rejected: { reason: 'unsigned', detail: 'no bundle layer' } })
      continue
    }
    const body = await client.fetchBlob(subject, fetched.manifest.layers[0].digest)
    try {
      let json: unknown
      try {
        json = JSON.parse(body.toString())
      } catch {
        throw new RejectedEvidence('unsigned', 'the layer is not JSON')
      }
      const verified = await verifyBundle(json, policy)
      const kind = kindOfPredicateType(verified.statement.predicateType)
      if (kind === undefined) continue // provenance or another tool's attestation
      let record: EvidenceRecord
      try {
        record = recordOfStatement(verified.statement, subject.digest)
      } catch (error) {
        if (!(error instanceof InvalidEvidenceError)) throw error
        const reason = error.message.startsWith('wrong subject') ? 'wrong subject' : 'not a record'
        throw new RejectedEvidence(reason, error.message)
      }
      const time =
        policy.kind === 'keyless' ? verified.witnessedAt?.toISOString() : record.createdAt
      if (time === undefined) throw new RejectedEvidence('expired without a witness', 'no time')
      seen.push({ digest: descriptor.digest, kind, record, time })
    } catch (error) {
      if (!(error instanceof RejectedEvidence)) throw error
      seen.push({ ...claimed, rejected: { reason: error.reason, detail: error.detail } })
    }
  }
  return seen
}

/** Accepted records of one kind, oldest first by the time they are ordered by. */
function accepted(seen: readonly SeenEvidence[], kind: string): SeenEvidence[] {
  return seen
    .filter((s) => s.record !== undefined && s.kind === kind)
    .sort((a, b) => (a.time ?? '').localeCompare(b.time ?? ''))
}

/** The outcome of checking evidence for a promotion. */
export interface EvidenceVerdict {
  /** True when every required kind's newest accepted record passes. */
  readonly ok: boolean
  /** Required kinds with no accepted record. */
  readonly missing: readonly string[]
  /** The newest accepted record of each required kind that has one. */
  readonly newest: readonly SeenEvidence[]
  /** Everything seen, accepted or not. */
  readonly seen: readonly SeenEvidence[]
}

/** For each required kind, the newest accepted record (by verified time) decides. */
export function judgeEvidence(
  seen: readonly SeenEvidence[],
  required: readonly string[]
): EvidenceVerdict {
  const newest = required.flatMap((kind) => accepted(seen, kind).slice(-1))
  const missing = required.filter((kind) => !newest.some((s) => s.kind === kind))
  const ok = missing.length === 0 && newest.every((s) => s.record?.decision === 'pass')
  return { ok, missing, newest, seen }
}

function short(digest: string): string {
  return digest.slice(0, 'sha256:'.length + 12)
}

function describeSeen(s: SeenEvidence, newest: readonly SeenEvidence[]): string {
  const name = `${short(s.digest)} (${s.kind ?? 'unknown kind'}${s.record ? ` ${s.record.decision} at ${s.time}` : s.claimedDecision ? `, claims ${s.claimedDecision}` : ''})`
  if (s.rejected) return `${name}: ${s.rejected.reason} (${s.rejected.detail})`
  if (!newest.includes(s)) return `${name}: accepted, not the newest`
  return s.record?.decision === 'pass'
    ? `${name}: accepted, passes`
    : `${name}: not a passing decision`
}

/** What the verdict says, for the log or for a refusal: each kind, then each record seen and why. */
export function describeVerdict(image: string, verdict: EvidenceVerdict): string {
  const kinds = [
    ...verdict.missing.map((kind) => `${kind}: no accepted record`),
    ...verdict.newest.map(
      (s) =>
        `${s.kind}: newest accepted is ${s.record?.decision} at ${s.time}${s.record?.runUrl ? ` by ${s.record.runUrl}` : ''}`
    )
  ]
  const lines = [
    verdict.ok ? `${image} has passing evidence` : `${image} lacks passing evidence`,
    ...kinds.map((k) => `  ${k}`),
    `records seen (${verdict.seen.length}):`,
    ...verdict.seen.map((s) => `  ${describeSeen(s, verdict.newest)}`)
  ]
  return lines.join('\n')
}

/** Reads, verifies and judges the evidence on `image` against the required kinds. */
export async function verifyEvidence(
  client: RegistryClient,
  image: ImageRef,
  required: readonly string[],
  policy: TrustPolicy
): Promise<EvidenceVerdict> {
  return judgeEvidence(await inspectEvidence(client, image, policy), required)
}
