/**
 * An attacker with push access to the internal registry, and nothing else, tries to make promote
 * release a digest: each forgery is refused with its reason, on a real registry, by the promote
 * bundle; a genuine `fail` written after a `pass` wins.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { runAction, type ActionResult } from '../../harness/action-runner.js'
import { pemKeyPair } from '../../harness/evidence-keys.js'
import { startRegistry, type Registry } from '../../harness/registry.js'
import { pushImage } from '../../harness/synthetic-images.js'
import {
  bundleManifest,
  EMPTY_CONFIG,
  evidenceStatement,
  predicateTypeOf,
  UNSIGNED_EVIDENCE_TYPE,
  writeEvidence,
  type EvidenceRecord
} from '../../src/evidence/index.js'
import { signStatement } from '../../src/evidence/signing.js'
import {
  digestOf,
  OCI_EMPTY,
  OCI_MANIFEST,
  parseReference,
  RegistryClient,
  type Digest
} from '../../src/registry/index.js'

const genuine = pemKeyPair()
const attacker = pemKeyPair()
let registry: Registry
let client: RegistryClient
let n = 0

beforeAll(async () => {
  registry = await startRegistry()
  client = new RegistryClient()
}, 60_000)
afterAll(async () => {
  await client?.close()
  await registry?.stop()
})

/** A fresh image in the internal registry: its pinned reference and digest. */
async function image(): Promise<{ pinned: string; digest: Digest }> {
  n += 1
  const ref = parseReference(`${registry.host}/acme/app:build-${n}`)
  const { digest } = await pushImage(
    client,
    ref,
    new Date(Date.UTC(2026, 10, 1, 0, n)).toISOString()
  )
  return { pinned: `${registry.host}/acme/app@${digest}`, digest }
}

function record(
  pinned: string,
  digest: Digest,
  fields: Partial<EvidenceRecord> = {}
): EvidenceRecord {
  return {
    kind: 'tests',
    decision: 'pass',
    image: pinned,
    digest,
    createdAt: new Date().toISOString(),
    runUrl: 'https://github.com/acme/app/actions/runs/1',
    ...fields
  }
}

/** Pushes `layer` as a referrer of `pinned`, with the annotations a genuine record would carry. */
async function pushReferrer(
  pinned: string,
  layer: Buffer,
  options: { artifactType?: string; claims?: string } = {}
): Promise<Digest> {
  const ref = parseReference(pinned)
  const head = await client.headManifest(ref)
  await client.pushBlob(ref, EMPTY_CONFIG)
  await client.pushBlob(ref, layer)
  const annotations = {
    'dev.rollout-kit.evidence.kind': 'tests',
    'dev.rollout-kit.evidence.decision': options.claims ?? 'pass'
  }
  const manifest =
    options.artifactType === undefined
      ? bundleManifest(layer, predicateTypeOf('tests'), head, annotations)
      : Buffer.from(
          JSON.stringify({
            schemaVersion: 2,
            mediaType: OCI_MANIFEST,
            artifactType: options.artifactType,
            config: { mediaType: OCI_EMPTY, digest: digestOf(EMPTY_CONFIG), size: 2 },
            layers: [
              { mediaType: options.artifactType, digest: digestOf(layer), size: layer.length }
            ],
            subject: { mediaType: head.mediaType, digest: ref.digest, size: head.size },
            annotations
          })
        )
  return client.pushReferrer(ref, manifest, OCI_MANIFEST)
}

async function signed(rec: EvidenceRecord, privateKey: string): Promise<Record<string, unknown>> {
  return signStatement(evidenceStatement(rec), { kind: 'key', privateKey })
}

async function genuineRecord(pinned: string, decision: 'pass' | 'fail', at: Date): Promise<Digest> {
  const stored = await writeEvidence(
    client,
    parseReference(pinned),
    { kind: 'tests', decision, runUrl: `https://github.com/acme/app/actions/runs/${decision}` },
    { kind: 'key', privateKey: genuine.privateKey },
    at
  )
  return stored.digest
}

function promote(pinned: string): Promise<ActionResult> {
  return runAction('promote', {
    source: pinned,
    destination: `${registry.host}/acme/release`,
    tags: `v${n}`,
    'require-evidence': 'tests',
    'evidence-key': genuine.publicKey
  })
}

/** The refusal's lines, and that nothing was tagged. */
async function refusal(result: ActionResult): Promise<string[]> {
  expect(result.exitCode).toBe(1)
  const message = result.annotations.find((a) => a.level === 'error')?.message ?? ''
  expect(message).toMatch(/^Refusing to promote: /)
  expect(
    await client.listTags(parseReference(`${registry.host}/acme/release`)).catch(() => [])
  ).not.toContain(`v${n}`)
  return message.split('\n')
}

