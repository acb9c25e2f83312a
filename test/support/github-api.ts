/**
 * A stand-in for the GitHub REST API on loopback: deployments, deployment statuses and commit
 * statuses, with the request and response shapes of https://docs.github.com/rest/deployments/deployments,
 * https://docs.github.com/rest/deployments/statuses and https://docs.github.com/rest/commits/statuses.
 * State lives in memory; start one per test file. Any ref is accepted: a 40-hex ref is its own sha,
 * any other ref gets a stable made-up sha.
 */
import { createHash, randomBytes } from 'node:crypto'
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http'

/** GitHub's `simple-user`, as `creator`. */
export interface GitHubUser {
  readonly login: string
  readonly id: number
  readonly node_id: string
  readonly avatar_url: string
  readonly url: string
  readonly html_url: string
  readonly type: string
  readonly site_admin: boolean
  readonly [more: string]: unknown
}

/** GitHub's `deployment` object. */
export interface Deployment {
  url: string
  id: number
  node_id: string
  sha: string
  ref: string
  task: string
  payload: Record<string, unknown> | string
  original_environment: string
  environment: string
  description: string | null
  creator: GitHubUser
  created_at: string
  updated_at: string
  statuses_url: string
  repository_url: string
  transient_environment: boolean
  production_environment: boolean
}

/** GitHub's `deployment-status` object. */
export interface DeploymentStatus {
  url: string
  id: number
  node_id: string
  state: string
  creator: GitHubUser
  description: string
  environment: string
  target_url: string
  created_at: string
  updated_at: string
  deployment_url: string
  repository_url: string
  environment_url: string
  log_url: string
}

/** GitHub's commit `status` object. */
export interface CommitStatus {
  url: string
  avatar_url: string
  id: number
  node_id: string
  state: string
  description: string | null
  target_url: string | null
  context: string
  created_at: string
  updated_at: string
  creator: GitHubUser
}

/** A request as the stand-in saw it, and the status it answered. */
export interface RecordedRequest {
  readonly method: string
  /** Path with the query string. */
  readonly path: string
  /** The parsed JSON body; undefined when there was none. */
  readonly body: unknown
  readonly status: number
}

/** A running stand-in. */
export interface GitHubApi {
  /** `http://127.0.0.1:PORT`: the `baseUrl`/GITHUB_API_URL to use. */
  readonly url: string
  /** The one token it accepts. */
  readonly token: string
  /** Every deployment of every repository, newest first. */
  readonly deployments: Deployment[]
  /** A deployment's statuses, newest first (as the API lists them). */
  statuses(deploymentId: number): DeploymentStatus[]
  /** A commit's statuses in every repository, newest first. */
  commitStatuses(sha: string): CommitStatus[]
  /** Every request so far, oldest first. */
  readonly requests: RecordedRequest[]
  /**
   * Answers the next `count` requests (those of `method` to a path matching `path`, when given) with
   * `status` and a GitHub error body, or `body`.
   */
  failNext(status: number, count?: number, answer?: FaultAnswer): void
  stop(): Promise<void>
}

/** How an injected failure answers, and which requests it takes. */
export interface FaultAnswer {
  readonly body?: unknown
  readonly headers?: Record<string, string>
  readonly method?: string
  /** Matched against the path without the query string. */
  readonly path?: RegExp
}

interface Stored {
  readonly repo: string
  readonly deployment: Deployment
  /** Oldest first. */
  readonly statuses: DeploymentStatus[]
}

interface Store {
  readonly token: string
  readonly url: string
  readonly deployments: Stored[]
  /** `owner/repo@sha` (lower case) → statuses, oldest first. */
  readonly commitStatuses: Map<string, CommitStatus[]>
  readonly requests: RecordedRequest[]
  readonly faults: (FaultAnswer & { readonly status: number })[]
  ids: number
}

interface Reply {
  readonly status: number
  readonly body: unknown
  readonly headers?: Record<string, string>
}

interface Call {
  readonly store: Store
  /** owner, repo, then the route's own parameters, as written in the path. */
  readonly params: string[]
  readonly body: Record<string, unknown>
  readonly query: URLSearchParams
  readonly pathname: string
}

