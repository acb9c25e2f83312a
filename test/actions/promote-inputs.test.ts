import { afterEach, describe, expect, it } from '@jest/globals'
import { setActionInputs } from '../../harness/action-runner.js'
import { pemKeyPair } from '../../harness/evidence-keys.js'
import { readInputs, type ReleaseInputs } from '../../src/actions/promote/inputs.js'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const DIGEST = `sha256:${'b'.repeat(64)}`
const KEYS = pemKeyPair()
let restore: () => void = () => undefined
afterEach(() => restore())

function inputs(values: Record<string, string>) {
  restore = setActionInputs('promote', {
    source: `internal.example/acme/app@${DIGEST}`,
    destination: 'ghcr.io/acme/app',
    ...values
  })
  return readInputs() as ReleaseInputs
}

describe('promote inputs', () => {
  it('reads a release with the defaults of action.yml', () => {
    expect(
      inputs({
        tags: '1.2.3\nlatest',
        'require-evidence': 'tests, analysis',
        'evidence-key': KEYS.publicKey
      })
    ).toEqual({
      stage: 'release',
      source: { registry: 'internal.example', repository: 'acme/app', digest: DIGEST },
      destination: { registry: 'ghcr.io', repository: 'acme/app' },
      tags: ['1.2.3', 'latest'],
      requireEvidence: ['tests', 'analysis'],
      trust: { kind: 'key', publicKey: KEYS.publicKey.trim() },
      dryRun: false,
      sourceCredentials: undefined,
      destinationCredentials: undefined,
      insecureRegistries: [],
      timeoutMs: 600_000
    })
  })

  it('bounds a release by its timeout too', () => {
    expect(inputs({ timeout: '90s' }).timeoutMs).toBe(90_000)
  })

  it('takes a source by tag and credentials for each side', () => {
    const parsed = inputs({
      source: 'internal.example/acme/app:sha-1a2b3c4',
      'source-username': 'oauth2accesstoken',
      'source-password': 'ya29.token',
      'destination-username': 'bot',
      'destination-password': 'ghp_secret'
    })
    expect(parsed.source).toEqual({
      registry: 'internal.example',
      repository: 'acme/app',
      tag: 'sha-1a2b3c4'
    })
    expect(parsed.sourceCredentials).toEqual({
      username: 'oauth2accesstoken',
      password: 'ya29.token'
    })
    expect(parsed.destinationCredentials).toEqual({ username: 'bot', password: 'ghp_secret' })
  })

  it.each([
    [
      { stage: 'canry' },
      "Input 'stage' is 'canry'; expected one of: release, verify, canary, production, rollback, finalize"
    ],
    [
      { source: 'internal.example/acme/app' },
      "Input 'source' is 'internal.example/acme/app'; expected an image with a digest"
    ],
    [
      { source: 'internal.example/Acme/app:1' },
      "Input 'source' is 'internal.example/Acme/app:1'; expected an image reference"
    ],
    [
      { destination: 'ghcr.io/acme/app:1.0' },
      "Input 'destination' is 'ghcr.io/acme/app:1.0'; expected a repository without tag or digest"
    ],
    [
      { destination: 'internal.example/acme/app' },
      "Input 'destination' is 'internal.example/acme/app'; expected a repository other than the source's"
    ],
    [{ tags: 'ok\n-bad' }, "Input 'tags' is '-bad'; expected tag names"],
    [
      { 'require-evidence': 'Tests' },
      "Input 'require-evidence' is 'Tests'; expected evidence kinds"
    ],
    [{ 'dry-run': 'maybe' }, "Input 'dry-run' is 'maybe'; expected true or false"],
    [
      { 'destination-username': 'bot' },
      "Input 'destination-password' is ''; expected a value when destination-username is set"
    ],
    [
      { 'source-password': 'x' },
      "Input 'source-username' is ''; expected a value when source-password is set"
    ]
  ])('refuses %j', (values, message) => {
    expect(() => inputs(values)).toThrow(message)
  })
})

