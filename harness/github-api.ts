/**
 * A stand-in for the GitHub REST API on loopback: deployments, deployment statuses and commit
 * statuses, with the request and response shapes of https://docs.github.com/rest/deployments/deployments,
 * https://docs.github.com/rest/deployments/statuses and https://docs.github.com/rest/commits/statuses.
 * State lives in memory (github-store.ts) and the routes are in github-routes.ts; this module serves
 * them over HTTP, checks the token and answers injected faults. Start one per test file. Any ref is
 * accepted: a 40-hex ref is its own sha, any other ref gets a stable made-up sha.
 */
import { randomBytes } from 'node:crypto'
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http'
import { errorBody, reply, type Reply } from './github-replies.js'
import { ROUTES } from './github-routes.js'
import type {
  CommitStatus,
  Deployment,
  DeploymentStatus,
  FaultAnswer,
  RecordedRequest,
  Store
} from './github-store.js'

export type {
  CommitStatus,
  Deployment,
  DeploymentStatus,
  FaultAnswer,
  GitHubUser,
  RecordedRequest
} from './github-store.js'

/** A running stand-in. */
export interface GitHubApi {
  /** `http://127.0.0.1:PORT`: the `baseUrl`/GITHUB_API_URL to use. */
  readonly url: string
  /** The one token it accepts. */
  readonly token: string
  /** Every deployment of every repository, newest first. */
  readonly deployments: Deployment[]
  /** A deployment's statuses, newest first (as the API lists them). */
  statuses(deploymentId: number): DeploymentStatus[]
  /** A commit's statuses in every repository, newest first. */
  commitStatuses(sha: string): CommitStatus[]
  /** Every request so far, oldest first. */
  readonly requests: RecordedRequest[]
  /**
   * Answers the next `count` requests (those of `method` to a path matching `path`, when given) with
   * `status` and a GitHub error body, or `body`.
   */
  failNext(status: number, count?: number, answer?: FaultAnswer): void
  stop(): Promise<void>
}

/** Starts the stand-in on 127.0.0.1 and a free port. */
export async function startGitHubApi(options: { token?: string } = {}): Promise<GitHubApi> {
  const token = options.token ?? `ghs_${randomBytes(18).toString('hex')}`
  const server = createServer((req, res) => {
    handle(req, res, store).catch((error: unknown) => send(res, reply(500, String(error))))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  const address = server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0
  const store: Store = {
    token,
    url: `http://127.0.0.1:${port}`,
    deployments: [],
    commitStatuses: new Map(),
    requests: [],
    faults: [],
    ids: 0
  }
  return {
    url: store.url,
    token,
    get deployments() {
      return store.deployments.map((s) => s.deployment).reverse()
    },
    statuses: (id) =>
      [...(store.deployments.find((s) => s.deployment.id === id)?.statuses ?? [])].reverse(),
    commitStatuses: (sha) =>
      [...store.commitStatuses.entries()]
        .filter(([key]) => key.endsWith(`@${sha.toLowerCase()}`))
        .flatMap(([, list]) => list)
        .sort((a, b) => b.id - a.id),
    requests: store.requests,
    failNext: (status, count = 1, answer = {}) => {
      for (let i = 0; i < count; i++) store.faults.push({ status, ...answer })
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

async function handle(req: IncomingMessage, res: ServerResponse, store: Store): Promise<void> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  const text = Buffer.concat(chunks).toString('utf8')
  const url = new URL(req.url ?? '/', store.url)
  const method = req.method ?? 'GET'
  let body: unknown
  let answer: Reply
  try {
    body = text === '' ? undefined : JSON.parse(text)
    answer = answerTo(req, store, method, url, body)
  } catch {
    answer = reply(400, 'Problems parsing JSON')
  }
  store.requests.push({ method, path: url.pathname + url.search, body, status: answer.status })
  send(res, answer)
}

function answerTo(
  req: IncomingMessage,
  store: Store,
  method: string,
  url: URL,
  body: unknown
): Reply {
  const index = store.faults.findIndex(
    (f) => (!f.method || f.method === method) && (!f.path || f.path.test(url.pathname))
  )
  const [fault] = index < 0 ? [] : store.faults.splice(index, 1)
  if (fault) {
    const status = fault.status
    return {
      status,
      body: fault.body ?? errorBody(status, STATUS_CODES[status]),
      headers: fault.headers
    }
  }
  const [scheme, given] = (req.headers.authorization ?? '').split(/\s+/, 2)
  if (!scheme) return reply(401, 'Requires authentication')
  if (!/^(bearer|token)$/i.test(scheme) || given !== store.token)
    return reply(401, 'Bad credentials')
  for (const [verb, pattern, route] of ROUTES) {
    const match = pattern.exec(url.pathname)
    if (!match || verb !== method) continue
    if (method === 'POST' && (typeof body !== 'object' || body === null || Array.isArray(body)))
      return reply(400, 'Problems parsing JSON')
    const params = match.slice(1).map(decodeURIComponent)
    return route({
      store,
      params,
      body: (body ?? {}) as Record<string, unknown>,
      query: url.searchParams,
      pathname: url.pathname
    })
  }
  return reply(404, 'Not Found')
}

function send(res: ServerResponse, answer: Reply): void {
  res.writeHead(answer.status, {
    'content-type': 'application/json; charset=utf-8',
    'x-github-media-type': 'github.v3; format=json',
    ...answer.headers
  })
  res.end(JSON.stringify(answer.body))
}
