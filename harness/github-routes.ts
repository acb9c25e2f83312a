/**
 * The routes of the GitHub API stand-in (github-api.ts): deployments, deployment statuses and commit
 * statuses under `/repos/{owner}/{repo}`, each validating its body as GitHub does and paginating its
 * lists with GitHub's Link header. Authentication and injected faults are handled before a route runs.
 */
import { check, maxLength, oneOf, reply, type Reply } from './github-replies.js'
import {
  addCommitStatus,
  addDeployment,
  addStatus,
  autoInactive,
  failingContexts,
  isSha,
  shaOf,
  type Deployment,
  type Store,
  type Stored
} from './github-store.js'

/** A request matched to a route. */
export interface Call {
  readonly store: Store
  /** owner, repo, then the route's own parameters, as written in the path. */
  readonly params: string[]
  readonly body: Record<string, unknown>
  readonly query: URLSearchParams
  readonly pathname: string
}

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

/** Method, path pattern (its groups are the call's params) and handler. */
export const ROUTES: [string, RegExp, (call: Call) => Reply][] = [
  ['POST', new RegExp(`^${REPO}/deployments$`), createDeployment],
  ['GET', new RegExp(`^${REPO}/deployments$`), listDeployments],
  ['POST', new RegExp(`^${REPO}/deployments/(\\d+)/statuses$`), createDeploymentStatus],
  ['GET', new RegExp(`^${REPO}/deployments/(\\d+)/statuses$`), listDeploymentStatuses],
  ['POST', new RegExp(`^${REPO}/statuses/([^/]+)$`), createCommitStatus],
  ['GET', new RegExp(`^${REPO}/commits/([^/]+)/statuses$`), listCommitStatuses]
]

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
  const deployment = addDeployment(store, owner, repo, sha, body)
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

function listDeploymentStatuses(call: Call): Reply {
  const stored = findDeployment(call)
  if (!stored) return reply(404, 'Not Found')
  return paginate(call, [...stored.statuses].reverse())
}

function createCommitStatus(call: Call): Reply {
  const { store, body } = call
  const [owner, repo, sha] = call.params as [string, string, string]
  if (!isSha(sha)) return reply(422, `No commit found for SHA: ${sha}`)
  const invalid =
    check('Status', body, {
      state: 'string!',
      target_url: 'string?',
      description: 'string?',
      context: 'string'
    }) ?? oneOf('Status', 'state', body.state, COMMIT_STATES)
  if (invalid) return invalid
  const status = addCommitStatus(store, owner, repo, sha, body)
  return { status: 201, body: status, headers: { location: status.url } }
}

function listCommitStatuses(call: Call): Reply {
  const [owner, repo, ref] = call.params as [string, string, string]
  const key = `${owner}/${repo}@${shaOf(owner, repo, ref)}`.toLowerCase()
  return paginate(call, [...(call.store.commitStatuses.get(key) ?? [])].reverse())
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

function findDeployment(call: Call): Stored | undefined {
  const id = Number(call.params[2])
  return call.store.deployments.find((s) => s.deployment.id === id && s.repo === repoKey(call))
}

function repoKey(call: Call): string {
  return `${call.params[0]}/${call.params[1]}`.toLowerCase()
}
