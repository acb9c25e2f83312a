/**
 * The transport under the registry client: keep-alive agents of node:http/https per client
 * (optional extra CA), the choice of scheme per registry, and retries of transient failures via
 * src/retry. Node's own HTTP client rather than the undici package: the registry API needs nothing
 * more, and leaving undici out takes 1.6 MB and ~50 ms of start-up off every action bundle.
 *
 * Scheme: HTTPS, except registries named in `insecure` (plain HTTP), and loopback registries, which
 * are tried over HTTPS first and spoken to over plain HTTP when they do not offer TLS, as Docker
 * does (https://docs.docker.com/reference/cli/dockerd/#insecure-registries). The choice is kept per
 * registry for the life of the client.
 */
import * as core from '@actions/core'
import * as http from 'node:http'
import * as https from 'node:https'
import type { Readable } from 'node:stream'
import { rootCertificates } from 'node:tls'
import { DEFAULT_RETRY, parseRetryAfter, withRetry, type RetryPolicy } from '../retry/index.js'
import { messageOf } from '../action/errors.js'
import { errorCode, RegistryError, statusError, unreachableError } from './errors.js'
import { abortableRetry } from './abort.js'
import {
  drain,
  exchange,
  exchangeStream,
  readAll,
  type BufferedResponse,
  type ExchangeLimits,
  type Method,
  type StreamedResponse,
  type WireRequest
} from './http-exchange.js'
import { isLoopbackRegistry, registryApiHost } from './reference.js'
import { classifyFailure, isTransientStatus } from './transient.js'

export type { Method } from './http-exchange.js'

/**
 * One request. A buffer body is sent again on a retry; a Readable body is sent once (a stream cannot
 * be rewound), so a request with one is not retried here: the caller restarts from the source.
 */
export interface HttpRequest {
  readonly method: Method
  /** Path and query on the registry (`/v2/…`), or an absolute URL for `sendUrl`. */
  readonly path: string
  readonly headers?: Readonly<Record<string, string>>
  readonly body?: Buffer | string | Readable
  /** Aborts this request instead of the transport's signal (a clean-up that must outlive it). */
  readonly signal?: AbortSignal
}

/** A response read in full; header names are lowercase, repeated headers joined with `, `. */
export type HttpResponse = BufferedResponse

/** A response whose body is a stream, for blobs; the caller reads or drains it. */
export type HttpStreamResponse = StreamedResponse

/** Transport settings, a subset of the client's. */
export interface TransportOptions {
  /** Registries (`host[:port]`, or a host for any port) spoken to over plain HTTP. */
  readonly insecure?: readonly string[]
  /** Extra CA certificate(s), PEM, trusted besides the system roots. */
  readonly ca?: string
  /** Retry policy for transient failures. */
  readonly retry?: RetryPolicy
  /** User-Agent header. */
  readonly userAgent?: string
  /** Silence after which a request fails as a transient ETIMEDOUT (default 60 s). */
  readonly idleTimeoutMs?: number
  /** Aborts every request in flight and fails every later one (a stage's timeout). */
  readonly signal?: AbortSignal
}

/** A request sent and not yet answered, for saying what a timeout interrupted. */
export interface InFlightRequest {
  readonly server: string
  readonly operation: string
  /** Milliseconds since it was sent. */
  readonly forMs: number
}

type Scheme = 'https' | 'http'

/**
 * HTTP requests a transport has had answered (any status; retries, pings and 401 refreshes each
 * count; connections that failed before a response and redirect hops to blob storage do not).
 */
export interface RequestCounts {
  /** Requests to registries' APIs (`send`, `stream`). */
  readonly registry: number
  /** Requests to absolute URLs (`sendUrl`): bearer-token requests to token servers. */
  readonly token: number
}

/** Sends requests to registries with scheme selection and retries. */
export class Transport {
  private readonly agents: { readonly http: http.Agent; readonly https: https.Agent }
  private readonly retry: RetryPolicy
  private readonly userAgent: string
  private readonly insecure: readonly string[]
  private readonly schemes = new Map<string, Scheme>()
  private readonly answered = new Set<string>()
  private readonly counts = { registry: 0, token: 0 }
  private readonly idleTimeoutMs: number | undefined
  private readonly signal: AbortSignal | undefined
  private readonly flying = new Set<{ server: string; operation: string; since: number }>()