const DOCS = 'https://docs.github.com/rest'
const SHA = /^[0-9a-f]{40}$/i
const DEPLOYMENT_STATES = [
  'error',
  'failure',
  'inactive',
  'in_progress',
  'queued',
  'pending',
  'success'
]
const COMMIT_STATES = ['error', 'failure', 'pending', 'success']
const REPO = '/repos/([^/]+)/([^/]+)'

/** Starts the stand-in on 127.0.0.1 and a free port. */
export async function startGitHubApi(options: { token?: string } = {}): Promise<GitHubApi> {
  const token = options.token ?? `ghs_${randomBytes(18).toString('hex')}`
  const server = createServer((req, res) => {
    handle(req, res, store).catch((error: unknown) => send(res, reply(500, String(error))))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  const address = server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0
  const store: Store = {
    token,
    url: `http://127.0.0.1:${port}`,
    deployments: [],
    commitStatuses: new Map(),
    requests: [],
    faults: [],
    ids: 0
  }
  return {
    url: store.url,
    token,
    get deployments() {
      return store.deployments.map((s) => s.deployment).reverse()
    },
    statuses: (id) =>
      [...(store.deployments.find((s) => s.deployment.id === id)?.statuses ?? [])].reverse(),
    commitStatuses: (sha) =>
      [...store.commitStatuses.entries()]
        .filter(([key]) => key.endsWith(`@${sha.toLowerCase()}`))
        .flatMap(([, list]) => list)
        .sort((a, b) => b.id - a.id),
    requests: store.requests,
    failNext: (status, count = 1, answer = {}) => {
      for (let i = 0; i < count; i++) store.faults.push({ status, ...answer })
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

const ROUTES: [string, RegExp, (call: Call) => Reply][] = [
  ['POST', new RegExp(`^${REPO}/deployments$`), createDeployment],
  ['GET', new RegExp(`^${REPO}/deployments$`), listDeployments],
  ['POST', new RegExp(`^${REPO}/deployments/(\\d+)/statuses$`), createDeploymentStatus],
  ['GET', new RegExp(`^${REPO}/deployments/(\\d+)/statuses$`), listDeploymentStatuses],
  ['POST', new RegExp(`^${REPO}/statuses/([^/]+)$`), createCommitStatus],
  ['GET', new RegExp(`^${REPO}/commits/([^/]+)/statuses$`), listCommitStatuses]
]

async function handle(req: IncomingMessage, res: ServerResponse, store: Store): Promise<void> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  const text = Buffer.concat(chunks).toString('utf8')
  const url = new URL(req.url ?? '/', store.url)
  const method = req.method ?? 'GET'
  let body: unknown
  let answer: Reply
  try {
    body = text === '' ? undefined : JSON.parse(text)
    answer = answerTo(req, store, method, url, body)
  } catch {
    answer = reply(400, 'Problems parsing JSON')
  }
  store.requests.push({ method, path: url.pathname + url.search, body, status: answer.status })
  send(res, answer)
}

function answerTo(
  req: IncomingMessage,
  store: Store,
  method: string,
  url: URL,
  body: unknown
): Reply {
  const index = store.faults.findIndex(
    (f) => (!f.method || f.method === method) && (!f.path || f.path.test(url.pathname))
  )
  const [fault] = index < 0 ? [] : store.faults.splice(index, 1)
  if (fault) {
    const status = fault.status
    return {
      status,
      body: fault.body ?? errorBody(status, STATUS_CODES[status]),
      headers: fault.headers
    }
  }
  const [scheme, given] = (req.headers.authorization ?? '').split(/\s+/, 2)
  if (!scheme) return reply(401, 'Requires authentication')
  if (!/^(bearer|token)$/i.test(scheme) || given !== store.token)
    return reply(401, 'Bad credentials')
  for (const [verb, pattern, route] of ROUTES) {
    const match = pattern.exec(url.pathname)
    if (!match || verb !== method) continue
    if (method === 'POST' && (typeof body !== 'object' || body === null || Array.isArray(body)))
      return reply(400, 'Problems parsing JSON')
    const params = match.slice(1).map(decodeURIComponent)
    return route({
      store,
      params,
      body: (body ?? {}) as Record<string, unknown>,
      query: url.searchParams,
      pathname: url.pathname
    })
  }
  return reply(404, 'Not Found')
}

function createDeployment(call: Call): Reply {
  const { store, body } = call
  const [owner, repo] = call.params as [string, string]
  const invalid = check('Deployment', body, {
    ref: 'string!',
    task: 'string',
    auto_merge: 'boolean',
    required_contexts: 'strings',
    payload: 'payload',
    environment: 'string',
    description: 'string?',
    transient_environment: 'boolean',
    production_environment: 'boolean'
  })
  if (invalid) return invalid
  const ref = body.ref as string
  const sha = shaOf(owner, repo, ref)
  const failing = failingContexts(
    store,
    `${owner}/${repo}@${sha}`,
    body.required_contexts as string[] | undefined
  )
  if (failing.length > 0) {
    return reply(409, `Conflict: Commit status checks failed for ${ref}.`, [
      { contexts: failing, resource: 'Deployment', field: 'required_contexts', code: 'invalid' }
    ])
  }
  const id = ++store.ids
  const environment = (body.environment as string | undefined) ?? 'production'
  const repository = `${store.url}/repos/${owner}/${repo}`
  const now = timestamp()
  const deployment: Deployment = {
    url: `${repository}/deployments/${id}`,
    id,
    node_id: nodeId('Deployment', id),
    sha,
    ref,
    task: (body.task as string | undefined) ?? 'deploy',
    payload: (body.payload as Deployment['payload'] | undefined) ?? {},
    original_environment: environment,
    environment,
    description: body.description === undefined ? '' : (body.description as string | null),
    creator: CREATOR,
    created_at: now,
    updated_at: now,
    statuses_url: `${repository}/deployments/${id}/statuses`,
    repository_url: repository,
    transient_environment: (body.transient_environment as boolean | undefined) ?? false,
    production_environment:
      (body.production_environment as boolean | undefined) ?? environment === 'production'
  }
  store.deployments.push({ repo: `${owner}/${repo}`.toLowerCase(), deployment, statuses: [] })
  return { status: 201, body: deployment, headers: { location: deployment.url } }
}

function listDeployments(call: Call): Reply {
  const { query } = call
  const wanted = (field: 'sha' | 'ref' | 'task' | 'environment', d: Deployment) =>
    !query.has(field) || d[field] === query.get(field)
  const list = call.store.deployments
    .filter((s) => s.repo === repoKey(call))
    .map((s) => s.deployment)
    .filter(
      (d) => wanted('sha', d) && wanted('ref', d) && wanted('task', d) && wanted('environment', d)
    )
    .reverse()
  return paginate(call, list)
}

function createDeploymentStatus(call: Call): Reply {
  const { store, body } = call
  const stored = findDeployment(call)
  if (!stored) return reply(404, 'Not Found')
  const invalid =
    check('DeploymentStatus', body, {
      state: 'string!',
      target_url: 'string',
      log_url: 'string',
      description: 'string?',
      environment: 'string',
      environment_url: 'string',
      auto_inactive: 'boolean'
    }) ??
    oneOf('DeploymentStatus', 'state', body.state, DEPLOYMENT_STATES) ??
    maxLength('DeploymentStatus', 'description', body.description, 140)
  if (invalid) return invalid
  if (typeof body.environment === 'string' && body.environment !== '')
    stored.deployment.environment = body.environment
  const created = addStatus(store, stored, body)
  if (created.state === 'success' && body.auto_inactive !== false) autoInactive(store, stored)
  return { status: 201, body: created, headers: { location: created.url } }
}

/**
 * auto_inactive, as documented: "Adds a new inactive status to all prior non-transient,
 * non-production environment deployments with the same repository and environment name as the
 * created status's deployment. An inactive status is only added to deployments that had a success
 * state." Here "had" is read as "whose latest status is success".
 */
function autoInactive(store: Store, current: Stored): void {
  for (const other of store.deployments) {
    const d = other.deployment
    if (other.repo !== current.repo || d.id >= current.deployment.id) continue
    if (d.environment !== current.deployment.environment) continue
    if (d.transient_environment || d.production_environment) continue
    if (other.statuses.at(-1)?.state === 'success') addStatus(store, other, { state: 'inactive' })
  }
}

function addStatus(store: Store, stored: Stored, body: Record<string, unknown>): DeploymentStatus {
  const id = ++store.ids
  const now = timestamp()
  const logUrl = (body.log_url ?? body.target_url ?? '') as string
  const d = stored.deployment
  d.updated_at = now
  const status: DeploymentStatus = {
    url: `${d.url}/statuses/${id}`,
    id,
    node_id: nodeId('DeploymentStatus', id),
    state: body.state as string,
    creator: CREATOR,
    description: (body.description ?? '') as string,
    environment: d.environment,
    target_url: logUrl,
    created_at: now,
    updated_at: now,
    deployment_url: d.url,
    repository_url: d.repository_url,
    environment_url: (body.environment_url ?? '') as string,
    log_url: logUrl
  }
  stored.statuses.push(status)
  return status
}

function listDeploymentStatuses(call: Call): Reply {
  const stored = findDeployment(call)
  if (!stored) return reply(404, 'Not Found')
  return paginate(call, [...stored.statuses].reverse())
}

function createCommitStatus(call: Call): Reply {
  const { store, body } = call
  const [owner, repo, sha] = call.params as [string, string, string]
  if (!SHA.test(sha)) return reply(422, `No commit found for SHA: ${sha}`)
  const invalid =
    check('Status', body, {
      state: 'string!',
      target_url: 'string?',
      description: 'string?',
      context: 'string'
    }) ?? oneOf('Status', 'state', body.state, COMMIT_STATES)
  if (invalid) return invalid
  const id = ++store.ids
  const now = timestamp()
  const status: CommitStatus = {
    url: `${store.url}/repos/${owner}/${repo}/statuses/${sha.toLowerCase()}`,
    avatar_url: CREATOR.avatar_url,
    id,
    node_id: nodeId('Status', id),
    state: body.state as string,
    description: (body.description ?? null) as string | null,
    target_url: (body.target_url ?? null) as string | null,
    context: (body.context as string | undefined) ?? 'default',
    created_at: now,
    updated_at: now,
    creator: CREATOR
  }
  const key = `${owner}/${repo}@${sha}`.toLowerCase()
  store.commitStatuses.set(key, [...(store.commitStatuses.get(key) ?? []), status])
  return { status: 201, body: status, headers: { location: status.url } }
}

function listCommitStatuses(call: Call): Reply {
  const [owner, repo, ref] = call.params as [string, string, string]
  const key = `${owner}/${repo}@${shaOf(owner, repo, ref)}`.toLowerCase()
  return paginate(call, [...(call.store.commitStatuses.get(key) ?? [])].reverse())
}

/** The contexts whose latest state is not success: `required`, or every context the commit has. */
function failingContexts(
  store: Store,
  key: string,
  required?: string[]
): { context: string; state: string | null }[] {
  const latest = new Map<string, string>()
  for (const s of store.commitStatuses.get(key.toLowerCase()) ?? []) latest.set(s.context, s.state)
  return (required ?? [...latest.keys()])
    .map((context) => ({ context, state: latest.get(context) ?? null }))
    .filter((c) => c.state !== 'success')
}

/** One page (`per_page` ≤ 100, default 30; `page` from 1) with GitHub's Link header. */
function paginate(call: Call, items: unknown[]): Reply {
  const perPage = Math.min(Math.max(Number(call.query.get('per_page') ?? 30) || 30, 1), 100)
  const page = Math.max(Number(call.query.get('page') ?? 1) || 1, 1)
  const last = Math.max(Math.ceil(items.length / perPage), 1)
  const link = (n: number, rel: string) => {
    const query = new URLSearchParams(call.query)
    query.set('page', String(n))
    return `<${call.store.url}${call.pathname}?${query}>; rel="${rel}"`
  }
  const links = [
    ...(page > 1 ? [link(page - 1, 'prev')] : []),
    ...(page < last ? [link(page + 1, 'next'), link(last, 'last')] : []),
    ...(page > 1 ? [link(1, 'first')] : [])
  ]
  const body = items.slice((page - 1) * perPage, page * perPage)
  return { status: 200, body, headers: links.length > 0 ? { link: links.join(', ') } : {} }
}

type Kind = 'string' | 'string!' | 'string?' | 'boolean' | 'strings' | 'payload'

/** Type checks in GitHub's validation error shape: `missing_field` or `invalid` for the first bad field. */
function check(
  resource: string,
  body: Record<string, unknown>,
  fields: Record<string, Kind>
): Reply | undefined {
  for (const [field, kind] of Object.entries(fields)) {
    const value = body[field]
    if (value === undefined) {
      if (kind === 'string!')
        return reply(422, 'Validation Failed', [{ resource, field, code: 'missing_field' }])
      continue
    }
    const fits =
      (kind.startsWith('string') && typeof value === 'string') ||
      (kind === 'string?' && value === null) ||
      (kind === 'boolean' && typeof value === 'boolean') ||
      (kind === 'strings' && Array.isArray(value) && value.every((v) => typeof v === 'string')) ||
      (kind === 'payload' &&
        (typeof value === 'string' ||
          (typeof value === 'object' && value !== null && !Array.isArray(value))))
    if (!fits) return reply(422, 'Validation Failed', [{ resource, field, code: 'invalid' }])
  }
  return undefined
}

function oneOf(
  resource: string,
  field: string,
  value: unknown,
  accepted: string[]
): Reply | undefined {
  if (accepted.includes(value as string)) return undefined
  return reply(422, 'Validation Failed', [{ resource, field, code: 'invalid', value }])
}

function maxLength(
  resource: string,
  field: string,
  value: unknown,
  max: number
): Reply | undefined {
  if (typeof value !== 'string' || [...value].length <= max) return undefined
  const message = `${field} is too long (maximum is ${max} characters)`
  return reply(422, 'Validation Failed', [{ resource, field, code: 'custom', message }])
}

function findDeployment(call: Call): Stored | undefined {
  const id = Number(call.params[2])
  return call.store.deployments.find((s) => s.deployment.id === id && s.repo === repoKey(call))
}

function repoKey(call: Call): string {
  return `${call.params[0]}/${call.params[1]}`.toLowerCase()
}

function shaOf(owner: string, repo: string, ref: string): string {
  if (SHA.test(ref)) return ref.toLowerCase()
  return createHash('sha1').update(`${owner}/${repo}:${ref}`.toLowerCase()).digest('hex')
}

/** GitHub's legacy global node ids: base64 of `0<type length>:<Type><id>`. */
function nodeId(type: string, id: number): string {
  return Buffer.from(`0${type.length}:${type}${id}`).toString('base64')
}

function timestamp(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')
}

function errorBody(status: number, message = 'Error', errors?: unknown[]): Record<string, unknown> {
  return { message, ...(errors ? { errors } : {}), documentation_url: DOCS, status: String(status) }
}

function reply(status: number, message: string, errors?: unknown[]): Reply {
  return { status, body: errorBody(status, message, errors) }
}

function send(res: ServerResponse, answer: Reply): void {
  res.writeHead(answer.status, {
    'content-type': 'application/json; charset=utf-8',
    'x-github-media-type': 'github.v3; format=json',
    ...answer.headers
  })
  res.end(JSON.stringify(answer.body))
}

const CREATOR: GitHubUser = {
  login: 'github-actions[bot]',
  id: 41898282,
  node_id: 'MDM6Qm90NDE4OTgyODI=',
  avatar_url: 'https://avatars.githubusercontent.com/in/15368?v=4',
  gravatar_id: '',
  url: 'https://api.github.com/users/github-actions%5Bbot%5D',
  html_url: 'https://github.com/apps/github-actions',
  type: 'Bot',
  site_admin: false
}
