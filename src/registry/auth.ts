/**
 * Authentication against a registry: the challenge learnt from `GET /v2/` (none, Basic or Bearer),
 * credentials looked up once per registry, bearer tokens fetched and cached per scope set, and the
 * wording of refusals: UNAUTHORIZED (credentials rejected or missing) versus DENIED (authenticated but
 * not allowed). https://distribution.github.io/distribution/spec/auth/token/
 */
import { parseChallenges, type Challenge } from './challenge.js'
import type { Credentials } from './credentials.js'
import { RegistryError, statusError } from './errors.js'
import type { HttpResponse, Transport } from './http.js'
import {
  basicHeader,
  fetchToken,
  formatScope,
  TokenCache,
  TokenRefusedError,
  type IssuedToken,
  type Scope
} from './token.js'

/** What a request needs access to, and how to name it in messages. */
export interface AccessRequest {
  readonly registry: string
  /** Repository the request is about; empty for registry-wide calls such as the ping. */
  readonly repository: string
  /** `['pull']` or `['pull', 'push']`. */
  readonly actions: readonly string[]
  /** More scopes in the same token, e.g. `pull` on the source repository of a cross-repo mount. */
  readonly extraScopes?: readonly Scope[]
  /** What is being done, e.g. `GET manifest library/app:1.0`. */
  readonly operation: string
  /**
   * Aborts the request (and its token request) instead of the client's signal: a clean-up that must
   * still go out once that signal has fired.
   */
  readonly signal?: AbortSignal
}

/** The Authorization header for one attempt; `fresh` when a retry with new credentials is pointless. */
export interface Authorization {
  readonly header?: string
  readonly fresh: boolean
}

/** Learns challenges, finds credentials, fetches and caches tokens for one client. */
export class Authenticator {
  private readonly challenges = new Map<string, Promise<Challenge | undefined>>()
  private readonly credentials = new Map<string, Promise<Credentials | undefined>>()
  private readonly tokens: TokenCache
  private readonly inFlight = new Map<string, Promise<IssuedToken>>()

  constructor(
    private readonly transport: Transport,
    private readonly lookup: (registry: string) => Promise<Credentials | undefined>,
    private readonly now: () => number = Date.now
  ) {
    this.tokens = new TokenCache(now)
  }

  /** `GET /v2/` once per registry: settles the scheme and returns the challenge (none when open). */
  ping(registry: string): Promise<Challenge | undefined> {
    let known = this.challenges.get(registry)
    if (!known) {
      known = this.pingOnce(registry)
      this.challenges.set(registry, known)
      // A failed ping is not remembered: the next call asks again.
      known.catch(() => this.challenges.delete(registry))
    }
    return known
  }

  /** Remembers the challenge of a 401 that arrived after the ping (the registry changed its mind). */
  learn(registry: string, response: Pick<HttpResponse, 'headers'>): void {
    const challenge = pickChallenge(response.headers['www-authenticate'])
    if (challenge) this.challenges.set(registry, Promise.resolve(challenge))
  }

  /**
   * Remembers that a registry answered a request without credentials with something other than 401
   * (what a ping would have learnt: no challenge), so that later requests, writes too, need no ping.
   * A registry that does want credentials for a write answers it 401 with its challenge.
   */
  answeredOpenly(registry: string): void {
    if (!this.challenges.has(registry)) this.challenges.set(registry, Promise.resolve(undefined))
  }