  constructor(options: TransportOptions = {}) {
    this.agents = {
      http: new http.Agent({ keepAlive: true }),
      https: new https.Agent({
        keepAlive: true,
        ...(options.ca !== undefined && { ca: [...rootCertificates, options.ca] })
      })
    }
    this.retry = options.retry ?? DEFAULT_RETRY
    this.userAgent = options.userAgent ?? 'rollout-kit'
    this.insecure = options.insecure ?? []
    this.idleTimeoutMs = options.idleTimeoutMs
    this.signal = options.signal
  }

  /** Sends a request to a registry's API, retrying transient failures (not with a stream body). */
  send(registry: string, operation: string, req: HttpRequest): Promise<HttpResponse> {
    return this.retrying(registry, operation, req, async (url, wire, limits) => {
      const agent = url.protocol === 'https:' ? this.agents.https : this.agents.http
      return exchange(url, agent, wire, limits)
    })
  }

  /**
   * Sends a request and hands the response body over as a stream, following redirects (a blob's
   * storage): the registry's Authorization header goes only to the registry's own origin. Failures
   * before the body are retried; the caller restarts a body that fails midway.
   */
  stream(registry: string, operation: string, req: HttpRequest): Promise<HttpStreamResponse> {
    return this.retrying(registry, operation, req, (url, wire, limits) =>
      this.followRedirects(url, wire, registry, operation, limits)
    )
  }

  /** Sends a request to an absolute URL (a token realm, a redirect), retrying transient failures. */
  sendUrl(operation: string, req: HttpRequest): Promise<HttpResponse> {
    const url = new URL(req.path)
    const limits = this.limitsOf(req)
    return withRetry(
      abortableRetry(this.retry, limits.signal),
      () => this.checked(url, url.host, operation, req, exchangeAt(this.agents), limits, 'token'),
      (error) => classifyFailure(error, this.answered.has(url.host)),
      (reason, delay, n) => this.logRetry(url.host, operation, reason, delay, n)
    )
  }

  /** Requests sent and not yet answered (a streamed body counts until its headers arrive). */
  inFlight(): InFlightRequest[] {
    const now = performance.now()
    return [...this.flying].map(({ server, operation, since }) => ({
      server,
      operation,
      forMs: now - since
    }))
  }

  /** The requests answered so far; a caller measures an operation by the difference. */
  requestCounts(): RequestCounts {
    return { ...this.counts }
  }

  /** The base URL (`https://host`) last used for a registry; HTTPS until a request decides. */
  baseUrl(registry: string): string {
    return `${this.schemes.get(registry) ?? this.defaultScheme(registry)}://${registryApiHost(registry)}`
  }

  /** Whether plain HTTP to a host is acceptable: a loopback host or one named insecure. */
  allowsPlainHttp(host: string): boolean {
    return isLoopbackRegistry(host) || this.defaultScheme(host) === 'http'
  }

  /** Closes the kept-alive connections. */
  async close(): Promise<void> {
    this.agents.http.destroy()
    this.agents.https.destroy()
  }

  private limitsOf(req: HttpRequest): ExchangeLimits {
    const signal = req.signal ?? this.signal
    return {
      ...(this.idleTimeoutMs !== undefined && { idleTimeoutMs: this.idleTimeoutMs }),
      ...(signal !== undefined && { signal })
    }
  }

  private retrying<R extends StreamedResponse | BufferedResponse>(
    registry: string,
    operation: string,
    req: HttpRequest,
    send: Sender<R>
  ): Promise<R> {
    const streamed =
      req.body !== undefined && typeof req.body === 'object' && !Buffer.isBuffer(req.body)
    const limits = this.limitsOf(req)
    const policy = abortableRetry(
      streamed ? { ...this.retry, attempts: 1 } : this.retry,
      limits.signal
    )
    return withRetry(
      policy,
      () => this.attempt(registry, operation, req, send, limits),
      (error) => classifyFailure(error, this.answered.has(registry)),
      (reason, delay, n) => this.logRetry(registry, operation, reason, delay, n)
    )
  }

  private async attempt<R extends StreamedResponse | BufferedResponse>(
    registry: string,
    operation: string,
    req: HttpRequest,
    send: Sender<R>,
    limits: ExchangeLimits
  ): Promise<R> {
    const host = registryApiHost(registry)
    const known = this.schemes.get(registry)
    const scheme = known ?? this.defaultScheme(registry)
    const url = (s: Scheme) => new URL(`${s}://${host}${req.path}`)
    if (known !== undefined || scheme === 'http' || !isLoopbackRegistry(registry)) {
      const response = await this.checked(url(scheme), registry, operation, req, send, limits)
      this.schemes.set(registry, scheme)
      return response
    }
    try {
      const response = await this.checked(url('https'), registry, operation, req, send, limits)
      this.schemes.set(registry, 'https')
      return response
    } catch (error) {
      if (!tlsNotOffered(error)) throw error
      core.debug(`registry ${registry} does not offer TLS on loopback; using plain HTTP`)
      const response = await this.checked(url('http'), registry, operation, req, send, limits)
      this.schemes.set(registry, 'http')
      return response
    }
  }

