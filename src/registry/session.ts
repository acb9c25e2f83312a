/**
 * The one path every registry request takes: authorization (challenge, credentials, cached bearer
 * token), the transport's scheme choice and retries, one token refresh on 401, and refusals worded
 * for people. The client's reads, the writes (blobs, manifests, referrers) and the copy all use it.
 */
import type { Readable } from 'node:stream'
import { DEFAULT_RETRY, type RetryPolicy } from '../retry/index.js'
import { Authenticator, type AccessRequest } from './auth.js'
import { RegistryError, statusError } from './errors.js'
import { drain } from './http-exchange.js'
import type { HttpRequest, HttpResponse, HttpStreamResponse, Transport } from './http.js'
import { parseDigest, type Digest, type ImageRef } from './reference.js'
import type { Scope } from './token.js'

export type { AccessRequest }

/** A request on the session; a body that is a function opens a fresh stream for every attempt. */
export type SessionRequest = Omit<HttpRequest, 'body'> & {
  readonly body?: Buffer | string | (() => Promise<Readable>)
}

/** Authorized, retried requests to registries. */
export class Session {
  /**
   * Per registry, whether it has the OCI referrers API, once a listing has shown it: the spec has
   * a registry with the API never answer it 404, so one 404 settles it for the client's life.
   */
  readonly referrersApi = new Map<string, boolean>()

  constructor(
    readonly transport: Transport,
    private readonly auth: Authenticator,
    /** The retry policy, for operations that retry above single requests (blob uploads). */
    readonly retry: RetryPolicy = DEFAULT_RETRY
  ) {}

  /** `GET /v2/` once per registry: settles the scheme and returns the challenge scheme. */
  async ping(registry: string): Promise<string> {
    return (await this.auth.ping(registry))?.scheme ?? 'none'
  }

  /** One authorized request, its response read in full. */
  async send(access: AccessRequest, req: SessionRequest): Promise<HttpResponse> {
    return this.authorized(access, req, (wire) =>
      this.transport.send(access.registry, access.operation, wire)
    )
  }

  /** One authorized request whose response body is a stream (redirects followed); read or drain it. */
  stream(access: AccessRequest, req: SessionRequest): Promise<HttpStreamResponse> {
    return this.authorized(access, req, (wire) =>
      this.transport.stream(access.registry, access.operation, wire)
    )
  }

  /** What a request on `ref` needs: its repository, the actions, more scopes, and how to name it. */
  access(
    ref: Pick<ImageRef, 'registry' | 'repository'>,
    actions: string[],
    operation: string,
    extraScopes?: readonly Scope[]
  ): AccessRequest {
    return {
      registry: ref.registry,
      repository: ref.repository,
      actions,
      operation,
      ...(extraScopes && { extraScopes })
    }
  }

  /** The base URL (`https://host`) in use for a registry. */
  baseUrl(registry: string): string {
    return this.transport.baseUrl(registry)
  }

  /** The error for a status the operation did not expect. */
  unexpected(access: AccessRequest, response: HttpResponse): RegistryError {
    return statusError(access.registry, access.operation, response.status, response.body)
  }

  /** A digest from a `Docker-Content-Digest` header, or a DIGEST_INVALID error. */
  headerDigest(access: AccessRequest, header: string): Digest {
    try {
      return parseDigest(header.trim())
    } catch {
      throw mismatch(access, `sent an invalid Docker-Content-Digest '${header}'`)
    }
  }

  /** Authorizes, sends, refreshes the token once on 401; 401/403 that remain become refusals. */
  private async authorized<R extends HttpResponse | HttpStreamResponse>(
    access: AccessRequest,
    req: SessionRequest,
    exchange: (wire: HttpRequest) => Promise<R>
  ): Promise<R> {
    const signal = req.signal ?? access.signal
    const wire = async (header: string | undefined): Promise<HttpRequest> => {
      const body = typeof req.body === 'function' ? await req.body() : req.body
      const headers = header ? { ...req.headers, authorization: header } : req.headers
      return {
        method: req.method,
        path: req.path,
        ...(headers && { headers }),
        ...(body !== undefined && { body }),
        ...(signal !== undefined && { signal })
      }
    }
    const optimistic = req.body === undefined && (req.method === 'GET' || req.method === 'HEAD')
    let auth = await this.auth.authorize(access, false, optimistic)
    let response = await exchange(await wire(auth.header))
    if (auth.header === undefined && response.status !== 401)
      this.auth.answeredOpenly(access.registry)
    if (response.status === 401 && !auth.fresh) {
      await discard(response)
      this.auth.learn(access.registry, response)
      auth = await this.auth.authorize(access, true)
      response = await exchange(await wire(auth.header))
    }
    if (response.status === 401 || response.status === 403) {
      await discard(response)
      throw await this.auth.failure(access, response)
    }
    return response
  }
}

async function discard(response: { body: Buffer | Readable }): Promise<void> {
  if (!Buffer.isBuffer(response.body)) await drain(response.body)
}

/** A DIGEST_INVALID error: the registry's content or header does not match. */
export function mismatch(access: AccessRequest, what: string): RegistryError {
  return new RegistryError({
    server: access.registry,
    operation: access.operation,
    code: 'DIGEST_INVALID',
    message: `registry ${access.registry}: ${access.operation} ${what}`
  })
}
