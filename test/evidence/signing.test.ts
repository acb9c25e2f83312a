import { describe, expect, it } from '@jest/globals'
import { generateKeyPairSync } from 'node:crypto'
import { evidenceStatement, type EvidenceRecord } from '../../src/evidence/index.js'
import { signStatement } from '../../src/evidence/signing.js'
import { verifyBundle } from '../../src/evidence/verifying.js'

const DIGEST = `sha256:${'a'.repeat(64)}` as const
const RECORD: EvidenceRecord = {
  kind: 'tests',
  decision: 'pass',
  image: `127.0.0.1:5000/acme/app@${DIGEST}`,
  digest: DIGEST,
  createdAt: '2026-11-26T10:00:00.000Z'
}

function keyPair(): { privateKey: string; publicKey: string } {
  return generateKeyPairSync('ec', {
    namedCurve: 'P-256',
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' }
  })
}

type Bundle = { dsseEnvelope: { payload: string; signatures: { sig: string; keyid: string }[] } }

describe('key-based signing and verifying', () => {
  const ours = keyPair()
  const statement = evidenceStatement(RECORD)

  it('signs a statement into a v0.3 bundle with an empty keyid that verifies with the public key', async () => {
    const json = (await signStatement(statement, { kind: 'key', privateKey: ours.privateKey })) as {
      mediaType: string
    } & Bundle
    expect(json.mediaType).toBe('application/vnd.dev.sigstore.bundle.v0.3+json')
    expect(json.dsseEnvelope.signatures.map((s) => s.keyid ?? '')).toEqual([''])
    const verified = await verifyBundle(json, { kind: 'key', publicKey: ours.publicKey })
    expect(verified.statement).toEqual(statement)
    expect(verified.witnessedAt).toBeUndefined()
  })

  it('refuses a bundle signed by another key, a changed payload and an envelope without signature', async () => {
    const json = (await signStatement(statement, {
      kind: 'key',
      privateKey: ours.privateKey
    })) as unknown as Bundle
    const other = keyPair()
    await expect(
      verifyBundle(json, { kind: 'key', publicKey: other.publicKey })
    ).rejects.toMatchObject({
      reason: 'signature invalid'
    })
    const changed = JSON.parse(JSON.stringify(json)) as Bundle
    changed.dsseEnvelope.payload = Buffer.from(
      JSON.stringify(evidenceStatement({ ...RECORD, decision: 'fail' }))
    ).toString('base64')
    await expect(
      verifyBundle(changed, { kind: 'key', publicKey: ours.publicKey })
    ).rejects.toMatchObject({
      reason: 'signature invalid'
    })
    const unsigned = JSON.parse(JSON.stringify(json)) as Bundle
    unsigned.dsseEnvelope.signatures = []
    await expect(
      verifyBundle(unsigned, { kind: 'key', publicKey: ours.publicKey })
    ).rejects.toMatchObject({
      reason: 'unsigned'
    })
    await expect(
      verifyBundle(RECORD, { kind: 'key', publicKey: ours.publicKey })
    ).rejects.toMatchObject({
      reason: 'unsigned'
    })
  })
})