  /** One exchange; throws a RegistryError when unreachable or the status is transient. */
  private async checked<R extends StreamedResponse | BufferedResponse>(
    url: URL,
    server: string,
    operation: string,
    req: HttpRequest,
    send: Sender<R>,
    limits: ExchangeLimits,
    counted: keyof RequestCounts = 'registry'
  ): Promise<R> {
    let response: R
    const flight = { server, operation, since: performance.now() }
    this.flying.add(flight)
    try {
      const headers = { 'user-agent': this.userAgent, ...req.headers }
      response = await send(url, { method: req.method, headers, body: req.body }, limits)
    } catch (error) {
      throw unreachableError(server, operation, error)
    } finally {
      this.flying.delete(flight)
    }
    this.answered.add(server)
    this.counts[counted]++
    if (isTransientStatus(response.status)) {
      const after = parseRetryAfter(response.headers['retry-after'])
      const body = Buffer.isBuffer(response.body) ? response.body : await bodyOf(response.body)
      throw statusError(server, operation, response.status, body, after)
    }
    return response
  }

  /** GETs `url`, following up to five redirects; Authorization is kept for the same origin only. */
  private async followRedirects(
    url: URL,
    wire: WireRequest,
    registry: string,
    operation: string,
    limits: ExchangeLimits
  ): Promise<StreamedResponse> {
    const agentFor = (u: URL) => (u.protocol === 'https:' ? this.agents.https : this.agents.http)
    let response = await exchangeStream(url, agentFor(url), wire, limits)
    for (let hops = 0; isRedirect(wire, response); hops++) {
      if (hops === 5) throw new Error(`more than 5 redirects from ${url.origin}`)
      await drain(response.body)
      const next = new URL(response.headers.location ?? '', url)
      const headers = { ...wire.headers }
      if (next.origin !== url.origin) delete headers.authorization
      core.debug(`registry ${registry}: ${operation} redirected to ${next.origin}`)
      response = await exchangeStream(
        next,
        agentFor(next),
        { method: wire.method, headers },
        limits
      )
    }
    return response
  }

  private defaultScheme(registry: string): Scheme {
    const hostOnly = registry.replace(/:\d+$/, '')
    return this.insecure.includes(registry) || this.insecure.includes(hostOnly) ? 'http' : 'https'
  }

  private logRetry(server: string, operation: string, reason: string, delay: number, n: number) {
    const seconds = (delay / 1000).toFixed(1)
    core.info(
      `registry ${server}: ${operation} failed (${reason}); retrying in ${seconds}s (attempt ${n + 1} of ${this.retry.attempts})`
    )
  }
}

/** Whether a failed HTTPS attempt means the server speaks plain HTTP on that port. */
function tlsNotOffered(error: unknown): boolean {
  const cause = error instanceof RegistryError ? error.cause : error
  const code = errorCode(cause) ?? ''
  const message = messageOf(cause)
  return (
    ['EPROTO', 'ECONNRESET', 'UND_ERR_SOCKET'].includes(code) ||
    code.startsWith('ERR_SSL_') ||
    /wrong version number|packet length too long/i.test(message)
  )
}

const REDIRECTS = new Set([301, 302, 303, 307, 308])

/** Only GETs follow redirects: a HEAD's redirect already says the blob exists (and storage URLs are signed for GET). */
function isRedirect(wire: WireRequest, response: StreamedResponse): boolean {
  return wire.method === 'GET' && REDIRECTS.has(response.status) && !!response.headers.location
}

type Sender<R> = (url: URL, wire: WireRequest, limits: ExchangeLimits) => Promise<R>

function exchangeAt(agents: { http: http.Agent; https: https.Agent }): Sender<BufferedResponse> {
  return (url, wire, limits) =>
    exchange(url, url.protocol === 'https:' ? agents.https : agents.http, wire, limits)
}

/** The body of a failed streamed response, for its error message; a cut-off body is empty. */
function bodyOf(body: Readable): Promise<Buffer> {
  return readAll(body).catch(() => Buffer.alloc(0))
}