describe('promote evidence trust inputs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'promote-trust-'))
  const keyFile = join(dir, 'cosign.pub')
  writeFileSync(keyFile, KEYS.publicKey)
  const rootFile = join(dir, 'trusted-root.json')
  writeFileSync(
    rootFile,
    JSON.stringify({ certificateAuthorities: [], timestampAuthorities: [], tlogs: [], ctlogs: [] })
  )

  it('reads evidence-key from a file, and a keyless identity with the GitHub issuer by default', () => {
    expect(inputs({ 'require-evidence': 'tests', 'evidence-key': keyFile }).trust).toEqual({
      kind: 'key',
      publicKey: KEYS.publicKey.trim()
    })
    expect(
      inputs({
        'require-evidence': 'tests',
        'evidence-identity': '^https://github\\.com/acme/app/',
        'evidence-repository': 'acme/app',
        'trusted-root': rootFile
      }).trust
    ).toEqual({
      kind: 'keyless',
      identity: /^https:\/\/github\.com\/acme\/app\//,
      issuer: 'https://token.actions.githubusercontent.com',
      repository: 'https://github.com/acme/app',
      trustedRoot: {
        kind: 'json',
        root: { certificateAuthorities: [], timestampAuthorities: [], tlogs: [], ctlogs: [] }
      }
    })
  })

  it('takes the trusted root from the public-good TUF repository when no file is given', () => {
    const keyless = { 'require-evidence': 'tests', 'evidence-identity': '^https://github\\.com/' }
    expect(inputs(keyless).trust).toMatchObject({
      trustedRoot: { kind: 'tuf', mirrorUrl: 'https://tuf-repo-cdn.sigstore.dev' }
    })
    expect(
      inputs({ ...keyless, 'tuf-mirror-url': 'https://tuf.example/', 'tuf-root': rootFile }).trust
    ).toMatchObject({
      trustedRoot: { kind: 'tuf', mirrorUrl: 'https://tuf.example', rootPath: rootFile }
    })
  })

  it.each<[Record<string, string>, string]>([
    [{}, "Input 'evidence-key' is ''; expected a PEM public key, or `evidence-identity`"],
    [
      { 'evidence-key': KEYS.privateKey.replace('PRIVATE', 'PUBLIC') },
      "Input 'evidence-key' is '-----BEGIN PUBLIC KEY-----"
    ],
    [
      { 'evidence-key': '/no/such/key.pub' },
      "Input 'evidence-key' is '/no/such/key.pub'; expected a PEM public key, or the path"
    ],
    [
      { 'evidence-identity': '(' },
      "Input 'evidence-identity' is '('; expected a regular expression"
    ],
    [
      { 'evidence-identity': '.*', 'trusted-root': '/no/such/root.json' },
      "Input 'trusted-root' is '/no/such/root.json'; expected a Sigstore trusted root JSON file"
    ],
    [
      { 'evidence-identity': '.*', 'tuf-mirror-url': 'https://tuf.example' },
      "Input 'tuf-root' is ''; expected the path of https://tuf.example's first root.json"
    ],
    [
      { 'evidence-identity': '.*', 'tuf-mirror-url': 'ftp://tuf.example' },
      "Input 'tuf-mirror-url' is 'ftp://tuf.example'"
    ],
    [
      { 'evidence-identity': '.*', 'tuf-root': '/no/such/1.root.json' },
      "Input 'tuf-root' is '/no/such/1.root.json'; expected the path of the TUF repository's root.json"
    ],
    [
      { 'evidence-identity': '.*', 'evidence-key': KEYS.publicKey },
      "Input 'evidence-identity' is '.*'; expected empty when evidence-key is given"
    ]
  ])('refuses %j', (values, message) => {
    expect(() => inputs({ 'require-evidence': 'tests', ...values })).toThrow(message)
  })

  it('asks for no signer when no evidence is required', () => {
    expect(inputs({}).trust).toBeUndefined()
  })
})
