/**
 * A tiny registry on 127.0.0.1:0 for transport and auth tests: a real node:http server whose
 * behaviour each test writes as a handler. The real registry is exercised in integration tests.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A request as the server saw it. */
export interface SeenRequest {
  readonly method: string
  readonly path: string
  readonly authorization?: string
  readonly accept?: string
  readonly body: string
}

/** A running fake registry. */
export interface FakeRegistry {
  /** `127.0.0.1:<port>`, as a registry name. */
  readonly registry: string
  readonly requests: SeenRequest[]
  /** Connections that spoke something other than HTTP (a TLS handshake). */
  readonly protocolErrors: () => number
  close(): Promise<void>
}

/** What a handler answers: status, headers, body (a JSON value is serialised). */
export interface Reply {
  readonly status: number
  readonly headers?: Record<string, string>
  readonly body?: string | Buffer | object
}

/** Starts a fake registry whose answers come from `handler`. */
export async function startFakeRegistry(
  handler: (req: SeenRequest, registry: string) => Reply | Promise<Reply>
): Promise<FakeRegistry> {
  const requests: SeenRequest[] = []
  let protocolErrors = 0
  let registry = ''
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', async () => {
      const seen: SeenRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        ...(req.headers.authorization && { authorization: req.headers.authorization }),
        ...(req.headers.accept && { accept: req.headers.accept }),
        body: Buffer.concat(chunks).toString('utf8')
      }
      requests.push(seen)
      const reply = await handler(seen, registry)
      const body =
        reply.body === undefined || typeof reply.body === 'string' || Buffer.isBuffer(reply.body)
          ? reply.body
          : JSON.stringify(reply.body)
      res.writeHead(reply.status, reply.headers)
      res.end(req.method === 'HEAD' ? undefined : body)
    })
  })
  server.on('clientError', (_error, socket) => {
    protocolErrors++
    // What node (and Go's net/http) answer to bytes that are not HTTP, such as a TLS ClientHello.
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n')
    else socket.destroy()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  registry = `127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    registry,
    requests,
    protocolErrors: () => protocolErrors,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

/** A distribution error body. */
export function errorBody(code: string, message: string): object {
  return { errors: [{ code, message, detail: null }] }
}

/** A retry policy that records its delays instead of waiting. */
export function recordingRetry(delays: number[], attempts = 3) {
  return {
    attempts,
    baseDelayMs: 100,
    maxDelayMs: 60_000,
    random: () => 0,
    sleep: async (ms: number) => {
      delays.push(ms)
    }
  }
}
