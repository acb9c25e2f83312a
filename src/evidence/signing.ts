/**
 * Signs an in-toto statement into a Sigstore bundle v0.3 (a DSSE envelope with the key or Fulcio
 * certificate and the witnesses' timestamps) with @sigstore/sign, loaded on first use.
 */
import * as core from '@actions/core'
import { createPublicKey, sign } from 'node:crypto'
import { checkPrivateKey, type SigningConfig } from './keys.js'
import { IN_TOTO_PAYLOAD_TYPE, type Statement } from './statement.js'

/** Signing failed: names the service and what it said. */
export class SigningError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'SigningError'
  }
}

/** The Sigstore bundle (JSON) of `statement` signed as `config` says. */
export async function signStatement(
  statement: Statement,
  config: SigningConfig
): Promise<Record<string, unknown>> {
  const { DSSEBundleBuilder, FulcioSigner, CIContextProvider, TSAWitness, RekorWitness } =
    await import('@sigstore/sign')
  const { bundleToJSON } = await import('@sigstore/bundle')
  const data = Buffer.from(JSON.stringify(statement))
  if (config.kind === 'key') {
    const key = checkPrivateKey(config.privateKey)
    const publicKey = createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString()
    const signer = {
      // The DSSE keyid stays empty: with one, cosign's --key verification finds no signature.
      sign: async (bytes: Buffer) => ({
        signature: sign('sha256', bytes, key),
        key: { $case: 'publicKey' as const, publicKey, hint: '' }
      })
    }
    const bundle = await new DSSEBundleBuilder({ signer, witnesses: [] }).create({
      data,
      type: IN_TOTO_PAYLOAD_TYPE
    })
    return bundleToJSON(bundle) as Record<string, unknown>
  }
  const ci = new CIContextProvider('sigstore')
  const identityProvider = {
    getToken: async (): Promise<string> => {
      const token = await ci.getToken().catch((error: unknown) => {
        throw new SigningError(`no OIDC token for keyless signing: ${String(error)}`)
      })
      core.setSecret(token)
      return token
    }
  }
  const witnesses = [
    ...(config.tsaUrl ? [new TSAWitness({ tsaBaseURL: config.tsaUrl, retry: 2 })] : []),
    ...(config.rekorUrl ? [new RekorWitness({ rekorBaseURL: config.rekorUrl, retry: 2 })] : [])
  ]
  const signer = new FulcioSigner({
    identityProvider,
    fulcioBaseURL: config.fulcioUrl,
    retry: 2
  })
  try {
    const bundle = await new DSSEBundleBuilder({ signer, witnesses }).create({
      data,
      type: IN_TOTO_PAYLOAD_TYPE
    })
    return bundleToJSON(bundle) as Record<string, unknown>
  } catch (error) {
    if (error instanceof SigningError) throw error
    const where = [
      `Fulcio ${config.fulcioUrl}`,
      ...(config.tsaUrl ? [`TSA ${config.tsaUrl}`] : []),
      ...(config.rekorUrl ? [`Rekor ${config.rekorUrl}`] : [])
    ].join(', ')
    const cause = (error as { cause?: unknown }).cause
    throw new SigningError(
      `keyless signing failed (${where}): ${(error as Error).message}${cause ? `: ${String((cause as Error).message ?? cause)}` : ''}`
    )
  }
}
