import { generateKeyPairSync } from 'node:crypto'
import { inspectEvidence, type SeenEvidence, type TrustPolicy } from '../src/evidence/index.js'
import { parseReference, type RegistryClient } from '../src/registry/index.js'

/** A PEM EC P-256 key pair, as `signing-key` and `evidence-key` take them. */
export interface PemKeyPair {
  readonly privateKey: string
  readonly publicKey: string
}

/** A fresh EC P-256 key pair. */
export function pemKeyPair(): PemKeyPair {
  return generateKeyPairSync('ec', {
    namedCurve: 'P-256',
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' }
  })
}

/** The evidence on `pinned` that verifies under `trust`, as `kind=decision` strings, oldest first. */
export async function acceptedEvidence(
  client: RegistryClient,
  pinned: string,
  trust: TrustPolicy
): Promise<(SeenEvidence & { label: string })[]> {
  const seen = await inspectEvidence(client, parseReference(pinned), trust)
  return seen
    .filter((s) => s.record !== undefined)
    .sort((a, b) => (a.time ?? '').localeCompare(b.time ?? ''))
    .map((s) => ({ ...s, label: `${s.kind}=${s.record?.decision}` }))
}
