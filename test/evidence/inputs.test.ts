import { afterEach, describe, expect, it } from '@jest/globals'
import { setActionInputs } from '../../harness/action-runner.js'
import { pemKeyPair } from '../../harness/evidence-keys.js'
import { readSigning } from '../../src/evidence/index.js'

const KEYS = pemKeyPair()
const RUNNER = {
  ACTIONS_ID_TOKEN_REQUEST_URL: 'https://pipelines.example/token?api-version=2.0',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'request-token'
}
let restore: () => void = () => undefined
afterEach(() => restore())

function signing(inputs: Record<string, string>, env: Record<string, string> = {}) {
  restore = setActionInputs('canary-gate', inputs)
  return readSigning(env)
}

describe('readSigning (canary-gate and build-image)', () => {
  it('signs with signing-key when given, whatever the run can do', () => {
    expect(signing({ 'signing-key': KEYS.privateKey }, RUNNER)).toEqual({
      kind: 'key',
      privateKey: KEYS.privateKey.trim()
    })
  })

  it('goes keyless with the public-good Fulcio, TSA and Rekor when the job has id-token: write', () => {
    expect(signing({}, RUNNER)).toEqual({
      kind: 'keyless',
      fulcioUrl: 'https://fulcio.sigstore.dev',
      tsaUrl: 'https://timestamp.sigstore.dev/api/v1/timestamp',
      rekorUrl: 'https://rekor.sigstore.dev'
    })
    expect(signing({ 'rekor-url': '' }, { SIGSTORE_ID_TOKEN: 'eyJ…' })).toMatchObject({
      kind: 'keyless',
      rekorUrl: ''
    })
  })

  it('has no way to sign without a key and a token, or with fulcio-url empty', () => {
    expect(signing({}, {})).toBeUndefined()
    expect(signing({ 'fulcio-url': '' }, RUNNER)).toBeUndefined()
  })

  it.each<[Record<string, string>, string]>([
    [
      { 'tsa-url': '', 'rekor-url': '' },
      "Input 'tsa-url' is ''; expected a timestamp authority or a `rekor-url` for keyless signing"
    ],
    [
      { 'tsa-url': 'ftp://tsa' },
      "Input 'tsa-url' is 'ftp://tsa'; expected an http:// or https:// URL"
    ],
    [
      { 'signing-key': KEYS.publicKey },
      "Input 'signing-key' is '***'; expected a PEM EC P-256 private key, unencrypted; it is not a PEM private key"
    ]
  ])('refuses %j', (inputs, message) => {
    expect(() => signing(inputs, RUNNER)).toThrow(message)
  })
})
