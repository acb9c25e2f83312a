/**
 * Failures of GitHub API calls: the GitHubError naming server, operation and status, how one is made
 * from what octokit throws (read structurally, so octokit stays out of the static imports), and which
 * are worth another attempt.
 */
import { parseRetryAfter, type Verdict } from '../retry/index.js'

/** A failed GitHub API call: names the server, the operation and, when it answered, the status. */
export class GitHubError extends Error {
  constructor(
    readonly server: string,
    readonly operation: string,
    readonly status: number | undefined,
    detail: string,
    readonly retryAfterMs?: number,
    readonly code?: string
  ) {
    super(
      `GitHub API ${server}: ${operation} failed${status === undefined ? '' : ` (HTTP ${status})`}: ${detail}`
    )
    this.name = 'GitHubError'
  }
}

/** What a failed call was: where, what, on which repository, and the token to keep out of messages. */
export interface GitHubCall {
  /** The API's host, e.g. `api.github.com`. */
  readonly server: string
  readonly operation: string
  /** `owner/name`. */
  readonly repository: string
  readonly token: string
  /** The permission a 403 or 404 most likely lacks, e.g. `deployments: write`. */
  readonly permission: string
}

const TRANSIENT_CODES = [
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT'
]

/** What octokit's RequestError carries; read structurally to keep octokit out of the static imports. */
interface Thrown {
  status?: unknown
  message?: unknown
  response?: { headers?: Record<string, string | undefined>; data?: unknown }
  code?: unknown
  cause?: Thrown
}

/** The GitHubError for what a call threw: the answer's status and message, or the network error. */
export function gitHubError(error: unknown, call: GitHubCall): GitHubError {
  const { server, operation } = call
  const thrown = (typeof error === 'object' && error !== null ? error : {}) as Thrown
  const hide = (text: string) => text.split(call.token).join('***')
  if (!thrown.response || typeof thrown.status !== 'number') {
    const { code, message } = rootCause(thrown, String(error))
    const detail = code && !message.includes(code) ? `${message} (${code})` : message
    return new GitHubError(server, operation, undefined, hide(detail), undefined, code)
  }
  const status = thrown.status
  const data = thrown.response.data as { message?: unknown } | undefined
  let detail =
    typeof data?.message === 'string'
      ? data.message
      : typeof data === 'string' && data
        ? data
        : 'no message'
  if (status === 403 || status === 404) {
    detail += `; the token needs the '${call.permission}' permission on ${call.repository}`
  }
  const retryAfter = parseRetryAfter(thrown.response.headers?.['retry-after'])
  return new GitHubError(server, operation, status, hide(detail), retryAfter)
}

/**
 * The deepest message and the first errno of a network failure: octokit wraps fetch's `fetch failed`,
 * which wraps the socket's error (ECONNREFUSED, ECONNRESET…).
 */
function rootCause(thrown: Thrown, fallback: string): { code?: string; message: string } {
  let code: string | undefined
  let message = fallback
  for (let e: Thrown | undefined = thrown, depth = 0; e && depth < 5; e = e.cause, depth++) {
    if (typeof e.code === 'string') code ??= e.code
    if (typeof e.message === 'string' && e.message !== '') message = e.message
  }
  return { code, message }
}

/**
 * Transient answers: 429, 5xx but 501, a 403 that carries Retry-After (GitHub's secondary rate
 * limit, https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api), and
 * connection resets and timeouts.
 */
export function classifyGitHub(error: unknown): Verdict {
  if (!(error instanceof GitHubError)) return { retry: false }
  const { status, retryAfterMs } = error
  if (status === undefined) {
    return TRANSIENT_CODES.includes(error.code ?? '')
      ? { retry: true, reason: error.code ?? 'connection error' }
      : { retry: false }
  }
  if (
    status === 429 ||
    (status >= 500 && status !== 501) ||
    (status === 403 && retryAfterMs !== undefined)
  ) {
    return { retry: true, afterMs: retryAfterMs, reason: `HTTP ${status}` }
  }
  return { retry: false }
}
