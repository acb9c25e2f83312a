import {
  Agent,
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type ServerResponse
} from 'node:http'
import type { Socket } from 'node:net'

/** A running reverse proxy that refuses large request bodies, as nginx's `client_max_body_size` does. */
export interface SizeLimitProxy {
  /** `127.0.0.1:PORT`, for image references. */
  readonly host: string
  /** `METHOD status` of every request, in order. */
  readonly seen: string[]
  stop(): Promise<void>
}

/**
 * Starts a proxy in front of `targetUrl` (plain HTTP) that answers 413 to any request whose
 * Content-Length exceeds `maxBodyBytes` without forwarding it, and forwards everything else;
 * `Location` headers pointing at the target are rewritten to the proxy.
 */
export async function startSizeLimitProxy(
  targetUrl: string,
  maxBodyBytes: number
): Promise<SizeLimitProxy> {
  const target = new URL(targetUrl)
  const agent = new Agent({ keepAlive: true })
  const sockets = new Set<Socket>()
  const seen: string[] = []
  let self = ''
  const tooLarge = (req: IncomingMessage, res: ServerResponse): boolean => {
    if (Number(req.headers['content-length'] ?? 0) <= maxBodyBytes) return false
    seen.push(`${req.method} 413`)
    res.writeHead(413, { 'content-type': 'text/html', connection: 'close' })
    res.end('<html><body>413 Request Entity Too Large</body></html>')
    return true
  }
  const server = createServer((req, res) => {
    if (tooLarge(req, res)) return
    const upstream = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: target.host },
        agent
      },
      (upstreamRes) => {
        seen.push(`${req.method} ${upstreamRes.statusCode}`)
        const headers = { ...upstreamRes.headers }
        if (typeof headers.location === 'string' && headers.location.startsWith(target.origin)) {
          headers.location = self + headers.location.slice(target.origin.length)
        }
        res.writeHead(upstreamRes.statusCode ?? 502, headers)
        upstreamRes.pipe(res)
      }
    )
    upstream.on('error', () => res.destroy())
    req.pipe(upstream)
  })
  // like nginx, refuse an oversized body before a client that expects 100-continue sends it
  server.on('checkContinue', (req, res) => {
    if (tooLarge(req, res)) return
    res.writeContinue()
    server.emit('request', req, res)
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0
  self = `http://127.0.0.1:${port}`
  return {
    host: `127.0.0.1:${port}`,
    seen,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        agent.destroy()
        server.close(() => resolve())
      })
  }
}
