import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseGitHubContext, readGitHubContext, runContext } from '../../src/github/index.js'
import { fixtureEnv } from './event-fixtures.js'

const REPO_URL = 'https://github.com/octo-org/inventory-api'

describe('readGitHubContext', () => {
  it.each([
    [
      'push-main',
      {
        eventName: 'push',
        sha: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
        ref: 'refs/heads/main',
        refName: 'main',
        refType: 'branch',
        defaultBranch: 'main',
        repositoryUrl: REPO_URL
      }
    ],
    [
      'push-feature',
      { refName: 'feature/x', refType: 'branch', prNumber: undefined, headRef: undefined }
    ],
    [
      'pull-request-42',
      {
        eventName: 'pull_request',
        sha: '0123456789abcdef0123456789abcdef01234567',
        ref: 'refs/pull/42/merge',
        refName: '42/merge',
        refType: 'pull',
        prNumber: 42,
        headRef: 'feature/x',
        baseRef: 'main'
      }
    ],
    ['tag-v1.2.3', { refName: 'v1.2.3', refType: 'tag' }],
    ['tag-v2.0.0-rc.1', { refName: 'v2.0.0-rc.1', refType: 'tag' }],
    [
      'schedule',
      {
        eventName: 'schedule',
        refName: 'main',
        defaultBranch: undefined,
        repositoryUrl: REPO_URL,
        description: undefined,
        license: undefined
      }
    ],
    ['workflow-dispatch', { eventName: 'workflow_dispatch', refName: 'release/1.x' }]
  ])('reads the %s fixture', (name, expected) => {
    expect(readGitHubContext(fixtureEnv(name))).toMatchObject(expected)
  })

  it('reads the repository, run and payload fields', () => {
    const context = readGitHubContext(fixtureEnv('push-main'))
    expect({ ...context, payload: Object.keys(context.payload) }).toEqual({
      eventName: 'push',
      sha: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
      ref: 'refs/heads/main',
      refName: 'main',
      refType: 'branch',
      headRef: undefined,
      baseRef: undefined,
      prNumber: undefined,
      repository: 'octo-org/inventory-api',
      serverUrl: 'https://github.com',
      runId: '9876543210',
      runUrl: 'https://github.com/octo-org/inventory-api/actions/runs/9876543210',
      apiUrl: 'https://api.github.com',
      defaultBranch: 'main',
      repositoryUrl: REPO_URL,
      description: 'Stock levels for the warehouse',
      license: 'Apache-2.0',
      actor: 'octocat',
      payload: ['ref', 'before', 'after', 'repository', 'sender']
    })
  })

  it('names the event file it cannot read', () => {
    const env = { ...fixtureEnv('push-main'), GITHUB_EVENT_PATH: '/nonexistent/event.json' }
    expect(() => readGitHubContext(env)).toThrow(/GITHUB_EVENT_PATH=\/nonexistent\/event.json/)
  })

  it('names an event file that is not JSON', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'rollout-kit-event-')), 'event.json')
    writeFileSync(path, '{ not json')
    const env = { ...fixtureEnv('push-main'), GITHUB_EVENT_PATH: path }
    expect(() => readGitHubContext(env)).toThrow(`The event payload at ${path} is not JSON`)
  })
})

describe('parseGitHubContext', () => {
  const base = {
    GITHUB_EVENT_NAME: 'push',
    GITHUB_REPOSITORY: 'o/r',
    GITHUB_SHA: 'A1B2C3D4E5F60718293A4B5C6D7E8F9012345678',
    GITHUB_REF: 'refs/heads/main'
  }

  it('treats pull_request_target as the pull request, not the base branch', () => {
    const env = { ...base, GITHUB_EVENT_NAME: 'pull_request_target', GITHUB_REF_NAME: 'main' }
    const payload = { number: 7, pull_request: { number: 7, head: { sha: 'b'.repeat(40) } } }
    expect(parseGitHubContext(env, payload)).toMatchObject({
      ref: 'refs/pull/7/merge',
      refName: '7/merge',
      refType: 'pull',
      prNumber: 7,
      sha: 'b'.repeat(40)
    })
  })

  it.each([
    [{ GITHUB_SERVER_URL: 'https://ghe.example.com/' }, 'https://ghe.example.com/o/r'],
    [{}, 'https://github.com/o/r']
  ])('falls back to the server and repository for the web page (%j)', (extra, url) => {
    expect(parseGitHubContext({ ...base, ...extra }, {}).repositoryUrl).toBe(url)
  })

  it('lower-cases the sha and derives the ref name when GITHUB_REF_NAME is missing', () => {
    expect(parseGitHubContext(base, null)).toMatchObject({
      sha: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
      refName: 'main'
    })
  })

  it('leaves out a NOASSERTION licence', () => {
    const payload = { repository: { license: { spdx_id: 'NOASSERTION' } } }
    expect(parseGitHubContext(base, payload).license).toBeUndefined()
  })

  it.each([
    ['GITHUB_EVENT_NAME', { ...base, GITHUB_EVENT_NAME: '' }],
    ['GITHUB_REPOSITORY', { ...base, GITHUB_REPOSITORY: undefined }],
    ['GITHUB_SHA', { ...base, GITHUB_SHA: undefined }]
  ])('refuses a context without %s', (name, env) => {
    expect(() => parseGitHubContext(env, {})).toThrow(`${name} is not set`)
  })

  it('refuses a sha that is not 40 hex digits', () => {
    expect(() => parseGitHubContext({ ...base, GITHUB_SHA: 'abc123' }, {})).toThrow(
      "The commit 'abc123' is not a 40-digit hexadecimal git sha"
    )
  })
})

describe('runContext', () => {
  it('is blank outside a workflow run, whichever variable is missing', () => {
    const blank = { sha: '', repository: '', runId: '', runUrl: '', apiUrl: '' }
    const env = fixtureEnv('pull-request-42')
    expect(runContext({})).toEqual(blank)
    for (const name of ['GITHUB_REPOSITORY', 'GITHUB_SHA', 'GITHUB_EVENT_NAME']) {
      expect(runContext({ ...env, [name]: undefined })).toEqual(blank)
    }
  })

  it('reports to the pull request head commit and links the run inside one', () => {
    const context = runContext(fixtureEnv('pull-request-42'))
    expect(context.repository).toBe('octo-org/inventory-api')
    expect(context.sha).not.toBe('f00dfacef00dfacef00dfacef00dfacef00dface')
    expect(context.sha).toMatch(/^[0-9a-f]{40}$/)
    expect(context.runUrl).toBe('https://github.com/octo-org/inventory-api/actions/runs/9876543210')
    expect(context.apiUrl).toBe('https://api.github.com')
  })
})
