import {
  Agent,
  createServer,
  type ClientRequest,
  request as httpRequest,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse
} from 'node:http'
import type { Socket } from 'node:net'

/** What to do instead of (or in the middle of) forwarding. */
export type Fault =
  | { readonly status: 500 | 502 | 503 }
  | { readonly status: 429; readonly retryAfter: number }
  /** Reset the client connection (TCP RST) without answering. */
  | { readonly reset: 'before-response' }
  /** Forward status and headers, then reset after `afterBytes` bytes of the body. */
  | { readonly reset: 'mid-body'; readonly afterBytes: number }
  /** Accept the request and never answer (nor read its body): a hung server. Ends at stop(). */
  | { readonly stall: true }
  /** Forward, but pass the request body and the response body at about this many bytes per second. */
  | { readonly throttle: number }

/** Injects `fault` into the first `times` requests matching `method` and `path`. */
export interface FaultRule {
  /** HTTP method, e.g. `PUT` (default: any). */
  readonly method?: string
  /** Tested against the request's path and query, e.g. `/v2/app/blobs/` (default: any). */
  readonly path?: RegExp
  readonly times: number
  readonly fault: Fault
}

/** One request the proxy saw. */
export interface ProxiedRequest {
  readonly method: string
  /** Path and query as the client sent them. */
  readonly path: string
  /** Status the client got (for a mid-body reset: the forwarded status); null when reset before. */
  readonly status: number | null
  /** The fault injected, if any. */
  readonly fault?: Fault
  /** The `Location` the client got (as rewritten to the proxy), if any. */
  readonly location?: string
}

/** A running fault-injecting reverse proxy. */
export interface FaultProxy {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string
  /** `127.0.0.1:PORT`, for image references. */
  readonly host: string
  /** Every request so far, in arrival order. */
  readonly requests: ProxiedRequest[]
  /** Adds rules after start (they count matches from now on). */
  addRule(rule: FaultRule): void
  /** Requests matching method and path, for asserting retries. */
  count(method?: string, path?: RegExp): number
  stop(): Promise<void>
}

/**
 * Starts a reverse proxy on loopback in front of `targetUrl` (plain HTTP). Bodies stream both ways;
 * `Location` headers pointing at the target are rewritten to the proxy; `WWW-Authenticate` is
 * passed as is, so clients still fetch tokens from the real token server.
 */
export async function startFaultProxy(
  targetUrl: string,
  rules: FaultRule[] = []
): Promise<FaultProxy> {
  const target = new URL(targetUrl)
  if (target.protocol !== 'http:')
    throw new Error(`fault proxy forwards plain HTTP only, not ${targetUrl}`)
  const active = rules.map((rule) => ({ rule, left: rule.times }))
  const requests: ProxiedRequest[] = []
  const agent = new Agent({ keepAlive: true })
  const sockets = new Set<Socket>()
  let self = ''
  const server = createServer((req, res) => {
    const path = req.url ?? '/'
    const method = req.method ?? 'GET'
    const match = active.find(
      (entry) =>
        entry.left > 0 &&
        (!entry.rule.method || entry.rule.method.toUpperCase() === method) &&
        (!entry.rule.path || entry.rule.path.test(path))
    )
    if (match) match.left--
    const fault = match?.rule.fault
    const record = (status: number | null, location?: string): void => {
      requests.push({
        method,
        path,
        status,
        ...(fault ? { fault } : {}),
        ...(location !== undefined && { location })
      })
    }
    if (fault && 'status' in fault) {
      respondWithFault(req, res, fault)
      record(fault.status)
    } else if (fault && 'stall' in fault) {
      record(null)
      req.pause()
    } else if (fault && 'reset' in fault && fault.reset === 'before-response') {
      record(null)
      req.socket.resetAndDestroy()
    } else {
      const cut = fault && 'reset' in fault ? fault.afterBytes : undefined
      const throttle = fault && 'throttle' in fault ? fault.throttle : undefined
      forward(req, res, { target, self, agent, cut, throttle, record })
    }
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  const address = server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0
  self = `http://127.0.0.1:${port}`
  return {
    url: self,
    host: `127.0.0.1:${port}`,
    requests,
    addRule: (rule) => active.push({ rule, left: rule.times }),
    count: (method, path) =>
      requests.filter((r) => (!method || r.method === method) && (!path || path.test(r.path)))
        .length,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        agent.destroy()
        server.close(() => resolve())
      })
  }
}

