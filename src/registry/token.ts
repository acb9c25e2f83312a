/**
 * Bearer tokens from a registry's token server (https://distribution.github.io/distribution/spec/auth/token/
 * and .../auth/oauth/) and a cache of them keyed by registry and scope set: a cached token serves any
 * request whose scopes it covers, so one token asked for `pull,push` on two repositories (a cross-repo
 * mount) also serves a pull of either.
 */
import { mask } from './mask.js'
import { RegistryError } from './errors.js'
import type { BasicCredentials, Credentials } from './credentials.js'
import type { HttpResponse, Transport } from './http.js'

/** What a token grants: `repository:<name>:pull,push`. */
export interface Scope {
  readonly type: 'repository' | 'registry'
  readonly name: string
  readonly actions: readonly string[]
}

/** `repository:library/busybox:pull,push`. */
export function formatScope(scope: Scope): string {
  return `${scope.type}:${scope.name}:${scope.actions.join(',')}`
}

interface CachedToken {
  readonly scopes: readonly Scope[]
  readonly token: string
  readonly expiresAt: number
}

/** Tokens per registry; a token serves every request whose scopes its own cover. */
export class TokenCache {
  private readonly byRegistry = new Map<string, CachedToken[]>()

  constructor(private readonly now: () => number = Date.now) {}

  /** A live token covering all `scopes`, if one is cached. */
  get(registry: string, scopes: readonly Scope[]): string | undefined {
    const now = this.now()
    return this.byRegistry
      .get(registry)
      ?.find((entry) => entry.expiresAt > now && covers(entry.scopes, scopes))?.token
  }

  /** Caches a token for the scopes it was asked for. */
  put(registry: string, scopes: readonly Scope[], token: string, expiresAt: number): void {
    const live = (this.byRegistry.get(registry) ?? []).filter((e) => e.expiresAt > this.now())
    this.byRegistry.set(registry, [...live, { scopes, token, expiresAt }])
  }

  /** Forgets every token that would serve `scopes` (it was refused). */
  drop(registry: string, scopes: readonly Scope[]): void {
    const kept = (this.byRegistry.get(registry) ?? []).filter((e) => !covers(e.scopes, scopes))
    this.byRegistry.set(registry, kept)
  }
}

function covers(held: readonly Scope[], wanted: readonly Scope[]): boolean {
  return wanted.every((w) =>
    held.some(
      (h) =>
        h.type === w.type &&
        h.name === w.name &&
        (h.actions.includes('*') || w.actions.every((a) => h.actions.includes(a)))
    )
  )
}

/** The token server's parameters from a Bearer challenge. */
export interface TokenRealm {
  readonly realm: string
  readonly service?: string
}

/** A token and when to stop using it (a little before it expires). */
export interface IssuedToken {
  readonly token: string
  readonly expiresAt: number
}

/** Why a token request failed in a way the caller words for the user (401 / 403). */
export class TokenRefusedError extends Error {
  constructor(readonly status: 401 | 403) {
    super(`token request refused (${status})`)
    this.name = 'TokenRefusedError'
  }
}

/**
 * Asks the token server for a token: GET with Basic credentials (or none), or the OAuth2 POST with a
 * refresh token for identity tokens. Throws TokenRefusedError on 401/403, a RegistryError otherwise.
 */
export async function fetchToken(
  transport: Transport,
  realm: TokenRealm,
  scopes: readonly Scope[],
  credentials: Credentials | undefined,
  now: () => number = Date.now,
  signal?: AbortSignal
): Promise<IssuedToken> {
  const url = new URL(realm.realm)
  const operation = `token request for ${scopes.map(formatScope).join(' ') || 'registry access'}`
  if (credentials && url.protocol === 'http:' && !transport.allowsPlainHttp(url.host)) {
    throw new RegistryError({
      server: url.host,
      operation,
      code: 'INSECURE_REALM',
      message: `registry token server ${url.host}: refusing to send credentials over plain HTTP to ${url.origin}; name it in 'insecure' if that is intended`
    })
  }
  let response: HttpResponse
  if (credentials && 'identityToken' in credentials) {
    const form = new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: credentials.identityToken,
      client_id: 'rollout-kit',
      ...(realm.service !== undefined && { service: realm.service }),
      scope: scopes.map(formatScope).join(' ')
    })
    response = await transport.sendUrl(operation, {
      method: 'POST',
      path: url.href,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
      ...(signal && { signal })
    })
  } else {
    if (realm.service !== undefined) url.searchParams.set('service', realm.service)
    for (const scope of scopes) url.searchParams.append('scope', formatScope(scope))
    const basic = credentials ? basicHeader(credentials) : undefined
    response = await transport.sendUrl(operation, {
      method: 'GET',
      path: url.href,
      headers: basic ? { authorization: basic } : {},
      ...(signal && { signal })
    })
  }
  if (response.status === 401 || response.status === 403)
    throw new TokenRefusedError(response.status)
  return issuedToken(response, url.host, operation, now())
}

/** `Basic base64(user:password)`, masked before it can reach a log. */
export function basicHeader(credentials: BasicCredentials): string {
  const encoded = Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')
  mask(encoded)
  return `Basic ${encoded}`
}

function issuedToken(
  response: HttpResponse,
  server: string,
  operation: string,
  now: number
): IssuedToken {
  const fail = (what: string) =>
    new RegistryError({
      server,
      operation,
      status: response.status,
      code: 'TOKEN_INVALID',
      message: `registry token server ${server}: ${operation} failed: ${what}`
    })
  if (response.status !== 200) throw fail(`${response.status} (expected 200)`)
  let body: { token?: unknown; access_token?: unknown; expires_in?: unknown }
  try {
    body = JSON.parse(response.body.toString('utf8')) as typeof body
  } catch {
    throw fail('the response is not JSON')
  }
  const token = typeof body.access_token === 'string' ? body.access_token : body.token
  if (typeof token !== 'string' || token === '') throw fail('the response holds no token')
  mask(token)
  // The spec's default lifetime is 60 s; stop using a token 10 % early so it never expires in flight.
  const seconds = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 60
  return { token, expiresAt: now + seconds * 900 }
}