  /**
   * The Authorization header for a request; `refresh` drops cached tokens first. An `optimistic`
   * request (one without a body, so it can be sent again) to a registry whose challenge is not known
   * yet and for which there are no credentials goes out without asking `GET /v2/` first: an open
   * registry answers it at once, and any other answers 401 with the challenge that the ping would
   * have returned. A poll that finds nothing new is then one request, not two.
   */
  async authorize(
    access: AccessRequest,
    refresh = false,
    optimistic = false
  ): Promise<Authorization> {
    if (optimistic && !this.challenges.has(access.registry)) {
      if ((await this.credentialsFor(access.registry)) === undefined) return { fresh: false }
    }
    const challenge = await this.ping(access.registry)
    if (!challenge) return { fresh: false }
    const credentials = await this.credentialsFor(access.registry)
    if (challenge.scheme === 'basic') {
      const basic = credentials && 'username' in credentials ? credentials : undefined
      return { header: basic && basicHeader(basic), fresh: true }
    }
    if (challenge.scheme !== 'bearer') return { fresh: true }
    const realm = challenge.params.realm
    if (!realm) {
      throw new RegistryError({
        server: access.registry,
        operation: access.operation,
        code: 'UNSUPPORTED',
        message: `registry ${access.registry}: ${access.operation} failed: Bearer challenge without a realm`
      })
    }
    const scopes = scopesOf(access)
    if (refresh) this.tokens.drop(access.registry, scopes)
    const cached = this.tokens.get(access.registry, scopes)
    if (cached) return { header: `Bearer ${cached}`, fresh: false }
    const service = challenge.params.service
    try {
      const issued = await this.shared(access.registry, scopes, () =>
        fetchToken(
          this.transport,
          { realm, ...(service !== undefined && { service }) },
          scopes,
          credentials,
          this.now,
          access.signal
        )
      )
      this.tokens.put(access.registry, scopes, issued.token, issued.expiresAt)
      return { header: `Bearer ${issued.token}`, fresh: true }
    } catch (error) {
      if (error instanceof TokenRefusedError) {
        throw this.refusal(access, error.status === 403, error.status, credentials)
      }
      throw error
    }
  }

  /** The error for a 401 or 403 that survived a fresh authorization. */
  async failure(
    access: AccessRequest,
    response: Pick<HttpResponse, 'status' | 'headers'>
  ): Promise<RegistryError> {
    const credentials = await this.credentialsFor(access.registry)
    const error = pickChallenge(response.headers['www-authenticate'])?.params.error
    const denied = response.status === 403 || error === 'insufficient_scope'
    return this.refusal(access, denied, response.status, credentials)
  }

  /** UNAUTHORIZED when credentials are missing or rejected, DENIED when they lack the access. */
  private refusal(
    access: AccessRequest,
    denied: boolean,
    status: number,
    credentials: Credentials | undefined
  ): RegistryError {
    const { registry, operation } = access
    const action = access.actions.includes('push') ? 'push' : 'pull'
    const target = access.repository ? `${action} ${access.repository}` : 'access it'
    if (!credentials) {
      return new RegistryError({
        server: registry,
        operation,
        status,
        code: 'UNAUTHORIZED',
        message: `registry ${registry} requires credentials to ${target} (${status}) and none were found for ${registry}`
      })
    }
    if (!denied) {
      return new RegistryError({
        server: registry,
        operation,
        status,
        code: 'UNAUTHORIZED',
        message: `credentials for ${registry} were rejected (401) during ${operation}`
      })
    }
    const who =
      'username' in credentials
        ? `authenticated as ${credentials.username}`
        : 'authenticated with an identity token'
    return new RegistryError({
      server: registry,
      operation,
      status,
      code: 'DENIED',
      message: `registry ${registry}: ${who} but not allowed to ${target} (403)`
    })
  }

  /** One token request for requests that want the same scopes at the same time (a copy's first blobs). */
  private shared(
    registry: string,
    scopes: readonly Scope[],
    fetch: () => Promise<IssuedToken>
  ): Promise<IssuedToken> {
    const key = `${registry} ${scopes.map(formatScope).join(' ')}`
    let pending = this.inFlight.get(key)
    if (!pending) {
      pending = fetch().finally(() => this.inFlight.delete(key))
      this.inFlight.set(key, pending)
    }
    return pending
  }

  private credentialsFor(registry: string): Promise<Credentials | undefined> {
    let found = this.credentials.get(registry)
    if (!found) {
      found = this.lookup(registry)
      this.credentials.set(registry, found)
    }
    return found
  }

  private async pingOnce(registry: string): Promise<Challenge | undefined> {
    const response = await this.transport.send(registry, 'ping', { method: 'GET', path: '/v2/' })
    if (response.status >= 200 && response.status < 300) return undefined
    if (response.status === 401) {
      return pickChallenge(response.headers['www-authenticate']) ?? { scheme: 'basic', params: {} }
    }
    throw statusError(registry, 'ping', response.status, response.body)
  }
}

/** Bearer when offered (it carries scopes), else Basic, else the first challenge. */
function pickChallenge(header: string | undefined): Challenge | undefined {
  const all = parseChallenges(header)
  return all.find((c) => c.scheme === 'bearer') ?? all.find((c) => c.scheme === 'basic') ?? all[0]
}

function scopesOf(access: AccessRequest): Scope[] {
  const own: Scope[] = access.repository
    ? [{ type: 'repository', name: access.repository, actions: access.actions }]
    : []
  return [...own, ...(access.extraScopes ?? [])]
}
