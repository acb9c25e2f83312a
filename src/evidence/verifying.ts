/**
 * Verifies a Sigstore bundle with @sigstore/verify (loaded on first use): the signature over the
 * DSSE envelope, the signer (a trusted key, or a Fulcio certificate for a trusted identity, checked
 * at the time a timestamp authority or Rekor witnessed), and returns the statement it carries with
 * that witnessed time.
 */
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { messageOf } from '../action/errors.js'
import { checkPublicKey, type TrustedRootSource, type TrustPolicy } from './keys.js'
import { InvalidEvidenceError } from './record.js'
import { IN_TOTO_PAYLOAD_TYPE, parseStatement, type Statement } from './statement.js'

/** Why a bundle was not accepted, in the words a refusal uses. */
export type RejectionReason =
  | 'unsigned'
  | 'signature invalid'
  | 'wrong identity'
  | 'wrong subject'
  | 'expired without a witness'
  | 'not a record'

/** A bundle that did not verify: the reason, and the detail behind it. */
export class RejectedEvidence extends Error {
  constructor(
    readonly reason: RejectionReason,
    readonly detail: string
  ) {
    super(`${reason}: ${detail}`)
    this.name = 'RejectedEvidence'
  }
}

/** What a verified bundle says: its statement, and the witnessed time when a witness signed one. */
export interface VerifiedStatement {
  readonly statement: Statement
  readonly witnessedAt?: Date
}

const EMPTY_ROOT = {
  mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
  tlogs: [],
  certificateAuthorities: [],
  ctlogs: [],
  timestampAuthorities: []
}
const SOURCE_REPOSITORY_OID = '1.3.6.1.4.1.57264.1.12'

const roots = new WeakMap<TrustedRootSource, Promise<TrustedRootOf>>()
type TrustedRootOf = ReturnType<
  (typeof import('@sigstore/protobuf-specs'))['TrustedRoot']['fromJSON']
>

/**
 * The trusted root `source` names, read once per run: the JSON given, or the target
 * `trusted_root.json` of a TUF repository, which @sigstore/tuf fetches and checks against the
 * repository's signed metadata (a chain from the root it starts from), caching it under RUNNER_TEMP.
 * A repository that cannot be reached fails the run with the server and what to do instead: it is
 * not a verdict on any record.
 */
export function trustedRootOf(source: TrustedRootSource): Promise<TrustedRootOf> {
  let root = roots.get(source)
  if (root === undefined) {
    root = loadTrustedRoot(source)
    roots.set(source, root)
  }
  return root
}

async function loadTrustedRoot(source: TrustedRootSource): Promise<TrustedRootOf> {
  const { TrustedRoot } = await import('@sigstore/protobuf-specs')
  if (source.kind === 'json') return TrustedRoot.fromJSON(source.root)
  const { getTrustedRoot } = await import('@sigstore/tuf')
  try {
    return await getTrustedRoot({
      mirrorURL: source.mirrorUrl,
      ...(source.rootPath ? { rootPath: source.rootPath } : {}),
      cachePath: join(process.env.RUNNER_TEMP || tmpdir(), 'rollout-kit-tuf'),
      retry: { retries: 2 },
      timeout: 10_000
    })
  } catch (error) {
    // tuf-js wraps the reason (fetch failed ← connect ECONNREFUSED …): say all of it
    const reasons: string[] = []
    for (let e: unknown = error; e instanceof Error && reasons.length < 5; e = e.cause) {
      if (!reasons.includes(e.message)) reasons.push(e.message)
    }
    const detail = reasons.join(': ') || messageOf(error)
    throw new Error(
      `TUF repository ${source.mirrorUrl}: fetching the Sigstore trusted root failed (${detail}); give \`trusted-root\` (a trusted root JSON file, e.g. from \`gh attestation trusted-root\`) to verify without it`,
      { cause: error }
    )
  }
}

