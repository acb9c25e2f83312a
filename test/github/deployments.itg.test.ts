import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  GitHubError,
  parseGitHubContext,
  startDeployment,
  type DeploymentOptions
} from '../../src/github/index.js'
import { startGitHubApi, type GitHubApi } from '../../harness/github-api.js'
import { freePort } from '../../harness/ports.js'
import { stdoutLines } from '../../harness/stdout.js'

const SHA = '0123456789abcdef0123456789abcdef01234567'
const FAST = { attempts: 3, baseDelayMs: 1, maxDelayMs: 10 }
let api: GitHubApi

beforeAll(async () => {
  api = await startGitHubApi()
})
afterAll(() => api?.stop())

/** Options as the action builds them: repository, commit and run page from the Actions context. */
function options(repository: string, more: Partial<DeploymentOptions> = {}): DeploymentOptions {
  const context = parseGitHubContext(
    {
      GITHUB_EVENT_NAME: 'push',
      GITHUB_REPOSITORY: repository,
      GITHUB_SHA: SHA,
      GITHUB_RUN_ID: '77',
      GITHUB_SERVER_URL: 'https://github.com'
    },
    {}
  )
  return {
    token: api.token,
    apiUrl: api.url,
    repository: context.repository,
    ref: context.sha,
    environment: 'dev',
    transient: false,
    production: false,
    logUrl: context.runUrl,
    retry: FAST,
    ...more
  }
}

function states(id: number): string[] {
  return api.statuses(id).map((s) => s.state)
}

