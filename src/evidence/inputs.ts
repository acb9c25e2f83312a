/**
 * The inputs that say how an action signs (canary-gate, build-image) and whose signatures it trusts
 * (promote), read and checked before anything runs; keys with node:crypto only, so that a bad input
 * fails without loading the Sigstore libraries.
 */
import * as core from '@actions/core'
import { existsSync, readFileSync } from 'node:fs'
import { InputError } from '../action/errors.js'
import * as input from '../action/inputs.js'
import {
  checkPrivateKey,
  checkPublicKey,
  GITHUB_ISSUER,
  KeyError,
  PUBLIC_GOOD_TUF,
  type TrustedRootSource,
  type SigningConfig,
  type TrustPolicy
} from './keys.js'

/** Why no signing is possible, for the one line an action says instead of writing evidence. */
export const NO_SIGNING =
  'no signing available: give `signing-key`, or grant `permissions: id-token: write` for keyless signing'

/**
 * `signing-key` (masked; a key), else keyless when the run can get an OIDC token and `fulcio-url`
 * is set; undefined when neither is possible.
 */
export function readSigning(env: NodeJS.ProcessEnv = process.env): SigningConfig | undefined {
  const privateKey = input.secret('signing-key')
  const fulcioUrl = input.httpUrl('fulcio-url') ?? ''
  const tsaUrl = input.httpUrl('tsa-url') ?? ''
  const rekorUrl = input.httpUrl('rekor-url') ?? ''
  if (privateKey) {
    // the runner masks a value as one string: each line of the key is masked on its own too
    for (const line of privateKey.split('\n')) {
      if (line.trim() && !line.startsWith('-----')) core.setSecret(line.trim())
    }
    try {
      checkPrivateKey(privateKey)
    } catch (error) {
      if (error instanceof KeyError)
        throw new InputError(
          'signing-key',
          '***',
          `a PEM EC P-256 private key, unencrypted; it is ${error.message}`
        )
      throw error
    }
    return { kind: 'key', privateKey }
  }
  const token =
    (env.ACTIONS_ID_TOKEN_REQUEST_URL && env.ACTIONS_ID_TOKEN_REQUEST_TOKEN) ||
    env.SIGSTORE_ID_TOKEN
  if (!token || !fulcioUrl) return undefined
  if (!tsaUrl && !rekorUrl) {
    throw new InputError(
      'tsa-url',
      '',
      'a timestamp authority or a `rekor-url` for keyless signing (a certificate lives ten minutes; a witness must say when it signed)'
    )
  }
  return { kind: 'keyless', fulcioUrl, tsaUrl, rekorUrl }
}

/** Reads a PEM input given as its content or as a file's path. */
function pemOrFile(name: string): string {
  const value = input.text(name)
  if (!value || value.startsWith('-----BEGIN')) return value
  if (!existsSync(value))
    throw new InputError(name, value, 'a PEM public key, or the path of a file holding one')
  return readFileSync(value, 'utf8').trim()
}

/**
 * Whose evidence is trusted: `evidence-key`, or keyless `evidence-identity` (a regular expression on
 * the certificate's SAN) with `evidence-issuer`, `evidence-repository` and `trusted-root`.
 */
export function readTrust(): TrustPolicy {
  const publicKey = pemOrFile('evidence-key')
  const identityText = input.text('evidence-identity')
  if (publicKey && identityText) {
    throw new InputError(
      'evidence-identity',
      identityText,
      'empty when evidence-key is given (one signer: a key, or a keyless identity)'
    )
  }
  if (publicKey) {
    try {
      checkPublicKey(publicKey)
    } catch (error) {
      if (error instanceof KeyError)
        throw new InputError(
          'evidence-key',
          input.text('evidence-key').slice(0, 40),
          `a PEM EC P-256 public key; it is ${error.message}`
        )
      throw error
    }
    return { kind: 'key', publicKey }
  }
  if (!identityText) {
    throw new InputError(
      'evidence-key',
      '',
      'a PEM public key, or `evidence-identity` (the signing workflow, e.g. ^https://github.com/<owner>/<repo>/\\.github/workflows/dev\\.yml@refs/heads/dev$), to verify `require-evidence` with'
    )
  }
  let identity: RegExp
  try {
    identity = new RegExp(identityText)
  } catch (error) {
    throw new InputError(
      'evidence-identity',
      identityText,
      `a regular expression: ${(error as Error).message}`
    )
  }
  const repositoryText = input.text('evidence-repository')
  const repository = repositoryText
    ? /^https?:\/\//.test(repositoryText)
      ? repositoryText
      : `https://github.com/${repositoryText}`
    : undefined
  return {
    kind: 'keyless',
    identity,
    issuer: input.text('evidence-issuer') || GITHUB_ISSUER,
    ...(repository ? { repository } : {}),
    trustedRoot: trustedRoot()
  }
}

/**
 * `trusted-root` (a trusted root JSON file), else the current root of the TUF repository at
 * `tuf-mirror-url` (default: the public-good one), checked against `tuf-root` (that repository's first
 * root.json; not needed for the public-good repository, whose root @sigstore/tuf carries).
 */
function trustedRoot(): TrustedRootSource {
  const path = input.text('trusted-root')
  if (!path) {
    const mirrorUrl = (input.httpUrl('tuf-mirror-url') ?? '') || PUBLIC_GOOD_TUF
    const rootPath = input.text('tuf-root')
    if (rootPath && !existsSync(rootPath)) {
      throw new InputError('tuf-root', rootPath, "the path of the TUF repository's root.json")
    }
    if (!rootPath && mirrorUrl.replace(/\/+$/, '') !== PUBLIC_GOOD_TUF) {
      throw new InputError(
        'tuf-root',
        '',
        `the path of ${mirrorUrl}'s first root.json (only ${PUBLIC_GOOD_TUF}'s is built in), or a \`trusted-root\` file instead`
      )
    }
    return {
      kind: 'tuf',
      mirrorUrl: mirrorUrl.replace(/\/+$/, ''),
      ...(rootPath ? { rootPath } : {})
    }
  }
  const accepted =
    'a Sigstore trusted root JSON file (e.g. from `cosign trusted-root create` or `gh attestation trusted-root`), or empty for the TUF repository at `tuf-mirror-url`'
  let root: unknown
  try {
    root = JSON.parse(readFileSync(path, 'utf8'))
  } catch (error) {
    throw new InputError('trusted-root', path, `${accepted}: ${(error as Error).message}`)
  }
  const r = root as Record<string, unknown> | null
  if (typeof r !== 'object' || r === null || !Array.isArray(r.certificateAuthorities)) {
    throw new InputError('trusted-root', path, `${accepted}: it has no certificateAuthorities`)
  }
  return { kind: 'json', root }
}
