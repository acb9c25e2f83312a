/**
 * Instant queries against Prometheus's HTTP API (GET /api/v1/query), read into plain numbers for
 * the canary analysis: https://prometheus.io/docs/prometheus/latest/querying/api/#instant-queries
 *
 * Hand-written on Node's fetch: the API is one GET with a JSON answer, and the maintained JS clients
 * (prometheus-query) are not dependencies and would hide the status we must report. Transient faults
 * (unreachable, 429, 5xx) are retried with src/retry; a rejected query (400, 422) is not.
 *
 * Credentials (a bearer token, basic auth, a tenant header) go in `headers`, and never leave the
 * Prometheus host: redirects are followed only within the same origin, and one to another host is
 * refused (fetch would follow it with the headers, and the gate would judge that host's data).
 *
 * A private CA (an in-cluster Prometheus behind an internal TLS ingress) is trusted besides the
 * system roots through undici's Agent (`connect.ca`), with undici's own fetch: Node's global fetch is
 * a bundled undici of another version, to which an Agent of the package is not guaranteed to fit.
 * undici is loaded only when a CA is given. A certificate that is not trusted is not retried.
 */
import { rootCertificates } from 'node:tls'
import { messageOf } from '../../action/errors.js'
import {
  DEFAULT_RETRY,
  parseRetryAfter,
  withRetry,
  type RetryPolicy,
  type Verdict
} from '../../retry/index.js'

/** A failed query: names the server, the query and Prometheus's status and error. */
export class PrometheusError extends Error {
  constructor(
    readonly server: string,
    readonly query: string,
    problem: string,
    readonly status?: number,
    /** Milliseconds the server asked to wait (Retry-After), for retries. */
    readonly retryAfterMs?: number,
    /** Not worth retrying although no status came (an untrusted TLS certificate). */
    readonly permanent = false
  ) {
    super(`Prometheus ${server}: query '${query}' failed: ${problem}`)
    this.name = 'PrometheusError'
  }
}

/** How a query is made; every field has a default. */
export interface QueryOptions {
  /** Per attempt, to the complete answer; 10 s unless given. */
  readonly timeoutMs?: number
  /** Retries of transient faults; DEFAULT_RETRY unless given. */
  readonly retry?: RetryPolicy
  /** Ends the query (and its retries) early. */
  readonly signal?: AbortSignal
  /** Headers for every request (Authorization, a tenant header); sent to the Prometheus host only. */
  readonly headers?: Readonly<Record<string, string>>
  /** CA certificates (PEM) trusted for an https:// server besides the system roots. */
  readonly ca?: string
}

/** Redirects followed within the Prometheus host before giving up. */
const MAX_REDIRECTS = 5

/** The timeout of one attempt when none is given. */
export const DEFAULT_QUERY_TIMEOUT_MS = 10_000

/**
 * Evaluates `query` at `time` (default: now): a vector gives one value per series (NaN kept), a
 * scalar gives `[v]`, no series gives `[]`. Throws PrometheusError when the query is rejected, the
 * answer is another type, or the server cannot be reached after the retries.
 */
export async function instantQuery(
  url: string,
  query: string,
  time?: Date,
  options: QueryOptions = {}
): Promise<number[]> {
  const server = displayServer(url)
  const endpoint = queryUrl(url, server, query, time)
  return withRetry(
    options.retry ?? DEFAULT_RETRY,
    () => attempt(endpoint, server, query, options),
    (error) => classify(error, options.signal)
  )
}

/** `url` without credentials or query, for messages. */
function displayServer(url: string): string {
  try {
    const parsed = new URL(url)
    parsed.username = ''
    parsed.password = ''
    parsed.search = ''
    parsed.hash = ''
    return parsed.href.replace(/\/+$/, '')
  } catch {
    // not a URL: shown as given, and queryUrl reports it
    return url
  }
}

function queryUrl(url: string, server: string, query: string, time?: Date): URL {
  let endpoint: URL
  try {
    endpoint = new URL(`${url.replace(/\/+$/, '')}/api/v1/query`)
  } catch {
    throw new PrometheusError(server, query, 'the server is not a valid URL (expected http(s)://…)')
  }
  if (endpoint.protocol !== 'http:' && endpoint.protocol !== 'https:') {
    throw new PrometheusError(server, query, `unsupported protocol ${endpoint.protocol}`)
  }
  endpoint.searchParams.set('query', query)
  if (time) endpoint.searchParams.set('time', (time.getTime() / 1000).toFixed(3))
  return endpoint
}

/** Prometheus's JSON envelope; `data` when status is success, errorType/error otherwise. */
interface Envelope {
  readonly status?: string
  readonly data?: { readonly resultType?: string; readonly result?: unknown }
  readonly errorType?: string
  readonly error?: string
}