/** Verifies `json` (a bundle) under `policy`; throws RejectedEvidence saying why it is not accepted. */
export async function verifyBundle(json: unknown, policy: TrustPolicy): Promise<VerifiedStatement> {
  const { bundleFromJSON } = await import('@sigstore/bundle')
  const { Verifier, toSignedEntity, toTrustMaterial, VerificationError, PolicyError } =
    await import('@sigstore/verify')
  const { TrustedRoot } = await import('@sigstore/protobuf-specs')
  let bundle: ReturnType<typeof bundleFromJSON>
  try {
    bundle = bundleFromJSON(json)
  } catch (error) {
    throw new RejectedEvidence('unsigned', `not a Sigstore bundle (${(error as Error).message})`)
  }
  if (bundle.content.$case !== 'dsseEnvelope') {
    throw new RejectedEvidence('unsigned', 'the bundle holds no DSSE envelope')
  }
  const envelope = bundle.content.dsseEnvelope
  if (envelope.signatures.length === 0 || envelope.signatures[0].sig.length === 0) {
    throw new RejectedEvidence('unsigned', 'the DSSE envelope has no signature')
  }
  if (envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE) {
    throw new RejectedEvidence('not a record', `payloadType ${envelope.payloadType}`)
  }
  const entity = toSignedEntity(bundle)
  let verifier: InstanceType<typeof Verifier>
  let identity: Parameters<InstanceType<typeof Verifier>['verify']>[1]
  if (policy.kind === 'key') {
    const spki = checkPublicKey(policy.publicKey).export({ type: 'spki', format: 'der' })
    const material = toTrustMaterial(TrustedRoot.fromJSON(EMPTY_ROOT), {
      '': { rawBytes: spki, keyDetails: 'PKIX_ECDSA_P256_SHA_256' as never }
    })
    verifier = new Verifier(material, {
      tlogThreshold: 0,
      ctlogThreshold: 0,
      timestampThreshold: 0
    })
    if (entity.key.$case !== 'public-key') {
      throw new RejectedEvidence(
        'wrong identity',
        'signed with a certificate, and evidence-key is a key'
      )
    }
  } else {
    const tlogs = bundle.verificationMaterial.tlogEntries.length
    verifier = new Verifier(toTrustMaterial(await trustedRootOf(policy.trustedRoot)), {
      tlogThreshold: tlogs > 0 ? 1 : 0,
      ctlogThreshold: 0,
      timestampThreshold: 1
    })
    identity = { subjectAlternativeName: policy.identity, extensions: { issuer: policy.issuer } }
    if (entity.key.$case !== 'certificate') {
      throw new RejectedEvidence(
        'wrong identity',
        'signed with a key, and keyless identity is required'
      )
    }
  }
  let signer: ReturnType<InstanceType<typeof Verifier>['verify']>
  try {
    signer = verifier.verify(entity, identity)
  } catch (error) {
    throw rejection(error, VerificationError, PolicyError)
  }
  if (policy.kind === 'keyless' && policy.repository !== undefined) {
    const found = signer.identity?.oids?.find((o) => o.oid?.id.join('.') === SOURCE_REPOSITORY_OID)
    const repository = found ? derString(found.value) : undefined
    if (repository !== policy.repository) {
      throw new RejectedEvidence(
        'wrong identity',
        `source repository ${repository ?? '(none)'}, not ${policy.repository}`
      )
    }
  }
  let statement: Statement
  try {
    statement = parseStatement(envelope.payload)
  } catch (error) {
    if (error instanceof InvalidEvidenceError)
      throw new RejectedEvidence('not a record', error.message)
    throw error
  }
  return { statement, witnessedAt: witnessed(entity.timestamps) }
}

function rejection(
  error: unknown,
  verificationError: abstract new (...args: never[]) => Error,
  policyError: abstract new (...args: never[]) => Error
): RejectedEvidence {
  const message = (error as Error).message
  if (error instanceof policyError) return new RejectedEvidence('wrong identity', message)
  if (!(error instanceof verificationError))
    return new RejectedEvidence('signature invalid', message)
  const code = (error as Error & { code: string }).code
  if (code === 'PUBLIC_KEY_ERROR') return new RejectedEvidence('wrong identity', message)
  if (code === 'TIMESTAMP_ERROR') return new RejectedEvidence('expired without a witness', message)
  if (code === 'CERTIFICATE_ERROR') {
    const cause = (error as { cause?: Error }).cause?.message
    return new RejectedEvidence('wrong identity', cause ? `${message}: ${cause}` : message)
  }
  return new RejectedEvidence('signature invalid', message)
}

/** The earliest witnessed time among verified timestamps (TSA or Rekor), if any. */
function witnessed(
  timestamps: readonly (
    | { $case: 'timestamp-authority'; timestamp: { signingTime: Date } }
    | { $case: 'transparency-log'; tlogEntry: { integratedTime: string } }
  )[]
): Date | undefined {
  const times = timestamps.map((t) =>
    t.$case === 'timestamp-authority'
      ? t.timestamp.signingTime
      : new Date(Number(t.tlogEntry.integratedTime) * 1000)
  )
  return times.length === 0 ? undefined : new Date(Math.min(...times.map((d) => d.getTime())))
}

/** The text of a DER UTF8String (Fulcio's extensions from .1.8 on are encoded so). */
function derString(value: Buffer): string {
  if (value[0] !== 0x0c) return value.toString('utf8')
  const first = value[1]
  if (first < 0x80) return value.subarray(2, 2 + first).toString('utf8')
  const n = first & 0x7f
  const length = value.subarray(2, 2 + n).reduce((sum, byte) => sum * 256 + byte, 0)
  return value.subarray(2 + n, 2 + n + length).toString('utf8')
}
