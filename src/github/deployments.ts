/**
 * GitHub Deployments for an environment: one deployment per deploy, with `in_progress`, then
 * `success` or `failure` statuses (https://docs.github.com/rest/deployments).
 *
 * Octokit is opened by client.ts on first use: loading it costs start-up time that an action run
 * without a token should not pay. Octokit's own retry and throttling plugins are not used, so
 * transient answers are retried here with src/retry, like every other remote call of the project.
 */
import * as core from '@actions/core'
import { messageOf } from '../action/errors.js'
import type { RetryPolicy } from '../retry/index.js'
import { callGitHub, openGitHub, truncate, type Octokit } from './client.js'
import { GitHubError } from './errors.js'

/** What to record, where, and with which credentials. */
export interface DeploymentOptions {
  /** A token with `deployments: write` (GITHUB_TOKEN will do). */
  readonly token: string
  /** GITHUB_API_URL, e.g. `https://api.github.com` or `https://ghe.example.com/api/v3`. */
  readonly apiUrl: string
  /** `owner/name`. */
  readonly repository: string
  /** The commit deployed. */
  readonly ref: string
  /** The environment's name, e.g. `dev` or `pr-42`. */
  readonly environment: string
  /** Whether the environment goes away some day (a preview per pull request). */
  readonly transient: boolean
  /** Whether end users use the environment. */
  readonly production: boolean
  /** Shown beside the deployment; cut to GitHub's 140 characters. */
  readonly description?: string
  /** The workflow run's page, linked from every status. */
  readonly logUrl?: string
  /** Extra data stored with the deployment (image, digest…). */
  readonly payload?: Record<string, unknown>
  /** Retries of transient answers; DEFAULT_RETRY unless given (tests pass short delays). */
  readonly retry?: RetryPolicy
}

/** The states a deploy reports. */
export type DeploymentState = 'in_progress' | 'success' | 'failure' | 'error'

/** A deployment created on GitHub, whose state can be reported. */
export interface RecordedDeployment {
  readonly id: number
  /** The deployment's API URL. */
  readonly url: string
  /** Adds a status; `success` also makes earlier deployments of the environment inactive. */
  status(
    state: DeploymentState,
    details?: { environmentUrl?: string; description?: string }
  ): Promise<void>
}

/** How many earlier deployments `success` looks at to make inactive: the API's first page. */
const EARLIER_PAGE = 30

interface Session {
  readonly octokit: Octokit
  readonly options: DeploymentOptions
  readonly owner: string
  readonly repo: string
  readonly server: string
}

/** Creates the deployment and reports it `in_progress`. */
export async function startDeployment(options: DeploymentOptions): Promise<RecordedDeployment> {
  const session = await open(options)
  const { owner, repo } = session
  const created = await call(session, `POST deployments ${options.repository}`, () =>
    session.octokit.rest.repos.createDeployment({
      owner,
      repo,
      ref: options.ref,
      task: 'deploy',
      // CI gated the commit before this deploy; GitHub must neither merge nor re-check it.
      auto_merge: false,
      required_contexts: [],
      environment: options.environment,
      description: truncate(options.description),
      transient_environment: options.transient,
      production_environment: options.production,
      ...(options.payload ? { payload: options.payload } : {})
    })
  )
  if (!('id' in created)) {
    throw new GitHubError(
      session.server,
      `POST deployments ${options.repository}`,
      202,
      created.message ?? 'no deployment created'
    )
  }
  core.info(`Deployment ${created.id} of ${options.ref} to ${options.environment} recorded`)
  const deployment: RecordedDeployment = {
    id: created.id,
    url: created.url,
    status: (state, details = {}) => report(session, created.id, state, details)
  }
  await deployment.status('in_progress')
  return deployment
}

async function open(options: DeploymentOptions): Promise<Session> {
  return { ...(await openGitHub(options, 'record a deployment')), options }
}

async function report(
  session: Session,
  id: number,
  state: DeploymentState,
  details: { environmentUrl?: string; description?: string }
): Promise<void> {
  const { octokit, options, owner, repo } = session
  await call(session, `POST deployments/${id}/statuses ${options.repository}`, () =>
    octokit.rest.repos.createDeploymentStatus({
      owner,
      repo,
      deployment_id: id,
      state,
      ...(options.logUrl ? { log_url: options.logUrl } : {}),
      ...(details.environmentUrl ? { environment_url: details.environmentUrl } : {}),
      ...(details.description ? { description: truncate(details.description) } : {}),
      ...(state === 'success' ? { auto_inactive: true } : {})
    })
  )
  core.info(`Deployment ${id} to ${options.environment}: ${state}`)
  // GitHub's auto_inactive passes over transient and production deployments; do its work for them.
  if (state === 'success' && (options.transient || options.production)) {
    await inactivateEarlier(session, id).catch((error: unknown) => {
      const message = messageOf(error)
      throw new Error(
        `Deployment ${id} is recorded as success, but not the earlier ones as inactive: ${message}`,
        { cause: error }
      )
    })
  }
}

/** Marks earlier deployments of the environment whose latest status is `success` as `inactive`. */
async function inactivateEarlier(session: Session, id: number): Promise<void> {
  const { octokit, options, owner, repo } = session
  const earlier = await call(session, `GET deployments ${options.repository}`, () =>
    octokit.rest.repos.listDeployments({
      owner,
      repo,
      environment: options.environment,
      per_page: EARLIER_PAGE
    })
  )
  for (const deployment of earlier.filter((d) => d.id < id)) {
    const operation = `GET deployments/${deployment.id}/statuses ${options.repository}`
    const [latest] = await call(session, operation, () =>
      octokit.rest.repos.listDeploymentStatuses({
        owner,
        repo,
        deployment_id: deployment.id,
        per_page: 1
      })
    )
    if (latest?.state !== 'success') continue
    await call(session, `POST deployments/${deployment.id}/statuses ${options.repository}`, () =>
      octokit.rest.repos.createDeploymentStatus({
        owner,
        repo,
        deployment_id: deployment.id,
        state: 'inactive',
        description: `Superseded by deployment ${id}`
      })
    )
    core.info(`Deployment ${deployment.id} to ${options.environment}: inactive`)
  }
}

/** One API call of a deployment session (see callGitHub). */
function call<R extends { data: unknown }>(
  session: Session,
  operation: string,
  request: () => Promise<R>
): Promise<R['data']> {
  const { repository, token, retry } = session.options
  const permission = 'deployments: write'
  return callGitHub(
    { server: session.server, operation, repository, token, permission, retry },
    request
  )
}
