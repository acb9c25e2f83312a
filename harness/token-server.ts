import { createPrivateKey, randomUUID, timingSafeEqual, X509Certificate } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { SignJWT } from 'jose'
import type { CertFiles } from './tls.js'

/** A user the token server knows. Everyone may pull; only `push: true` users may push and delete. */
export interface TokenUser {
  readonly password: string
  readonly push?: boolean
}

/** Options for {@link startTokenServer}. */
export interface TokenServerOptions {
  readonly users: Readonly<Record<string, TokenUser>>
  /** The `service` the registry names in its challenge; becomes the token's `aud`. */
  readonly service: string
  /** The token's `iss`; the registry's `auth.token.issuer` must match. */
  readonly issuer: string
  /** Signs the tokens (ES256); its certificate goes into the JWS `x5c` header. */
  readonly signing: CertFiles
  /** Token lifetime (default 300 s). Note distribution 2.8 accepts tokens up to 60 s past `exp`. */
  readonly tokenTtlSeconds?: number
  /** Whether requests without credentials get `pull` (default true). */
  readonly anonymousPull?: boolean
}

/** One access grant, as in the token's `access` claim. */
export interface TokenAccess {
  readonly type: string
  readonly name: string
  readonly actions: string[]
}

/** What the token server saw and answered, in order. */
export interface TokenRequestRecord {
  readonly method: string
  /** The authenticated account, or null for an anonymous request. */
  readonly account: string | null
  readonly scopes: string[]
  readonly status: number
  readonly granted: TokenAccess[]
}

/** A running token server. */
export interface TokenServer {
  /** Base URL, `http://127.0.0.1:PORT`. */
  readonly url: string
  /** The realm to configure in the registry (`<url>/token`). */
  readonly realm: string
  readonly service: string
  readonly issuer: string
  /** Every token request so far (GET and POST); tests assert caching with `.length`. */
  readonly requests: TokenRequestRecord[]
  stop(): Promise<void>
}

const DEFAULT_TTL_SECONDS = 300

/**
 * Starts a Docker registry token server on loopback, following
 * https://distribution.github.io/distribution/spec/auth/token/ (GET) and oauth.md (POST).
 */
export async function startTokenServer(options: TokenServerOptions): Promise<TokenServer> {
  const requests: TokenRequestRecord[] = []
  const state: State = { options, issue: tokenIssuer(options), requests, refreshTokens: new Map() }
  const server = createServer((req, res) => {
    handle(req, res, state).catch((error: unknown) => {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error))
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  const address = server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0
  const url = `http://127.0.0.1:${port}`
  return {
    url,
    realm: `${url}/token`,
    service: options.service,
    issuer: options.issuer,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

interface State {
  readonly options: TokenServerOptions
  readonly issue: Issue
  readonly requests: TokenRequestRecord[]
  /** Opaque refresh token → account. */
  readonly refreshTokens: Map<string, string>
}

type Issue = (account: string | null, access: TokenAccess[]) => Promise<IssuedToken>
interface IssuedToken {
  readonly token: string
  readonly expiresIn: number
  readonly issuedAt: string
}

function tokenIssuer(options: TokenServerOptions): Issue {
  const key = createPrivateKey(options.signing.keyPem)
  // x5c carries the signing certificate; distribution verifies it against `rootcertbundle`,
  // which avoids libtrust key IDs (`kid`) altogether.
  const x5c = [new X509Certificate(options.signing.certPem).raw.toString('base64')]
  const ttl = options.tokenTtlSeconds ?? DEFAULT_TTL_SECONDS
  return async (account, access) => {
    const now = Math.floor(Date.now() / 1000)
    const token = await new SignJWT({ access })
      .setProtectedHeader({ alg: 'ES256', typ: 'JWT', x5c })
      .setIssuer(options.issuer)
      .setSubject(account ?? '')
      // distribution 2.8 reads `aud` as a single string, not a list
      .setAudience(options.service)
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + ttl)
      .setJti(randomUUID())
      .sign(key)
    return { token, expiresIn: ttl, issuedAt: new Date(now * 1000).toISOString() }
  }
}

async function handle(req: IncomingMessage, res: ServerResponse, state: State): Promise<void> {
  const { options, requests } = state
  const url = new URL(req.url ?? '/', 'http://token.invalid')
  if (url.pathname !== '/token' || (req.method !== 'GET' && req.method !== 'POST')) {
    res.writeHead(404).end()
    return
  }
  const form = req.method === 'POST' ? new URLSearchParams(await readBody(req)) : url.searchParams
  const scopes =
    req.method === 'POST'
      ? (form.get('scope') ?? '').split(' ').filter(Boolean)
      : form.getAll('scope').flatMap((scope) => scope.split(' ').filter(Boolean))
  const login =
    req.method === 'POST' ? formLogin(form, state) : basicLogin(req.headers.authorization)
  const record = (status: number, account: string | null, granted: TokenAccess[]): void => {
    requests.push({ method: req.method ?? 'GET', account, scopes, status, granted })
  }
  if (login === 'invalid' || (login && !checkPassword(options.users, login))) {
    record(401, login === 'invalid' ? null : login.user, [])
    res.writeHead(401, {
      'content-type': 'application/json',
      'www-authenticate': `Basic realm="${options.service}"`
    })
    res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'invalid credentials' }] }))
    return
  }
  const account = login ? login.user : null
  const granted = mergeAccess(scopes.flatMap((scope) => grant(options, account, scope)))
  const issued = await state.issue(account, granted)
  record(200, account, granted)
  const offline = form.get('offline_token') === 'true' || form.get('access_type') === 'offline'
  const body = {
    token: issued.token,
    access_token: issued.token,
    expires_in: issued.expiresIn,
    issued_at: issued.issuedAt,
    ...(req.method === 'POST' ? { scope: scopes.join(' ') } : {}),
    ...(offline && login ? { refresh_token: refreshToken(state, login.user) } : {})
  }
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body))
}

