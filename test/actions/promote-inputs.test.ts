import { afterEach, describe, expect, it } from '@jest/globals'
import { setActionInputs } from '../support/action-runner.js'
import { readInputs, type ReleaseInputs } from '../../src/actions/promote/inputs.js'

const DIGEST = `sha256:${'b'.repeat(64)}`
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
    expect(inputs({ tags: '1.2.3\nlatest', 'require-evidence': 'tests, analysis' })).toEqual({
      stage: 'release',
      source: { registry: 'internal.example', repository: 'acme/app', digest: DIGEST },
      destination: { registry: 'ghcr.io', repository: 'acme/app' },
      tags: ['1.2.3', 'latest'],
      requireEvidence: ['tests', 'analysis'],
      dryRun: false,
      sourceCredentials: undefined,
      destinationCredentials: undefined,
      insecureRegistries: []
    })
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
      "Input 'stage' is 'canry'; expected one of: release, canary, production, rollback, finalize"
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
