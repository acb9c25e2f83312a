/**
 * A fake registry that is its own token server, in the manner of distribution's token auth:
 * /token issues `tok-<id>-<n>` for the scopes asked, /v2/ accepts them and answers 401 with
 * error="insufficient_scope" when a token lacks the access.
 */
import { readFileSync } from 'node:fs'
import { OCI_MANIFEST } from '../../src/registry/index.js'
import { errorBody, startFakeRegistry, type Reply, type SeenRequest } from './fake-registry.js'

const MANIFEST = readFileSync(
  new URL('./fixtures/oci-manifest.json', import.meta.url.replace(/\?.*$/, ''))
)

interface Grant {
  readonly user: string | null
  readonly scopes: string[]
}

/** How the fake token-auth registry behaves. */
export interface BearerOptions {
  readonly users?: Record<string, { password: string; push?: boolean }>
  readonly anonymousPull?: boolean
  /** `access_token` instead of `token` in the token response. */
  readonly accessTokenField?: boolean
  /** A repository refused with 403 (instead of 401 insufficient_scope) whatever the token. */
  readonly forbid?: string
  /** Accept identity tokens (OAuth2 refresh_token grant) for this user. */
  readonly refreshToken?: { token: string; user: string }
}

/** A registry that is its own token server: /token issues `tok-<id>-<n>`, /v2/ checks them. */
export async function startBearerRegistry(options: BearerOptions) {
  const grants = new Map<string, Grant>()
  let issued = 0
  // distinct per server: the client masks each secret once per process
  const prefix = `tok-${Math.random().toString(36).slice(2, 8)}-`
  let rejectTokens = false
  const challenge = (registry: string, extra = '') => ({
    'www-authenticate': `Bearer realm="http://${registry}/token",service="test"${extra}`
  })
  const token = (req: SeenRequest): Reply => {
    const url = new URL(req.path, 'http://x')
    let user: string | null = null
    let scopes = url.searchParams.getAll('scope')
    if (req.method === 'POST') {
      const form = new URLSearchParams(req.body)
      if (form.get('refresh_token') !== options.refreshToken?.token) return { status: 401 }
      user = options.refreshToken?.user ?? null
      scopes = (form.get('scope') ?? '').split(' ')
    } else if (req.authorization) {
      const [name, password] = Buffer.from(req.authorization.slice(6), 'base64')
        .toString()
        .split(':')
      if (options.users?.[name]?.password !== password) return { status: 401 }
      user = name
    }
    const value = `${prefix}${++issued}`
    grants.set(value, { user, scopes })
    const field = options.accessTokenField ? 'access_token' : 'token'
    return { status: 200, body: { [field]: value, expires_in: 300 } }
  }
  const allowed = (grant: Grant, repository: string, action: string) => {
    const pusher = grant.user !== null && options.users?.[grant.user]?.push === true
    const may = action === 'pull' ? grant.user !== null || options.anonymousPull : pusher
    return (
      may &&
      grant.scopes.some((s) => s.startsWith(`repository:${repository}:`) && s.includes(action))
    )
  }
  const fake = await startFakeRegistry((req, registry) => {
    if (req.path.startsWith('/token')) return token(req)
    const grant = rejectTokens
      ? undefined
      : grants.get(req.authorization?.replace(/^Bearer /, '') ?? '')
    if (!grant)
      return {
        status: 401,
        headers: challenge(registry),
        body: errorBody('UNAUTHORIZED', 'authentication required')
      }
    if (req.path === '/v2/') return { status: 200 }
    // distribution asks for `delete` on every DELETE, upload cancels included (handlers/app.go)
    const action = req.method === 'DELETE' ? 'delete' : req.method === 'POST' ? 'push' : 'pull'
    const repository = req.path.replace(/^\/v2\/(.*?)\/(manifests|blobs)\/.*$/, '$1')
    if (repository === options.forbid) {
      return {
        status: 403,
        body: errorBody('DENIED', 'requested access to the resource is denied')
      }
    }
    if (!allowed(grant, repository, action)) {
      const scope = `,scope="repository:${repository}:${action}",error="insufficient_scope"`
      return {
        status: 401,
        headers: challenge(registry, scope),
        body: errorBody('DENIED', 'insufficient scope')
      }
    }
    if (req.method === 'POST')
      return {
        status: 202,
        headers: { location: `/v2/${repository}/blobs/uploads/u-1?_state=abc` }
      }
    if (req.method === 'DELETE') return { status: 204 }
    return { status: 200, headers: { 'content-type': OCI_MANIFEST }, body: MANIFEST }
  })
  const tokenRequests = () => fake.requests.filter((r) => r.path.startsWith('/token'))
  return {
    fake,
    tokenPrefix: prefix,
    tokenRequests,
    revokeAll: () => grants.clear(),
    rejectAllTokens: () => (rejectTokens = true)
  }
}