function short(digest: Digest): string {
  return digest.slice(0, 19)
}

describe('promote require-evidence refuses forged evidence', () => {
  it('an unsigned record in a bundle referrer', async () => {
    const { pinned, digest } = await image()
    const forged = await pushReferrer(pinned, Buffer.from(JSON.stringify(record(pinned, digest))))
    const lines = await refusal(await promote(pinned))
    expect(lines).toContain('  tests: no accepted record')
    expect(lines.find((l) => l.includes(short(forged)))).toMatch(
      /\(tests, claims pass\): unsigned \(not a Sigstore bundle/
    )
  })

  it('a record in the old unsigned format', async () => {
    const { pinned, digest } = await image()
    const forged = await pushReferrer(pinned, Buffer.from(JSON.stringify(record(pinned, digest))), {
      artifactType: UNSIGNED_EVIDENCE_TYPE
    })
    const lines = await refusal(await promote(pinned))
    expect(lines).toContain(
      `  ${short(forged)} (tests, claims pass): unsigned (a record in the old unsigned format)`
    )
  })

  it('a record signed by another key', async () => {
    const { pinned, digest } = await image()
    const bundle = await signed(record(pinned, digest), attacker.privateKey)
    const forged = await pushReferrer(pinned, Buffer.from(JSON.stringify(bundle)))
    const lines = await refusal(await promote(pinned))
    expect(lines).toContain(
      `  ${short(forged)} (tests, claims pass): signature invalid (signature verification failed)`
    )
  })

  it('a genuine fail whose payload was changed to pass after signing', async () => {
    const { pinned, digest } = await image()
    const bundle = (await signed(
      record(pinned, digest, { decision: 'fail' }),
      genuine.privateKey
    )) as {
      dsseEnvelope: { payload: string }
    }
    bundle.dsseEnvelope.payload = Buffer.from(
      JSON.stringify(evidenceStatement(record(pinned, digest)))
    ).toString('base64')
    const forged = await pushReferrer(pinned, Buffer.from(JSON.stringify(bundle)))
    const lines = await refusal(await promote(pinned))
    expect(lines).toContain(
      `  ${short(forged)} (tests, claims pass): signature invalid (signature verification failed)`
    )
  })

  it('a genuine pass of another digest, replayed on this one', async () => {
    const tested = await image()
    const { pinned } = await image()
    const bundle = await signed(record(tested.pinned, tested.digest), genuine.privateKey)
    const forged = await pushReferrer(pinned, Buffer.from(JSON.stringify(bundle)))
    const lines = await refusal(await promote(pinned))
    expect(lines).toContain(
      `  ${short(forged)} (tests, claims pass): wrong subject (wrong subject: the statement is about ${tested.digest})`
    )
  })

  it('a record claiming 2099 does not outrank a genuine fail', async () => {
    const { pinned, digest } = await image()
    await genuineRecord(pinned, 'fail', new Date())
    const bundle = await signed(
      record(pinned, digest, { createdAt: '2099-01-01T00:00:00.000Z' }),
      attacker.privateKey
    )
    const forged = await pushReferrer(pinned, Buffer.from(JSON.stringify(bundle)))
    const lines = await refusal(await promote(pinned))
    expect(lines[1]).toMatch(
      /^ {2}tests: newest accepted is fail at \S+ by https:\/\/github\.com\/acme\/app\/actions\/runs\/fail$/
    )
    expect(lines).toContain(
      `  ${short(forged)} (tests, claims pass): signature invalid (signature verification failed)`
    )
  })

  it('a genuine fail written after a genuine pass wins; a later pass promotes', async () => {
    const { pinned } = await image()
    const pass = await genuineRecord(pinned, 'pass', new Date(Date.now() - 60_000))
    const fail = await genuineRecord(pinned, 'fail', new Date())
    const lines = await refusal(await promote(pinned))
    expect(lines.find((l) => l.includes(short(fail)))).toMatch(/: not a passing decision$/)
    expect(lines.find((l) => l.includes(short(pass)))).toMatch(/: accepted, not the newest$/)

    await genuineRecord(pinned, 'pass', new Date(Date.now() + 1000))
    const promoted = await promote(pinned)
    expect(promoted.exitCode).toBe(0)
    expect(promoted.stdout).toContain(`${pinned} has passing evidence`)
    expect(await client.listTags(parseReference(`${registry.host}/acme/release`))).toContain(
      `v${n}`
    )
  })
})
