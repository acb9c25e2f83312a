/**
 * The in-memory state of the GitHub API stand-in (github-api.ts) and the objects it keeps, in the
 * shapes of https://docs.github.com/rest/deployments/deployments,
 * https://docs.github.com/rest/deployments/statuses and https://docs.github.com/rest/commits/statuses.
 * Bodies reach these functions already validated by github-routes.ts.
 */
import { createHash } from 'node:crypto'

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

/** How an injected failure answers, and which requests it takes. */
export interface FaultAnswer {
  readonly body?: unknown
  readonly headers?: Record<string, string>
  readonly method?: string
  /** Matched against the path without the query string. */
  readonly path?: RegExp
}

/** A deployment, the repository it belongs to, and its statuses. */
export interface Stored {
  /** `owner/repo`, lower case. */
  readonly repo: string
  readonly deployment: Deployment
  /** Oldest first. */
  readonly statuses: DeploymentStatus[]
}

/** Everything one stand-in knows. */
export interface Store {
  readonly token: string
  readonly url: string
  readonly deployments: Stored[]
  /** `owner/repo@sha` (lower case) → statuses, oldest first. */
  readonly commitStatuses: Map<string, CommitStatus[]>
  readonly requests: RecordedRequest[]
  readonly faults: (FaultAnswer & { readonly status: number })[]
  ids: number
}

const SHA = /^[0-9a-f]{40}$/i

/** Whether a ref is a full commit sha. */
export function isSha(ref: string): boolean {
  return SHA.test(ref)
}

/** A 40-hex ref is its own sha; any other ref gets a stable made-up sha. */
export function shaOf(owner: string, repo: string, ref: string): string {
  if (SHA.test(ref)) return ref.toLowerCase()
  return createHash('sha1').update(`${owner}/${repo}:${ref}`.toLowerCase()).digest('hex')
}

/** Stores a deployment of `sha` made from a validated create-deployment body. */
export function addDeployment(
  store: Store,
  owner: string,
  repo: string,
  sha: string,
  body: Record<string, unknown>
): Deployment {
  const id = ++store.ids
  const environment = (body.environment as string | undefined) ?? 'production'
  const repository = `${store.url}/repos/${owner}/${repo}`
  const now = timestamp()
  const deployment: Deployment = {
    url: `${repository}/deployments/${id}`,
    id,
    node_id: nodeId('Deployment', id),
    sha,
    ref: body.ref as string,
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
  return deployment
}

/** Adds a status to a deployment from a validated create-status body. */
export function addStatus(
  store: Store,
  stored: Stored,
  body: Record<string, unknown>
): DeploymentStatus {
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

/**
 * auto_inactive, as documented: "Adds a new inactive status to all prior non-transient,
 * non-production environment deployments with the same repository and environment name as the
 * created status's deployment. An inactive status is only added to deployments that had a success
 * state." Here "had" is read as "whose latest status is success".
 */
export function autoInactive(store: Store, current: Stored): void {
  for (const other of store.deployments) {
    const d = other.deployment
    if (other.repo !== current.repo || d.id >= current.deployment.id) continue
    if (d.environment !== current.deployment.environment) continue
    if (d.transient_environment || d.production_environment) continue
    if (other.statuses.at(-1)?.state === 'success') addStatus(store, other, { state: 'inactive' })
  }
}

/** Adds a commit status to `owner/repo@sha` from a validated create-status body. */
export function addCommitStatus(
  store: Store,
  owner: string,
  repo: string,
  sha: string,
  body: Record<string, unknown>
): CommitStatus {
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
  return status
}

/** The contexts whose latest state is not success: `required`, or every context the commit has. */
export function failingContexts(
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

/** GitHub's legacy global node ids: base64 of `0<type length>:<Type><id>`. */
function nodeId(type: string, id: number): string {
  return Buffer.from(`0${type.length}:${type}${id}`).toString('base64')
}

function timestamp(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')
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
