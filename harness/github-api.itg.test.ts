import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startGitHubApi, type GitHubApi } from './github-api.js'

const SHA = 'a84d88e7554fc1fa21bcbc4efae3c782a70d2b9d'
let api: GitHubApi

beforeAll(async () => {
  api = await startGitHubApi()
})
afterAll(() => api?.stop())

async function github(
  method: string,
  path: string,
  body?: unknown,
  authorization = `Bearer ${api.token}`
): Promise<{ status: number; body: Record<string, unknown>; link: string | null }> {
  const res = await fetch(`${api.url}${path}`, {
    method,
    headers: { authorization, accept: 'application/vnd.github+json' },
    body: body === undefined ? undefined : JSON.stringify(body)
  })
  return {
    status: res.status,
    body: (await res.json()) as Record<string, unknown>,
    link: res.headers.get('link')
  }
}

async function deploy(repo: string, fields: Record<string, unknown>): Promise<number> {
  const created = await github('POST', `/repos/${repo}/deployments`, { ref: SHA, ...fields })
  expect(created.status).toBe(201)
  return created.body.id as number
}

async function latestState(repo: string, id: number): Promise<string | undefined> {
  const list = await github('GET', `/repos/${repo}/deployments/${id}/statuses?per_page=1`)
  return (list.body as unknown as { state: string }[])[0]?.state
}