function respondWithFault(
  req: IncomingMessage,
  res: ServerResponse,
  fault: Fault & { status: number }
): void {
  // drain the request body so that the client sees the status, not an EPIPE
  req.resume()
  const code = fault.status === 429 ? 'TOOMANYREQUESTS' : 'UNAVAILABLE'
  const body = JSON.stringify({ errors: [{ code, message: `injected ${fault.status}` }] })
  const headers: OutgoingHttpHeaders = {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body)
  }
  if ('retryAfter' in fault) headers['retry-after'] = String(fault.retryAfter)
  req.on('end', () => res.writeHead(fault.status, headers).end(body))
}

interface ForwardContext {
  readonly target: URL
  readonly self: string
  readonly agent: Agent
  /** Reset the client connection after this many body bytes. */
  readonly cut: number | undefined
  /** Pass the request body on at about this many bytes per second. */
  readonly throttle: number | undefined
  readonly record: (status: number | null, location?: string) => void
}

function forward(req: IncomingMessage, res: ServerResponse, ctx: ForwardContext): void {
  const upstream = httpRequest(
    {
      host: ctx.target.hostname,
      port: ctx.target.port,
      method: req.method,
      path: req.url,
      headers: { ...req.headers, host: ctx.target.host },
      agent: ctx.agent
    },
    (upstreamRes) => {
      const status = upstreamRes.statusCode ?? 502
      const headers = { ...upstreamRes.headers }
      if (typeof headers.location === 'string' && headers.location.startsWith(ctx.target.origin)) {
        headers.location = ctx.self + headers.location.slice(ctx.target.origin.length)
      }
      ctx.record(status, headers.location)
      res.writeHead(status, upstreamRes.statusMessage, headers)
      if (ctx.throttle !== undefined) {
        throttled(upstreamRes, res, ctx.throttle)
        return
      }
      if (ctx.cut === undefined) {
        upstreamRes.pipe(res)
        return
      }
      cutAfter(upstreamRes, res, ctx.cut)
    }
  )
  upstream.on('error', (error) => {
    if (!res.headersSent) {
      ctx.record(502)
      res
        .writeHead(502, { 'content-type': 'text/plain' })
        .end(`fault proxy: upstream error: ${error.message}`)
    } else {
      res.socket?.resetAndDestroy()
    }
  })
  req.on('error', () => upstream.destroy())
  if (ctx.throttle === undefined) req.pipe(upstream)
  else throttled(req, upstream, ctx.throttle)
}

/** Writes `from`'s body to `to`, pausing after each chunk for as long as `rate` allows. */
function throttled(from: IncomingMessage, to: ClientRequest | ServerResponse, rate: number): void {
  from.on('data', (chunk: Buffer) => {
    from.pause()
    to.write(chunk)
    setTimeout(() => from.resume(), (chunk.length / rate) * 1000)
  })
  from.on('end', () => to.end())
}

/** Streams `afterBytes` bytes of the body, then resets the client connection (TCP RST). */
function cutAfter(upstreamRes: IncomingMessage, res: ServerResponse, afterBytes: number): void {
  const reset = (): void => {
    upstreamRes.destroy()
    res.socket?.resetAndDestroy()
  }
  if (afterBytes <= 0) {
    res.flushHeaders()
    // socket writes are ordered: the callback runs once the headers are out
    res.socket?.write('', reset)
    return
  }
  let sent = 0
  upstreamRes.on('data', (chunk: Buffer) => {
    if (sent >= afterBytes) return
    const part = chunk.subarray(0, afterBytes - sent)
    sent += part.length
    if (sent >= afterBytes) res.write(part, reset)
    else res.write(part)
  })
  upstreamRes.on('end', () => {
    if (sent < afterBytes) res.end()
  })
}