interface Login {
  readonly user: string
  readonly password: string
}

function basicLogin(header: string | undefined): Login | 'invalid' | null {
  if (!header) return null
  const match = /^Basic\s+(\S+)$/i.exec(header)
  if (!match?.[1]) return 'invalid'
  const decoded = Buffer.from(match[1], 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  return colon < 0
    ? 'invalid'
    : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) }
}

function refreshToken(state: State, user: string): string {
  const token = randomUUID()
  state.refreshTokens.set(token, user)
  return token
}

function formLogin(form: URLSearchParams, state: State): Login | 'invalid' | null {
  const grantType = form.get('grant_type')
  if (grantType === 'password') {
    return { user: form.get('username') ?? '', password: form.get('password') ?? '' }
  }
  if (grantType === 'refresh_token') {
    const user = state.refreshTokens.get(form.get('refresh_token') ?? '')
    const password = user === undefined ? undefined : state.options.users[user]?.password
    return user !== undefined && password !== undefined ? { user, password } : 'invalid'
  }
  return 'invalid'
}

function checkPassword(users: TokenServerOptions['users'], login: Login): boolean {
  const expected = users[login.user]?.password
  if (expected === undefined) return false
  const a = Buffer.from(expected)
  const b = Buffer.from(login.password)
  return a.length === b.length && timingSafeEqual(a, b)
}

/** Grants what `scope` asks for, within what the account may do. */
function grant(options: TokenServerOptions, account: string | null, scope: string): TokenAccess[] {
  const first = scope.indexOf(':')
  const last = scope.lastIndexOf(':')
  if (first < 0 || last === first) return []
  const type = scope.slice(0, first)
  const name = scope.slice(first + 1, last)
  const wanted = scope.slice(last + 1).split(',')
  const allowed = new Set<string>()
  if (type === 'repository') {
    if (account !== null || options.anonymousPull !== false) allowed.add('pull')
    if (account !== null && options.users[account]?.push) {
      for (const action of ['push', 'delete', '*']) allowed.add(action)
    }
  } else if (type === 'registry' && name === 'catalog' && account !== null) {
    allowed.add('*')
  }
  const actions = wanted.filter((action) => allowed.has(action))
  return actions.length > 0 ? [{ type, name, actions }] : []
}

/** One entry per resource: clients such as skopeo ask for the same repository in several scopes. */
function mergeAccess(access: TokenAccess[]): TokenAccess[] {
  const merged = new Map<string, TokenAccess>()
  for (const entry of access) {
    const key = `${entry.type}:${entry.name}`
    const actions = [...new Set([...(merged.get(key)?.actions ?? []), ...entry.actions])]
    merged.set(key, { type: entry.type, name: entry.name, actions })
  }
  return [...merged.values()]
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}
