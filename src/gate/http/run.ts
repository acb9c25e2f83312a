/**
 * The canary gate's `mode: http` smoke checks: each check is requested until it passes, its
 * retries are spent or the deadline for all checks comes, with a timeout per attempt, and judged on
 * status, body pattern and latency (measured to the complete response). Checks run concurrently.
 *
 * Requests use Node's built-in fetch (undici): it is maintained with Node, follows redirects, handles
 * http and https alike and takes an AbortSignal for the timeout, so nothing needs adding; node:http
 * would need redirects and decompression written by hand. Backoff between attempts comes from
 * src/retry.
 */
import { messageOf } from '../../action/errors.js'
import { withRetry, type RetryPolicy } from '../../retry/index.js'
import type { HttpCheck } from './input.js'

export { DEFAULT_RETRIES, parseChecks, type HttpCheck } from './input.js'

/** How one check went. */
export interface CheckResult {
  readonly check: HttpCheck
  readonly ok: boolean
  /** Requests made, the first included. */
  readonly attempts: number
  /** The last answer's status, when there was one. */
  readonly status?: number
  /** The last answer's time to its complete body. */
  readonly latencyMs?: number
  /** What passed, or what failed on the last attempt. */
  readonly message: string
}

/** How checks run; every field has a default. */
export interface HttpCheckOptions {
  /** Per attempt, to the complete response; 10 s unless given. */
  readonly timeoutMs?: number
  /** Delays between attempts (its `attempts` is ignored: each check's `retries` counts). */
  readonly retry?: RetryPolicy
  /** Called with one line per attempt, e.g. for core.info. */
  readonly onAttempt?: (line: string) => void
  /**
   * All checks together, waits and retries included: no attempt runs past it, and a check still
   * failing when it comes fails with its last answer. None unless given.
   */
  readonly deadlineMs?: number
}

/** The timeout of one attempt when none is given. */
export const DEFAULT_TIMEOUT_MS = 10_000
/** Delays between attempts when none are given: 1 s doubling to at most 10 s. */
const DEFAULT_DELAYS: RetryPolicy = { attempts: 1, baseDelayMs: 1000, maxDelayMs: 10_000 }

/** One attempt's outcome. */
interface Attempt {
  readonly ok: boolean
  readonly status?: number
  readonly latencyMs?: number
  readonly message: string
}

/** A failed attempt, thrown so that withRetry waits and tries again. */
class AttemptFailed extends Error {
  constructor(readonly attempt: Attempt) {
    super(attempt.message)
  }
}

/** Runs every check concurrently, each with its retries; never throws for a failing check. */
export async function runHttpChecks(
  checks: readonly HttpCheck[],
  options: HttpCheckOptions = {}
): Promise<CheckResult[]> {
  const deadline =
    options.deadlineMs === undefined ? undefined : performance.now() + options.deadlineMs
  return Promise.all(checks.map((check) => runCheck(check, options, deadline)))
}

async function runCheck(
  check: HttpCheck,
  options: HttpCheckOptions,
  deadline: number | undefined
): Promise<CheckResult> {
  const policy: RetryPolicy = {
    ...(options.retry ?? DEFAULT_DELAYS),
    attempts: check.retries + 1,
    ...(deadline !== undefined && { deadline })
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  let attempts = 0
  try {
    const passed = await withRetry(
      policy,
      async (n) => {
        attempts = n
        const left = deadline === undefined ? timeoutMs : Math.ceil(deadline - performance.now())
        const outcome = await attempt(check, Math.max(1, Math.min(timeoutMs, left)))
        options.onAttempt?.(`${check.name}: attempt ${n}: ${outcome.message}`)
        if (!outcome.ok) throw new AttemptFailed(outcome)
        return outcome
      },
      // A canary that is still warming up answers 404, 502 or nothing: every failure is worth retrying.
      (error) => ({ retry: true, reason: messageOf(error) })
    )
    return { check, attempts, ...passed }
  } catch (error) {
    if (!(error instanceof AttemptFailed)) throw error
    const last = error.attempt
    const tries = attempts === 1 ? '' : ` after ${attempts} attempts`
    // retries left, or the last attempt cut short: the deadline stopped the check
    const stopped =
      deadline !== undefined && (attempts < policy.attempts || performance.now() + 1 >= deadline)
    const stop = stopped ? stoppedBy(options.deadlineMs) : ''
    return { check, attempts, ...last, message: `${last.message}${tries}${stop}` }
  }
}

function stoppedBy(deadlineMs = 0): string {
  return `, stopped by the ${deadlineMs / 1000} s timeout for all checks`
}

/** One request, judged: status, then body, then latency. */
async function attempt(check: HttpCheck, timeoutMs: number): Promise<Attempt> {
  const what = `${check.method} ${check.url}`
  const started = performance.now()
  let status: number
  let body: string
  try {
    const response = await fetch(check.url, {
      method: check.method,
      headers: check.headers,
      signal: AbortSignal.timeout(timeoutMs)
    })
    status = response.status
    body = check.method === 'HEAD' ? '' : await response.text()
  } catch (error) {
    return { ok: false, message: `${what}: ${networkProblem(error, timeoutMs)}` }
  }
  const latencyMs = Math.round(performance.now() - started)
  const seen = { status, latencyMs }
  if (!acceptedStatus(check, status)) {
    const expected = check.statuses ? check.statuses.join(' or ') : '2xx'
    return { ok: false, ...seen, message: `${what} → ${status} (expected ${expected})` }
  }
  if (check.body && !check.body.test(body)) {
    const message = `${what} matched status ${status} but body did not match ${String(check.body)}`
    return { ok: false, ...seen, message }
  }
  if (check.maxLatencyMs !== undefined && latencyMs > check.maxLatencyMs) {
    const message = `${what} → ${status} took ${latencyMs} ms > ${check.maxLatencyMs} ms`
    return { ok: false, ...seen, message }
  }
  return { ok: true, ...seen, message: `${what} → ${status} in ${latencyMs} ms` }
}

function acceptedStatus(check: HttpCheck, status: number): boolean {
  return check.statuses ? check.statuses.includes(status) : status >= 200 && status < 300
}

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found (DNS lookup failed)',
  UND_ERR_CONNECT_TIMEOUT: 'connect timeout',
  UND_ERR_SOCKET: 'connection closed'
}

/**
 * A fetch failure in words: fetch throws `fetch failed` and keeps the socket's error as the cause.
 * Read structurally: under jest's vm, errors from Node's own fetch fail `instanceof Error`.
 */
function networkProblem(error: unknown, timeoutMs: number): string {
  const thrown = error as Thrown | undefined
  if (thrown?.name === 'TimeoutError') return `no complete response within ${timeoutMs} ms`
  let message = messageOf(error)
  for (let e = thrown, depth = 0; e && typeof e === 'object' && depth < 5; e = e.cause, depth++) {
    if (typeof e.code === 'string')
      return NETWORK_CODES[e.code] ?? `${String(e.message)} (${e.code})`
    if (typeof e.message === 'string' && e.message) message = e.message
  }
  return message
}

interface Thrown {
  name?: unknown
  message?: unknown
  code?: unknown
  cause?: Thrown
}
