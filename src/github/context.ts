/**
 * The GitHub Actions context, read from the GITHUB_* variables and the event payload at
 * GITHUB_EVENT_PATH.
 *
 * Written here instead of using @actions/github's `context`: that package pulls in octokit and its
 * dependencies, which makes every bundle that imports it slower to load than the 0.3 s cold start the
 * actions aim for, and the few fields the build needs are plain environment variables and JSON.
 */
import { readFileSync } from 'node:fs'

/** Environment variables as `process.env` holds them. */
export type Env = Readonly<Record<string, string | undefined>>

/** What the git ref is: a branch, a tag, a pull request's merge ref, or something else. */
export type RefType = 'branch' | 'tag' | 'pull' | 'other'

/** The parts of the workflow run that image metadata and summaries need. */
export interface GitHubContext {
  /** The event that started the workflow: `push`, `pull_request`, `schedule`, … */
  readonly eventName: string
  /** The commit built: GITHUB_SHA, or the pull request's head commit on pull request events. */
  readonly sha: string
  /** The full git ref, e.g. `refs/heads/main`, `refs/tags/v1.2.3`, `refs/pull/42/merge`. */
  readonly ref: string
  /** The short ref name: `main`, `v1.2.3`, `42/merge`; undefined when there is no ref. */
  readonly refName?: string
  /** What kind of ref `ref` is. */
  readonly refType: RefType
  /** The pull request's source branch (GITHUB_HEAD_REF), on pull request events. */
  readonly headRef?: string
  /** The pull request's target branch (GITHUB_BASE_REF), on pull request events. */
  readonly baseRef?: string
  /** The pull request number, on pull request events. */
  readonly prNumber?: number
  /** `owner/name`. */
  readonly repository: string
  /** `https://github.com` or the GitHub Enterprise server. */
  readonly serverUrl: string
  /** The workflow run's id. */
  readonly runId: string
  /** The workflow run's page; empty outside a run (no GITHUB_RUN_ID). */
  readonly runUrl: string
  /** The REST API's base URL (GITHUB_API_URL; `https://api.github.com` when unset). */
  readonly apiUrl: string
  /** The repository's default branch, from the event payload. */
  readonly defaultBranch?: string
  /** The repository's web page. */
  readonly repositoryUrl: string
  /** The repository's description, from the event payload. */
  readonly description?: string
  /** The repository's licence as an SPDX id, from the event payload. */
  readonly license?: string
  /** Who started the run. */
  readonly actor: string
  /** The event payload, as GitHub sent it; `{}` when there is none. */
  readonly payload: Readonly<Record<string, unknown>>
}

const PULL_REQUEST_EVENTS = ['pull_request', 'pull_request_target']

/** Reads the context from `env` and the event file it names. */
export function readGitHubContext(env: Env = process.env): GitHubContext {
  const path = env.GITHUB_EVENT_PATH
  let payload: unknown = {}
  if (path) {
    let text: string
    try {
      text = readFileSync(path, 'utf8')
    } catch (error) {
      throw new Error(`Cannot read the event payload GITHUB_EVENT_PATH=${path}: ${String(error)}`)
    }
    try {
      payload = JSON.parse(text)
    } catch (error) {
      throw new Error(`The event payload at ${path} is not JSON: ${String(error)}`)
    }
  }
  return parseGitHubContext(env, payload)
}