describe('startDeployment', () => {
  it('creates the deployment ungated and reports in_progress, then success with the URLs', async () => {
    // A pending commit status would make GitHub refuse a deployment that checks all contexts.
    await fetch(`${api.url}/repos/octo/app/statuses/${SHA}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${api.token}` },
      body: JSON.stringify({ state: 'pending', context: 'integration' })
    })
    const deployment = await startDeployment(
      options('octo/app', { description: 'web@sha256:abc', payload: { digest: 'sha256:abc' } })
    )
    const created = api.requests.find(
      (r) => r.method === 'POST' && r.path === '/repos/octo/app/deployments'
    )
    expect(created?.body).toEqual({
      ref: SHA,
      task: 'deploy',
      auto_merge: false,
      required_contexts: [],
      environment: 'dev',
      description: 'web@sha256:abc',
      transient_environment: false,
      production_environment: false,
      payload: { digest: 'sha256:abc' }
    })
    expect(deployment.url).toBe(`${api.url}/repos/octo/app/deployments/${deployment.id}`)
    expect(api.statuses(deployment.id)).toEqual([
      expect.objectContaining({
        state: 'in_progress',
        log_url: 'https://github.com/octo/app/actions/runs/77',
        environment_url: ''
      })
    ])
    await deployment.status('success', { environmentUrl: 'https://dev.example' })
    const [success] = api.statuses(deployment.id)
    expect(success).toMatchObject({
      state: 'success',
      environment_url: 'https://dev.example',
      log_url: 'https://github.com/octo/app/actions/runs/77'
    })
    expect(states(deployment.id)).toEqual(['success', 'in_progress'])
  })

  it('reports a failed deploy with its description', async () => {
    const deployment = await startDeployment(options('octo/app'))
    await deployment.status('failure', { description: 'rollout timed out; rolled back' })
    expect(states(deployment.id)).toEqual(['failure', 'in_progress'])
    expect(api.statuses(deployment.id)[0]?.description).toBe('rollout timed out; rolled back')
  })

  it('leaves making earlier deployments inactive to GitHub for a lasting environment', async () => {
    const first = await startDeployment(options('octo/lasting'))
    await first.status('success')
    const before = api.requests.length
    const second = await startDeployment(options('octo/lasting'))
    await second.status('success')
    expect(states(first.id)).toEqual(['inactive', 'success', 'in_progress'])
    const ours = api.requests.slice(before)
    expect(ours.filter((r) => r.method === 'GET')).toEqual([])
    expect(ours.map((r) => (r.body as { state?: string }).state)).toEqual([
      undefined,
      'in_progress',
      'success'
    ])
  })

  it('makes earlier successful deployments of a transient environment inactive itself', async () => {
    const env = { environment: 'pr-7', transient: true }
    const good = await startDeployment(options('octo/preview', env))
    await good.status('success')
    const bad = await startDeployment(options('octo/preview', env))
    await bad.status('failure')
    const elsewhere = await startDeployment(
      options('octo/preview', { environment: 'pr-8', transient: true })
    )
    await elsewhere.status('success')
    const latest = await startDeployment(options('octo/preview', env))
    await latest.status('success')
    expect(states(good.id)).toEqual(['inactive', 'success', 'in_progress'])
    expect(api.statuses(good.id)[0]?.description).toBe(`Superseded by deployment ${latest.id}`)
    expect(states(bad.id)).toEqual(['failure', 'in_progress'])
    expect(states(elsewhere.id)).toEqual(['success', 'in_progress'])
    expect(states(latest.id)).toEqual(['success', 'in_progress'])
  })

  it('makes earlier deployments of a production environment inactive, which GitHub skips', async () => {
    const env = { environment: 'prod', production: true }
    const first = await startDeployment(options('octo/prod', env))
    await first.status('success')
    const second = await startDeployment(options('octo/prod', env))
    await second.status('success')
    expect(states(first.id)).toEqual(['inactive', 'success', 'in_progress'])
  })

  it('says the success was recorded when making earlier deployments inactive fails', async () => {
    const env = { environment: 'pr-9', transient: true }
    await (await startDeployment(options('octo/preview', env))).status('success')
    const latest = await startDeployment(options('octo/preview', env))
    api.failNext(403, 1, { method: 'GET', path: /\/deployments$/ })
    await expect(latest.status('success')).rejects.toThrow(
      `Deployment ${latest.id} is recorded as success, but not the earlier ones as inactive: ` +
        `GitHub API ${new URL(api.url).host}: GET deployments octo/preview failed (HTTP 403)`
    )
    expect(states(latest.id)).toEqual(['success', 'in_progress'])
  })

  it('masks the token before it logs anything', async () => {
    const lines = await stdoutLines(() => startDeployment(options('octo/app')))
    expect(lines[0]).toBe(`::add-mask::${api.token}`)
    expect(lines.slice(1).join('\n')).not.toContain(api.token)
    expect(lines.some((l) => l.includes('in_progress'))).toBe(true)
  })

  it('names the server, the operation and the status of a refused token, without the token', async () => {
    const before = api.requests.length
    const token = 'ghp_wrongwrongwrongwrongwrongwrong0000'
    const error = await startDeployment(options('octo/app', { token })).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(GitHubError)
    expect(error).toMatchObject({ status: 401, operation: 'POST deployments octo/app' })
    const { message } = error as GitHubError
    expect(message).toBe(
      `GitHub API ${new URL(api.url).host}: POST deployments octo/app failed (HTTP 401): Bad credentials`
    )
    expect(message).not.toContain(token)
    expect(api.requests.length - before).toBe(1)
  })

  it('says which permission the token lacks when GitHub answers 403', async () => {
    api.failNext(403, 1, { body: { message: 'Resource not accessible by integration' } })
    await expect(startDeployment(options('octo/app'))).rejects.toThrow(
      "(HTTP 403): Resource not accessible by integration; the token needs the 'deployments: write' permission on octo/app"
    )
  })

  it('retries 502 and 429, waiting as Retry-After says', async () => {
    const waits: number[] = []
    const retry = { ...FAST, maxDelayMs: 10_000, sleep: async (ms: number) => void waits.push(ms) }
    api.failNext(502)
    api.failNext(429, 1, { headers: { 'retry-after': '2' } })
    const before = api.requests.length
    const deployment = await startDeployment(options('octo/retry', { retry }))
    expect(api.requests.slice(before).map((r) => r.status)).toEqual([502, 429, 201, 201])
    expect(waits[1]).toBe(2000)
    expect(states(deployment.id)).toEqual(['in_progress'])
  })

  it('gives up after the attempts with the last status', async () => {
    api.failNext(503, FAST.attempts)
    await expect(startDeployment(options('octo/retry'))).rejects.toThrow(
      'POST deployments octo/retry failed (HTTP 503)'
    )
  })

  it('names an unreachable server', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`
    await expect(startDeployment(options('octo/app', { apiUrl: closed }))).rejects.toThrow(
      new RegExp(
        `^GitHub API ${new URL(closed).host}: POST deployments octo/app failed: .*ECONNREFUSED`
      )
    )
  })

  it('cuts descriptions to GitHub’s 140 characters', async () => {
    const long = 'ä'.repeat(200)
    const deployment = await startDeployment(options('octo/app', { description: long }))
    await deployment.status('failure', { description: `${'🚀'.repeat(150)}` })
    const stored = api.deployments.find((d) => d.id === deployment.id)
    expect(stored?.description).toBe('ä'.repeat(139) + '…')
    expect(api.statuses(deployment.id)[0]?.description).toBe('🚀'.repeat(139) + '…')
  })

  it('refuses a repository that is not owner/name before calling GitHub', async () => {
    const before = api.requests.length
    await expect(startDeployment(options('octo'))).rejects.toThrow(
      "The repository 'octo' is not of the form owner/name"
    )
    expect(api.requests.length).toBe(before)
  })
})