describe('GitHub API stand-in', () => {
  it('creates a deployment with the documented fields and defaults', async () => {
    const created = await github('POST', '/repos/octo/shapes/deployments', {
      ref: SHA,
      environment: 'dev',
      payload: { image: 'x@sha256:1' }
    })
    expect(created.status).toBe(201)
    const id = created.body.id as number
    expect(created.body).toEqual({
      url: `${api.url}/repos/octo/shapes/deployments/${id}`,
      id,
      node_id: Buffer.from(`010:Deployment${id}`).toString('base64'),
      sha: SHA,
      ref: SHA,
      task: 'deploy',
      payload: { image: 'x@sha256:1' },
      original_environment: 'dev',
      environment: 'dev',
      description: '',
      creator: expect.objectContaining({ login: 'github-actions[bot]', type: 'Bot' }),
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      updated_at: expect.any(String),
      statuses_url: `${api.url}/repos/octo/shapes/deployments/${id}/statuses`,
      repository_url: `${api.url}/repos/octo/shapes`,
      transient_environment: false,
      production_environment: false
    })
    const branch = await github('POST', '/repos/octo/shapes/deployments', { ref: 'main' })
    expect(branch.body).toMatchObject({
      ref: 'main',
      environment: 'production',
      production_environment: true
    })
    expect(branch.body.sha).toMatch(/^[0-9a-f]{40}$/)
    expect(branch.body.sha).not.toBe(SHA)
  })

  it('answers a deployment status with log_url copied to target_url', async () => {
    const id = await deploy('octo/shapes', { environment: 'qa' })
    const status = await github('POST', `/repos/octo/shapes/deployments/${id}/statuses`, {
      state: 'success',
      log_url: 'https://ci.example/run/1',
      environment_url: 'https://qa.example'
    })
    expect(status.status).toBe(201)
    expect(status.body).toMatchObject({
      id: expect.any(Number),
      state: 'success',
      environment: 'qa',
      log_url: 'https://ci.example/run/1',
      target_url: 'https://ci.example/run/1',
      environment_url: 'https://qa.example',
      description: '',
      deployment_url: `${api.url}/repos/octo/shapes/deployments/${id}`
    })
    expect(api.statuses(id).map((s) => s.state)).toEqual(['success'])
  })

  it('refuses requests without the token, with GitHub’s error bodies', async () => {
    const none = await github('GET', '/repos/octo/auth/deployments', undefined, '')
    expect(none).toMatchObject({ status: 401, body: { message: 'Requires authentication' } })
    const wrong = await github('GET', '/repos/octo/auth/deployments', undefined, 'Bearer nope')
    expect(wrong.status).toBe(401)
    expect(wrong.body).toEqual({
      message: 'Bad credentials',
      documentation_url: 'https://docs.github.com/rest',
      status: '401'
    })
    const legacy = await github(
      'GET',
      '/repos/octo/auth/deployments',
      undefined,
      `token ${api.token}`
    )
    expect(legacy.status).toBe(200)
  })

  it('answers bad bodies with 422 Validation Failed naming the field', async () => {
    const missing = await github('POST', '/repos/octo/bad/deployments', { environment: 'dev' })
    expect(missing.status).toBe(422)
    expect(missing.body.errors).toEqual([
      { resource: 'Deployment', field: 'ref', code: 'missing_field' }
    ])
    const id = await deploy('octo/bad', {})
    const state = await github('POST', `/repos/octo/bad/deployments/${id}/statuses`, {
      state: 'done'
    })
    expect(state.body).toMatchObject({
      message: 'Validation Failed',
      errors: [{ resource: 'DeploymentStatus', field: 'state', code: 'invalid', value: 'done' }]
    })
    const long = await github('POST', `/repos/octo/bad/deployments/${id}/statuses`, {
      state: 'success',
      description: 'x'.repeat(141)
    })
    expect(long.status).toBe(422)
    const unknown = await github('POST', '/repos/octo/bad/deployments/99999/statuses', {
      state: 'success'
    })
    expect(unknown).toMatchObject({ status: 404, body: { message: 'Not Found' } })
  })

  it('makes prior non-transient, non-production success deployments inactive on success', async () => {
    const repo = 'octo/inactive'
    const plain = await deploy(repo, { environment: 'dev', production_environment: false })
    const transient = await deploy(repo, { environment: 'dev', transient_environment: true })
    const production = await deploy(repo, { environment: 'dev', production_environment: true })
    const failed = await deploy(repo, { environment: 'dev' })
    const other = await deploy(repo, { environment: 'staging' })
    for (const id of [plain, transient, production, other])
      await github('POST', `/repos/${repo}/deployments/${id}/statuses`, {
        state: 'success',
        auto_inactive: false
      })
    await github('POST', `/repos/${repo}/deployments/${failed}/statuses`, { state: 'failure' })
    expect(await latestState(repo, plain)).toBe('success')
    const latest = await deploy(repo, { environment: 'dev' })
    await github('POST', `/repos/${repo}/deployments/${latest}/statuses`, { state: 'success' })
    const states = await Promise.all(
      [plain, transient, production, failed, other].map((id) => latestState(repo, id))
    )
    expect(states).toEqual(['inactive', 'success', 'success', 'failure', 'success'])
    const notAuto = await deploy(repo, { environment: 'dev' })
    await github('POST', `/repos/${repo}/deployments/${notAuto}/statuses`, {
      state: 'success',
      auto_inactive: false
    })
    expect(await latestState(repo, latest)).toBe('success')
  })

  it('lists deployments newest first, filtered and paginated with a Link header', async () => {
    const repo = 'octo/pages'
    const ids: number[] = []
    for (let i = 0; i < 5; i++) ids.push(await deploy(repo, { environment: 'dev' }))
    await deploy(repo, { environment: 'prod' })
    const first = await github('GET', `/repos/${repo}/deployments?environment=dev&per_page=2`)
    expect((first.body as unknown as { id: number }[]).map((d) => d.id)).toEqual([ids[4], ids[3]])
    expect(first.link).toBe(
      `<${api.url}/repos/${repo}/deployments?environment=dev&per_page=2&page=2>; rel="next", ` +
        `<${api.url}/repos/${repo}/deployments?environment=dev&per_page=2&page=3>; rel="last"`
    )
    const last = await github('GET', `/repos/${repo}/deployments?environment=dev&per_page=2&page=3`)
    expect((last.body as unknown as { id: number }[]).map((d) => d.id)).toEqual([ids[0]])
    expect(last.link).toContain('rel="prev"')
    expect(last.link).not.toContain('rel="next"')
  })

  it('stores commit statuses and lists them newest first', async () => {
    const repo = 'octo/commits'
    const pending = await github('POST', `/repos/${repo}/statuses/${SHA}`, {
      state: 'pending',
      context: 'ci'
    })
    expect(pending.status).toBe(201)
    expect(pending.body).toMatchObject({
      state: 'pending',
      context: 'ci',
      description: null,
      target_url: null
    })
    await github('POST', `/repos/${repo}/statuses/${SHA}`, {
      state: 'success',
      target_url: 'https://ci.example/1'
    })
    const list = await github('GET', `/repos/${repo}/commits/${SHA}/statuses`)
    expect(
      (list.body as unknown as { state: string; context: string }[]).map((s) => [
        s.state,
        s.context
      ])
    ).toEqual([
      ['success', 'default'],
      ['pending', 'ci']
    ])
    expect(api.commitStatuses(SHA).map((s) => s.context)).toEqual(['default', 'ci'])
    const bad = await github('POST', `/repos/${repo}/statuses/${SHA}`, { state: 'in_progress' })
    expect(bad.status).toBe(422)
  })

  it('checks required contexts like GitHub: all of them unless told otherwise', async () => {
    const repo = 'octo/contexts'
    await github('POST', `/repos/${repo}/statuses/${SHA}`, { state: 'pending', context: 'ci' })
    const gated = await github('POST', `/repos/${repo}/deployments`, { ref: SHA })
    expect(gated.status).toBe(409)
    expect(gated.body.errors).toEqual([
      {
        contexts: [{ context: 'ci', state: 'pending' }],
        resource: 'Deployment',
        field: 'required_contexts',
        code: 'invalid'
      }
    ])
    const bypassed = await github('POST', `/repos/${repo}/deployments`, {
      ref: SHA,
      required_contexts: []
    })
    expect(bypassed.status).toBe(201)
  })

  it('injects failures into the next requests only, and records every request', async () => {
    api.failNext(502, 2, { headers: { 'retry-after': '1' } })
    const before = api.requests.length
    const first = await github('GET', '/repos/octo/faults/deployments')
    expect(first).toMatchObject({ status: 502, body: { message: 'Bad Gateway' } })
    expect((await github('GET', '/repos/octo/faults/deployments')).status).toBe(502)
    expect((await github('GET', '/repos/octo/faults/deployments')).status).toBe(200)
    expect(api.requests.slice(before)).toEqual([
      { method: 'GET', path: '/repos/octo/faults/deployments', body: undefined, status: 502 },
      { method: 'GET', path: '/repos/octo/faults/deployments', body: undefined, status: 502 },
      { method: 'GET', path: '/repos/octo/faults/deployments', body: undefined, status: 200 }
    ])
    api.failNext(500, 1, { method: 'POST', path: /\/statuses$/ })
    expect((await github('GET', '/repos/octo/faults/deployments')).status).toBe(200)
    const id = await deploy('octo/faults', {})
    const post = await github('POST', `/repos/octo/faults/deployments/${id}/statuses`, {
      state: 'success'
    })
    expect(post).toMatchObject({ status: 500, body: { message: 'Internal Server Error' } })
  })
})