/** Builds the context from environment variables and an already parsed event payload. */
export function parseGitHubContext(env: Env, payload: unknown): GitHubContext {
  const event = asRecord(payload)
  const eventName = need(env, 'GITHUB_EVENT_NAME')
  const repository = need(env, 'GITHUB_REPOSITORY')
  const serverUrl = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '')
  const runId = env.GITHUB_RUN_ID ?? ''
  const repo = asRecord(event.repository)
  const pr = asRecord(event.pull_request)
  const isPullRequest = PULL_REQUEST_EVENTS.includes(eventName)
  const prNumber = isPullRequest ? numberOf(pr.number ?? event.number) : undefined

  // pull_request_target runs on the base branch; like docker/metadata-action, treat its ref as the
  // pull request's so that it is tagged pr-<n> and never as the base branch.
  let ref = env.GITHUB_REF ?? ''
  if (eventName === 'pull_request_target' && prNumber !== undefined) {
    ref = `refs/pull/${prNumber}/merge`
  }
  // GITHUB_SHA is GitHub's throwaway merge commit on pull request events; tag and label the head
  // commit the author pushed instead (metadata-action's DOCKER_METADATA_PR_HEAD_SHA=true).
  const headSha = isPullRequest ? stringOf(asRecord(pr.head).sha) : undefined
  const sha = (headSha ?? need(env, 'GITHUB_SHA')).toLowerCase()
  if (!/^[0-9a-f]{40}$/.test(sha)) {
    throw new Error(`The commit '${sha}' is not a 40-digit hexadecimal git sha`)
  }
  const license = stringOf(asRecord(repo.license).spdx_id)

  return {
    eventName,
    sha,
    ref,
    refName: refNameOf(ref, env.GITHUB_REF_NAME, eventName),
    refType: refTypeOf(ref),
    headRef: env.GITHUB_HEAD_REF || undefined,
    baseRef: env.GITHUB_BASE_REF || undefined,
    prNumber,
    repository,
    serverUrl,
    runId,
    runUrl: runId ? `${serverUrl}/${repository}/actions/runs/${runId}` : '',
    apiUrl: (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, ''),
    defaultBranch: stringOf(repo.default_branch),
    repositoryUrl: stringOf(repo.html_url) ?? `${serverUrl}/${repository}`,
    description: stringOf(repo.description),
    license: license === 'NOASSERTION' ? undefined : license,
    actor: env.GITHUB_ACTOR ?? '',
    payload: event
  }
}

function refTypeOf(ref: string): RefType {
  if (ref.startsWith('refs/heads/')) return 'branch'
  if (ref.startsWith('refs/tags/')) return 'tag'
  if (ref.startsWith('refs/pull/')) return 'pull'
  return 'other'
}

function refNameOf(ref: string, given: string | undefined, eventName: string): string | undefined {
  const short = ref.replace(/^refs\/(heads|tags|pull)\//, '')
  if (eventName === 'pull_request_target' || !given) return short || undefined
  return given
}

function need(env: Env, name: string): string {
  const value = env[name]
  if (!value)
    throw new Error(`${name} is not set; the GitHub context needs the Actions environment`)
  return value
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {}
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}

function numberOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined
}

/** The workflow run an action reports to: where to record, what to link. */
export interface RunContext {
  /** The commit (the pull request's head on pull request events); empty outside a run. */
  readonly sha: string
  /** `owner/name`; empty outside a run. */
  readonly repository: string
  /** The workflow run's id; empty outside a run. */
  readonly runId: string
  /** The workflow run's page; empty outside a run. */
  readonly runUrl: string
  /** The REST API's base URL; empty outside a run. */
  readonly apiUrl: string
}

/**
 * The run an action reports to, with one rule for "not in a run": without GITHUB_REPOSITORY,
 * GITHUB_SHA or GITHUB_EVENT_NAME (a local run, a test) every field is blank, and callers record
 * nothing and link nothing. Inside a run it is read as {@link readGitHubContext} reads it, and a
 * broken event payload fails as it does there.
 */
export function runContext(env: Env = process.env): RunContext {
  if (!env.GITHUB_REPOSITORY || !env.GITHUB_SHA || !env.GITHUB_EVENT_NAME) {
    return { sha: '', repository: '', runId: '', runUrl: '', apiUrl: '' }
  }
  const { sha, repository, runId, runUrl, apiUrl } = readGitHubContext(env)
  return { sha, repository, runId, runUrl, apiUrl }
}
