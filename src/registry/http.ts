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
import { rootCertificates } from 'node:tls'
import { DEFAULT_RETRY, parseRetryAfter, withRetry, type RetryPolicy } from '../retry/index.js'
import { errorCode, messageOf, RegistryError, statusError, unreachableError } from './errors.js'
import { isLoopbackRegistry, registryApiHost } from './reference.js'
import { classifyFailure, isTransientStatus } from './transient.js'

/** HTTP methods the registry API uses. */
export type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

/** One request; the body is a buffer so that a retry can send it again. */
export interface HttpRequest {
  readonly method: Method
  /** Path and query on the registry (`/v2/…`), or an absolute URL for `sendUrl`. */
  readonly path: string
  readonly headers?: Readonly<Record<string, string>>
  readonly body?: Buffer | string
}

/** A response read in full; header names are lowercase, repeated headers joined with `, `. */
export interface HttpResponse {
  readonly status: number
  readonly headers: Readonly<Record<string, string | undefined>>
  readonly body: Buffer
}

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
}

type Scheme = 'https' | 'http'

/** Sends requests to registries with scheme selection and retries. */
export class Transport {
  private readonly agents: { readonly http: http.Agent; readonly https: https.Agent }
  private readonly retry: RetryPolicy
  private readonly userAgent: string
  private readonly insecure: readonly string[]
  private readonly schemes = new Map<string, Scheme>()
  private readonly answered = new Set<string>()

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
  }

  /** Sends a request to a registry's API, retrying transient failures. */
  send(registry: string, operation: string, req: HttpRequest): Promise<HttpResponse> {
    return withRetry(
      this.retry,
      () => this.attempt(registry, operation, req),
      (error) => classifyFailure(error, this.answered.has(registry)),
      (reason, delay, n) => this.logRetry(registry, operation, reason, delay, n)
    )
  }

  /** Sends a request to an absolute URL (a token realm, a redirect), retrying transient failures. */
  sendUrl(operation: string, req: HttpRequest): Promise<HttpResponse> {
    const url = new URL(req.path)
    return withRetry(
      this.retry,
      () => this.exchange(url, url.host, operation, req),
      (error) => classifyFailure(error, this.answered.has(url.host)),
      (reason, delay, n) => this.logRetry(url.host, operation, reason, delay, n)
    )
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

  private async attempt(registry: string, operation: string, req: HttpRequest) {
    const host = registryApiHost(registry)
    const known = this.schemes.get(registry)
    const scheme = known ?? this.defaultScheme(registry)
    const url = (s: Scheme) => new URL(`${s}://${host}${req.path}`)
    if (known !== undefined || scheme === 'http' || !isLoopbackRegistry(registry)) {
      const response = await this.exchange(url(scheme), registry, operation, req)
      this.schemes.set(registry, scheme)
      return response
    }
    try {
      const response = await this.exchange(url('https'), registry, operation, req)
      this.schemes.set(registry, 'https')
      return response
    } catch (error) {
      if (!tlsNotOffered(error)) throw error
      core.debug(`registry ${registry} does not offer TLS on loopback; using plain HTTP`)
      const response = await this.exchange(url('http'), registry, operation, req)
      this.schemes.set(registry, 'http')
      return response
    }
  }

  /** One HTTP exchange; throws a RegistryError when unreachable or the status is transient. */
  private async exchange(
    url: URL,
    server: string,
    operation: string,
    req: HttpRequest
  ): Promise<HttpResponse> {
    let response: HttpResponse
    try {
      const agent = url.protocol === 'https:' ? this.agents.https : this.agents.http
      const headers = { 'user-agent': this.userAgent, ...req.headers }
      response = await roundTrip(url, agent, { method: req.method, headers, body: req.body })
    } catch (error) {
      throw unreachableError(server, operation, error)
    }
    this.answered.add(server)
    if (isTransientStatus(response.status)) {
      const after = parseRetryAfter(response.headers['retry-after'])
      throw statusError(server, operation, response.status, response.body, after)
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

const IDLE_TIMEOUT_MS = 300_000

/** One request and its whole response; socket errors (also mid-body) reject with their code. */
function roundTrip(
  url: URL,
  agent: http.Agent,
  req: { method: Method; headers: Record<string, string>; body?: Buffer | string }
): Promise<HttpResponse> {
  const send = url.protocol === 'https:' ? https.request : http.request
  return new Promise((resolve, reject) => {
    const outgoing = send(url, { agent, method: req.method, headers: req.headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('error', reject)
      res.on('aborted', () =>
        reject(Object.assign(new Error('response aborted'), { code: 'ECONNRESET' }))
      )
      res.on('end', () => {
        if (!res.complete) {
          reject(Object.assign(new Error('response cut off'), { code: 'ECONNRESET' }))
          return
        }
        resolve({
          status: res.statusCode ?? 0,
          headers: flatten(res.headers),
          body: Buffer.concat(chunks)
        })
      })
    })
    outgoing.on('error', reject)
    outgoing.setTimeout(IDLE_TIMEOUT_MS, () =>
      outgoing.destroy(
        Object.assign(new Error(`no data for ${IDLE_TIMEOUT_MS / 1000} s`), { code: 'ETIMEDOUT' })
      )
    )
    outgoing.end(req.body)
  })
}

function flatten(headers: http.IncomingHttpHeaders): Record<string, string | undefined> {
  const flat: Record<string, string | undefined> = {}
  for (const [name, value] of Object.entries(headers)) {
    flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value
  }
  return flat
}
