/**
 * How evidence is signed and whose signatures are trusted, as plain data that action inputs can
 * build and check with node:crypto alone (the Sigstore libraries load only when something is signed
 * or verified: signing.ts, verifying.ts).
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto'

/** GitHub Actions' OIDC token issuer: the default issuer of keyless evidence. */
export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com'
/** The public-good Sigstore instance. */
export const PUBLIC_GOOD = {
  fulcio: 'https://fulcio.sigstore.dev',
  rekor: 'https://rekor.sigstore.dev',
  tsa: 'https://timestamp.sigstore.dev/api/v1/timestamp'
} as const

/** How to sign: a key (PEM, EC P-256), or keyless with the run's OIDC identity. */
export type SigningConfig =
  | { readonly kind: 'key'; readonly privateKey: string }
  | {
      readonly kind: 'keyless'
      readonly fulcioUrl: string
      /** Witnesses: a timestamp authority and/or Rekor; empty strings leave one out. */
      readonly tsaUrl: string
      readonly rekorUrl: string
    }

/** Whose signatures are trusted. */
export type TrustPolicy =
  | { readonly kind: 'key'; readonly publicKey: string }
  | {
      readonly kind: 'keyless'
      /** A regular expression the certificate's SAN (the signing workflow) must match. */
      readonly identity: RegExp
      readonly issuer: string
      /** When set, Fulcio's source repository URI extension must equal it. */
      readonly repository?: string
      /** Where the Sigstore trusted root comes from. */
      readonly trustedRoot: TrustedRootSource
    }

/** The public-good Sigstore TUF repository, whose root @sigstore/tuf carries as its seed. */
export const PUBLIC_GOOD_TUF = 'https://tuf-repo-cdn.sigstore.dev'

/**
 * A Sigstore trusted root: a JSON document given as a file, or the current one of a TUF repository
 * (the public-good one by default), fetched and checked against the repository's signed metadata.
 */
export type TrustedRootSource =
  | { readonly kind: 'json'; readonly root: unknown }
  | {
      readonly kind: 'tuf'
      readonly mirrorUrl: string
      /** The repository's first root.json (not needed for the public-good repository). */
      readonly rootPath?: string
    }

/** A key that cannot be used, with why; the key itself never appears in the message. */
export class KeyError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'KeyError'
  }
}

function isP256(key: KeyObject): boolean {
  return key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1'
}

/** Checks a PEM private key (PKCS#8 or SEC1, unencrypted, EC P-256); returns it. */
export function checkPrivateKey(pem: string): KeyObject {
  let key: KeyObject
  try {
    key = createPrivateKey(pem)
  } catch {
    throw new KeyError('not a PEM private key (unencrypted PKCS#8 or SEC 1)')
  }
  if (!isP256(key)) throw new KeyError(`a ${key.asymmetricKeyType ?? '?'} key, not EC P-256`)
  return key
}

/** Checks a PEM public key (SPKI, EC P-256); returns it. */
export function checkPublicKey(pem: string): KeyObject {
  let key: KeyObject
  try {
    key = createPublicKey(pem)
  } catch {
    throw new KeyError('not a PEM public key')
  }
  if (!isP256(key)) throw new KeyError(`a ${key.asymmetricKeyType ?? '?'} key, not EC P-256`)
  return key
}