async function attempt(
  endpoint: URL,
  server: string,
  query: string,
  options: QueryOptions
): Promise<number[]> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS
  const timeout = AbortSignal.timeout(timeoutMs)
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout
  let response: Response
  let body: string
  const headers = { ...options.headers, Accept: 'application/json' }
  try {
    const send = options.ca === undefined ? fetch : await fetchTrusting(options.ca)
    let url = endpoint
    for (let hops = 0; ; hops++) {
      response = await send(url, { headers, signal, redirect: 'manual' })
      const location = response.headers.get('location')
      if (response.status < 300 || response.status >= 400 || location === null) break
      await response.body?.cancel()
      const next = new URL(location, url)
      if (next.origin !== endpoint.origin) {
        throw new PrometheusError(
          server,
          query,
          `${response.status} redirect to ${next.origin} refused: the query and its credentials go to ${endpoint.origin} only`,
          response.status
        )
      }
      if (hops >= MAX_REDIRECTS) {
        throw new PrometheusError(
          server,
          query,
          `more than ${MAX_REDIRECTS} redirects`,
          response.status
        )
      }
      url = next
    }
    body = await response.text()
  } catch (error) {
    if (error instanceof PrometheusError) throw error
    const tls = tlsProblem(error)
    if (tls) throw new PrometheusError(server, query, tls, undefined, undefined, true)
    throw new PrometheusError(server, query, `unreachable: ${networkProblem(error, timeoutMs)}`)
  }
  const envelope = parseEnvelope(body)
  if (!response.ok || envelope?.status !== 'success') {
    const said = envelope?.error
      ? `${envelope.errorType ?? 'error'}: ${envelope.error}`
      : body.slice(0, 200) || response.statusText
    const retryAfter = parseRetryAfter(response.headers.get('retry-after'))
    throw new PrometheusError(
      server,
      query,
      `${response.status} ${said}`,
      response.status,
      retryAfter
    )
  }
  return valuesOf(envelope.data, server, query)
}

function parseEnvelope(body: string): Envelope | undefined {
  try {
    const parsed: unknown = JSON.parse(body)
    return typeof parsed === 'object' && parsed !== null ? (parsed as Envelope) : undefined
  } catch {
    // not JSON (a proxy's error page): the caller reports the body's start
    return undefined
  }
}

/** The numbers of a vector or scalar result. */
function valuesOf(data: Envelope['data'], server: string, query: string): number[] {
  const result = data?.result
  if (data?.resultType === 'scalar' && Array.isArray(result)) return [sampleValue(result[1])]
  if (data?.resultType === 'vector' && Array.isArray(result)) {
    return result.map((series: { value?: unknown[] }) => sampleValue(series.value?.[1]))
  }
  const type = data?.resultType ?? 'no result'
  throw new PrometheusError(server, query, `answered ${type}; expected a vector or a scalar`, 200)
}

/** Prometheus writes sample values as strings: numbers, "NaN", "+Inf", "-Inf". */
function sampleValue(value: unknown): number {
  if (value === '+Inf') return Infinity
  if (value === '-Inf') return -Infinity
  return typeof value === 'string' ? Number(value) : NaN
}

type Fetch = (
  url: URL,
  init: { headers: Record<string, string>; signal: AbortSignal; redirect: 'manual' }
) => Promise<Response>

/** One fetch per CA for the process, so that its connections are kept alive across queries. */
const trusting = new Map<string, Promise<Fetch>>()

/** undici's fetch through an Agent that trusts `ca` as well as the system roots. */
function fetchTrusting(ca: string): Promise<Fetch> {
  let made = trusting.get(ca)
  if (!made) {
    made = import('undici').then((undici) => {
      // connect.ca replaces the roots rather than adding to them, as tls.connect's `ca` does
      const dispatcher = new undici.Agent({ connect: { ca: [...rootCertificates, ca] } })
      return ((url, init) =>
        undici.fetch(url, { ...init, dispatcher } as Parameters<typeof undici.fetch>[1])) as Fetch
    })
    trusting.set(ca, made)
  }
  return made
}

/** Codes of OpenSSL's verification and Node's host check: the server's certificate is not trusted. */
const UNTRUSTED_CERTIFICATE = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID'
])

/** "TLS: …" when the connection failed because the server's certificate is not trusted. */
function tlsProblem(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause
  if (typeof cause?.code !== 'string' || !UNTRUSTED_CERTIFICATE.has(cause.code)) return undefined
  // Node 24 appends advice about --use-system-ca, which an action's user cannot follow
  const said = messageOf(cause).split(';')[0]
  return `TLS: the server's certificate is not trusted: ${said} (${cause.code}); for a private CA, give its certificates in prometheus-ca`
}

function networkProblem(error: unknown, timeoutMs: number): string {
  // duck-typed: fetch's errors come from another realm under jest's vm and fail `instanceof Error`
  const thrown = error as { name?: unknown; cause?: { code?: unknown } } | undefined
  if (thrown?.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`
  if (thrown?.name === 'AbortError') return 'aborted'
  // undici's "fetch failed" hides the reason (ECONNREFUSED, ENOTFOUND) in its cause
  const cause = thrown?.cause
  return typeof cause?.code === 'string' ? messageOf(cause) : messageOf(error)
}

function classify(error: unknown, signal?: AbortSignal): Verdict {
  if (!(error instanceof PrometheusError) || signal?.aborted || error.permanent) {
    return { retry: false }
  }
  const { status } = error
  if (status === undefined || status === 429 || status >= 500) {
    return { retry: true, reason: error.message, afterMs: error.retryAfterMs }
  }
  return { retry: false }
}
