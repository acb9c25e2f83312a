/**
 * Evidence in the registry: written as a referrer of the image digest, listed through the referrers
 * API or its tag fallback, and judged for a promotion.
 */
import * as core from '@actions/core'
import {
  OCI_MANIFEST,
  pinnedReference,
  type Digest,
  type ImageRef,
  type RegistryClient
} from '../registry/index.js'
import { EMPTY_CONFIG, evidenceManifest } from './manifest.js'
import {
  checkRecord,
  EVIDENCE_ARTIFACT_TYPE,
  InvalidEvidenceError,
  parseRecord,
  type EvidenceRecord
} from './record.js'

/** A record as stored: the digest of its artifact manifest and the record itself. */
export interface StoredEvidence {
  readonly digest: Digest
  readonly record: EvidenceRecord
}

/** What a gate asks to record; the image, digest and time are filled in. */
export type EvidenceInput = Omit<EvidenceRecord, 'image' | 'digest' | 'createdAt'> & {
  readonly createdAt?: string
}

function subjectOf(image: ImageRef): ImageRef & { digest: Digest } {
  if (image.digest === undefined) {
    throw new InvalidEvidenceError(
      `evidence is about a digest, and '${image.registry}/${image.repository}${image.tag ? `:${image.tag}` : ''}' names none`
    )
  }
  return { registry: image.registry, repository: image.repository, digest: image.digest }
}

/** Writes `input` as evidence on `image` (which must name a digest); returns what was stored. */
export async function writeEvidence(
  client: RegistryClient,
  image: ImageRef,
  input: EvidenceInput,
  now: Date = new Date()
): Promise<StoredEvidence> {
  const subject = subjectOf(image)
  const head = await client.headManifest(subject)
  const record = checkRecord({
    ...input,
    image: pinnedReference(subject, subject.digest),
    digest: subject.digest,
    createdAt: input.createdAt ?? now.toISOString()
  })
  const body = Buffer.from(JSON.stringify(record))
  await client.pushBlob(subject, EMPTY_CONFIG)
  await client.pushBlob(subject, body)
  const manifest = evidenceManifest(record, body, { ...head, digest: subject.digest })
  const digest = await client.pushReferrer(subject, manifest, OCI_MANIFEST)
  core.info(`evidence ${record.kind}=${record.decision} written on ${record.image} as ${digest}`)
  return { digest, record }
}

/** Every evidence record on `image`, oldest first; records about another digest are left out. */
export async function listEvidence(
  client: RegistryClient,
  image: ImageRef
): Promise<StoredEvidence[]> {
  const subject = subjectOf(image)
  const descriptors = await client.listReferrers(subject, EVIDENCE_ARTIFACT_TYPE)
  const stored: StoredEvidence[] = []
  for (const descriptor of descriptors) {
    const fetched = await client.getManifest({ ...subject, digest: descriptor.digest })
    if (fetched.kind !== 'image' || fetched.manifest.layers.length !== 1) continue
    const body = await client.fetchBlob(subject, fetched.manifest.layers[0].digest)
    const record = parseRecord(body)
    if (record.digest !== subject.digest) {
      core.warning(
        `evidence ${descriptor.digest} refers to ${subject.digest} but is about ${record.digest}; ignored`
      )
      continue
    }
    stored.push({ digest: descriptor.digest, record })
  }
  return stored.sort((a, b) => a.record.createdAt.localeCompare(b.record.createdAt))
}

/** The outcome of checking evidence for a promotion. */
export interface EvidenceVerdict {
  /** True when every required kind has a passing newest record. */
  readonly ok: boolean
  /** Required kinds with no record at all. */
  readonly missing: readonly string[]
  /** Required kinds whose newest record does not pass. */
  readonly failing: readonly EvidenceRecord[]
  /** The newest passing record of each required kind that passes. */
  readonly passing: readonly EvidenceRecord[]
}

/** Judges records: for each required kind, the newest record decides. */
export function judgeEvidence(
  records: readonly EvidenceRecord[],
  required: readonly string[]
): EvidenceVerdict {
  const newest = new Map<string, EvidenceRecord>()
  for (const record of records) {
    const seen = newest.get(record.kind)
    if (!seen || seen.createdAt <= record.createdAt) newest.set(record.kind, record)
  }
  const missing = required.filter((kind) => !newest.has(kind))
  const present = required.flatMap((kind) => newest.get(kind) ?? [])
  const failing = present.filter((record) => record.decision !== 'pass')
  const passing = present.filter((record) => record.decision === 'pass')
  return { ok: missing.length === 0 && failing.length === 0, missing, failing, passing }
}

/** One sentence naming what is missing or failing, for an error. */
export function describeVerdict(image: string, verdict: EvidenceVerdict): string {
  const parts = [
    ...verdict.missing.map((kind) => `${kind} (no record)`),
    ...verdict.failing.map((r) => `${r.kind} (newest is ${r.decision}, ${r.createdAt})`)
  ]
  return verdict.ok
    ? `${image} has passing evidence: ${verdict.passing.map((r) => r.kind).join(', ')}`
    : `${image} lacks passing evidence: ${parts.join('; ')}`
}

/** Reads the evidence on `image` and judges it against the required kinds. */
export async function verifyEvidence(
  client: RegistryClient,
  image: ImageRef,
  required: readonly string[]
): Promise<EvidenceVerdict> {
  const stored = await listEvidence(client, image)
  return judgeEvidence(
    stored.map((s) => s.record),
    required
  )
}
