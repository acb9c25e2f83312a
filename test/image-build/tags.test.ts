import { describe, expect, it } from '@jest/globals'
import { parseGitHubContext } from '../../src/github/index.js'
import { defaultTagNames, isTag, resolveTags, sanitizeTag } from '../../src/image-build/index.js'

const SHA = 'abcdef0123456789abcdef0123456789abcdef01'

function context(eventName: string, ref: string, payload: object = {}) {
  const env = {
    GITHUB_EVENT_NAME: eventName,
    GITHUB_REF: ref,
    GITHUB_REPOSITORY: 'o/r',
    GITHUB_SHA: SHA
  }
  return parseGitHubContext(env, { repository: { default_branch: 'main' }, ...payload })
}

describe('sanitizeTag', () => {
  it.each([
    ['feature/x', 'feature-x'],
    ['feature//x y', 'feature-x-y'],
    ['deps/@types/node', 'deps-types-node'],
    ['.hidden', 'hidden'],
    ['-/lead', 'lead'],
    ['ümlaut', 'mlaut'],
    ['Release_1.x', 'Release_1.x'],
    ['a'.repeat(200), 'a'.repeat(128)],
    ['///', '']
  ])('%s → %s', (text, tag) => {
    expect(sanitizeTag(text)).toBe(tag)
    expect(isTag(tag)).toBe(tag !== '')
  })
})

describe('defaultTagNames', () => {
  it.each([
    ['push', 'refs/heads/main', ['main', 'sha-abcdef0', 'latest']],
    [
      'push',
      'refs/heads/dependabot/npm_and_yarn/semver-7.6',
      ['dependabot-npm_and_yarn-semver-7.6', 'sha-abcdef0']
    ],
    ['push', 'refs/tags/v1.2.3', ['1.2.3', '1.2', '1', 'sha-abcdef0', 'latest']],
    ['push', 'refs/tags/1.2.3', ['1.2.3', '1.2', '1', 'sha-abcdef0', 'latest']],
    ['push', 'refs/tags/v0.4.1', ['0.4.1', '0.4', 'sha-abcdef0', 'latest']],
    ['push', 'refs/tags/v2.0.0-rc.1', ['2.0.0-rc.1', 'sha-abcdef0']],
    ['push', 'refs/tags/v1.2.3+build.5', ['1.2.3', '1.2', '1', 'sha-abcdef0', 'latest']],
    ['push', 'refs/tags/release/2024-05', ['release-2024-05', 'sha-abcdef0', 'latest']],
    ['push', 'refs/tags/v1.2', ['v1.2', 'sha-abcdef0', 'latest']],
    ['release', 'refs/tags/v3.1.0', ['3.1.0', '3.1', '3', 'sha-abcdef0', 'latest']],
    ['schedule', 'refs/heads/main', ['nightly', 'sha-abcdef0']],
    ['workflow_dispatch', 'refs/heads/main', ['main', 'sha-abcdef0', 'latest']],
    ['workflow_dispatch', 'refs/heads/fix/x', ['fix-x', 'sha-abcdef0']],
    ['repository_dispatch', '', ['sha-abcdef0']]
  ])('%s on %s → %j', (eventName, ref, names) => {
    expect(defaultTagNames(context(eventName, ref))).toEqual(names)
  })

  it.each([
    ['pull_request', 'refs/pull/42/merge'],
    ['pull_request_target', 'refs/heads/main']
  ])('tags a %s by its number and head commit, never as a branch', (eventName, ref) => {
    const payload = { number: 42, pull_request: { number: 42, head: { sha: 'c'.repeat(40) } } }
    expect(defaultTagNames(context(eventName, ref, payload))).toEqual(['pr-42', 'sha-ccccccc'])
  })

  it('gives no latest when the default branch is unknown', () => {
    const env = {
      GITHUB_EVENT_NAME: 'push',
      GITHUB_REF: 'refs/heads/main',
      GITHUB_REPOSITORY: 'o/r',
      GITHUB_SHA: SHA
    }
    expect(defaultTagNames(parseGitHubContext(env, {}))).toEqual(['main', 'sha-abcdef0'])
  })
})

describe('resolveTags', () => {
  it.each([
    [
      ['v1', 'latest'],
      [
        { repository: 'reg.io/a/b', tag: 'v1' },
        { repository: 'reg.io/a/b', tag: 'latest' }
      ]
    ],
    [['localhost:5000/b:x'], [{ repository: 'localhost:5000/b', tag: 'x' }]],
    [['[::1]:5000/b:x'], [{ repository: '[::1]:5000/b', tag: 'x' }]],
    [['v1', 'reg.io/a/b:v1'], [{ repository: 'reg.io/a/b', tag: 'v1' }]],
    [[' padded '], [{ repository: 'reg.io/a/b', tag: 'padded' }]]
  ])('%j → %j', (entries, refs) => {
    expect(resolveTags('reg.io/a/b', entries)).toEqual(refs)
  })
})
