import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { GitHubError, setCommitStatus, type CommitStatusOptions } from '../../src/github/index.js'
import { startGitHubApi, type GitHubApi } from '../../harness/github-api.js'
import { stdoutLines } from '../../harness/stdout.js'

const SHA = 'fedcba9876543210fedcba9876543210fedcba98'
const FAST = { attempts: 3, baseDelayMs: 1, maxDelayMs: 10 }
let api: GitHubApi

beforeAll(async () => {
  api = await startGitHubApi()
})
afterAll(() => api?.stop())

function options(more: Partial<CommitStatusOptions> = {}): CommitStatusOptions {
  return {
    token: api.token,
    apiUrl: api.url,
    repository: 'octo/app',
    sha: SHA,
    state: 'success',
    context: 'rollout-kit/canary-gate',
    retry: FAST,
    ...more
  }
}

describe('setCommitStatus', () => {
  it('records success with context, description and target URL', async () => {
    const sha = '1111111111111111111111111111111111111111'
    await setCommitStatus(
      options({
        sha,
        description: 'all 3 smoke checks passed',
        targetUrl: 'https://github.com/octo/app/actions/runs/77'
      })
    )
    const [status] = api.commitStatuses(sha)
    expect(status).toMatchObject({
      state: 'success',
      context: 'rollout-kit/canary-gate',
      description: 'all 3 smoke checks passed',
      target_url: 'https://github.com/octo/app/actions/runs/77'
    })
    expect(api.requests.at(-1)).toMatchObject({
      method: 'POST',
      path: `/repos/octo/app/statuses/${sha}`,
      status: 201
    })
  })

  it('records failure after pending, newest first, and cuts a long description to 140', async () => {
    const sha = '2222222222222222222222222222222222222222'
    await setCommitStatus(options({ sha, state: 'pending', description: 'checking' }))
    await setCommitStatus(options({ sha, state: 'failure', description: 'x'.repeat(300) }))
    const statuses = api.commitStatuses(sha)
    expect(statuses.map((s) => s.state)).toEqual(['failure', 'pending'])
    expect([...(statuses[0].description ?? '')]).toHaveLength(140)
    expect(statuses[0].description?.endsWith('…')).toBe(true)
    expect(statuses[0].target_url).toBeNull()
  })

  it('refuses a bad token with an error naming server, operation and status, not the token', async () => {
    const token = 'ghp_wrongwrongwrongwrong'
    let caught: unknown
    const out = await stdoutLines(() =>
      setCommitStatus(options({ token })).catch((error: unknown) => {
        caught = error
      })
    )
    expect(caught).toBeInstanceOf(GitHubError)
    const error = caught as GitHubError
    expect(error.status).toBe(401)
    expect(error.message).toBe(
      `GitHub API ${new URL(api.url).host}: POST statuses/${SHA} octo/app failed (HTTP 401): Bad credentials`
    )
    expect(error.message).not.toContain(token)
    // masked before any request: the runner hides it in every later log line
    expect(out).toContain(`::add-mask::${token}`)
  })

  it("names the 'statuses: write' permission when GitHub answers 403", async () => {
    api.failNext(403, 1, { path: /\/statuses\// })
    const error = await setCommitStatus(options()).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(GitHubError)
    expect((error as GitHubError).message).toContain(
      "(HTTP 403): Forbidden; the token needs the 'statuses: write' permission on octo/app"
    )
  })

  it('retries a 502 and then records the status', async () => {
    const sha = '3333333333333333333333333333333333333333'
    const before = api.requests.length
    api.failNext(502, 1, { path: /\/statuses\// })
    const out = await stdoutLines(() => setCommitStatus(options({ sha, state: 'error' })))
    expect(api.requests.slice(before).map((r) => r.status)).toEqual([502, 201])
    expect(api.commitStatuses(sha).map((s) => s.state)).toEqual(['error'])
    expect(out.some((line) => line.includes('HTTP 502; retry 1'))).toBe(true)
  })

  it('gives up after the policy’s attempts on repeated 503s', async () => {
    const sha = '4444444444444444444444444444444444444444'
    api.failNext(503, 3, { path: /\/statuses\// })
    const error = await setCommitStatus(options({ sha })).catch((e: unknown) => e)
    expect((error as GitHubError).status).toBe(503)
    expect(api.commitStatuses(sha)).toEqual([])
  })

  it('refuses a repository that is not owner/name before any request', async () => {
    const before = api.requests.length
    await expect(setCommitStatus(options({ repository: 'octo' }))).rejects.toThrow(
      "The repository 'octo' is not of the form owner/name"
    )
    expect(api.requests.length).toBe(before)
  })
})
