/**
 * The input parsers the actions share (src/action/inputs.ts, src/actions/shared/inputs.ts): each
 * accepts what it should and refuses the rest with one InputError naming the input, the value and
 * what is accepted.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { InputError } from '../../src/action/errors.js'
import { credentialPair, positiveDuration } from '../../src/action/inputs.js'
import { imageInput, referenceInput } from '../../src/actions/shared/inputs.js'

const set: string[] = []
function inputs(values: Record<string, string>): void {
  for (const [name, value] of Object.entries(values)) {
    const key = `INPUT_${name.toUpperCase()}`
    process.env[key] = value
    set.push(key)
  }
}
afterEach(() => {
  for (const key of set.splice(0)) delete process.env[key]
})

const DIGEST = `sha256:${'a'.repeat(64)}`

describe('positiveDuration', () => {
  it.each([
    ['', 600_000],
    ['90s', 90_000],
    ['1h30m', 5_400_000],
    ['250ms', 250]
  ])('reads %p as %p ms', (value, ms) => {
    inputs({ timeout: value })
    expect(positiveDuration('timeout', '10m')).toBe(ms)
  })

  it.each([
    ['0s', 'a duration above zero, such as 90s or 10m'],
    ['soon', 'a duration such as 90s, 10m or 1h30m'],
    ['121h', 'a duration at most 120h']
  ])('refuses %p', (value, accepted) => {
    inputs({ timeout: value })
    expect(() => positiveDuration('timeout', '10m')).toThrow(InputError)
    expect(() => positiveDuration('timeout', '10m')).toThrow(
      `Input 'timeout' is '${value}'; expected ${accepted}`
    )
  })
})

describe('credentialPair', () => {
  it('reads both or neither', () => {
    expect(credentialPair('source')).toBeUndefined()
    inputs({ 'source-username': 'ci', 'source-password': 's3cret' })
    expect(credentialPair('source')).toEqual({ username: 'ci', password: 's3cret' })
  })

  it.each([
    [
      { 'registry-username': 'ci' },
      "Input 'registry-password' is ''; expected a value when registry-username is set"
    ],
    [
      { 'registry-password': 'x' },
      "Input 'registry-username' is ''; expected a value when registry-password is set"
    ]
  ])('refuses half a pair: %p', (given, message) => {
    inputs(given)
    expect(() => credentialPair('registry')).toThrow(message)
  })
})

describe('referenceInput and imageInput', () => {
  it.each([
    ['ghcr.io/acme/web', { registry: 'ghcr.io', repository: 'acme/web' }],
    ['nginx:1.27', { registry: 'docker.io', repository: 'library/nginx', tag: '1.27' }],
    [
      `localhost:5000/web@${DIGEST}`,
      { registry: 'localhost:5000', repository: 'web', digest: DIGEST }
    ]
  ])('parses %p', (value, ref) => {
    expect(referenceInput('image', value, 'an image reference')).toMatchObject(ref)
  })

  it('refuses what is not a reference, naming the input, the value and what is accepted', () => {
    expect(() => referenceInput('image', 'Web:latest', 'a repository')).toThrow(
      /^Input 'image' is 'Web:latest'; expected a repository: /
    )
  })

  it('takes an image to act on only with a tag or a digest', () => {
    expect(imageInput('source', 'ghcr.io/acme/web:1.0')).toMatchObject({ tag: '1.0' })
    expect(() => imageInput('source', 'ghcr.io/acme/web')).toThrow(
      "Input 'source' is 'ghcr.io/acme/web'; expected an image with a digest (repo@sha256:…) or a tag"
    )
  })
})
