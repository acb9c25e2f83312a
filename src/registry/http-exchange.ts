/**
 * One HTTP exchange over node:http/https, the response either read in full or handed over as a
 * stream. Request bodies are a buffer or a Readable piped without buffering; when the server answers
 * before the body is sent (a refusal), the rest of the body is dropped and its source destroyed.
 */
import * as http from 'node:http'
import * as https from 'node:https'
import type { Readable } from 'node:stream'
import { abortError } from './abort.js'

/** HTTP methods the registry API uses. */
export type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

/** A request as the wire sees it. */
export interface WireRequest {
  readonly method: Method
  readonly headers: Record<string, string>
  readonly body?: Buffer | string | Readable
}

/** A response whose body is still to be read. */
export interface StreamedResponse {
  readonly status: number
  /** Header names lowercase, repeated headers joined with `, `. */
  readonly headers: Readonly<Record<string, string | undefined>>
  readonly body: Readable
}

/** A response read in full. */
export interface BufferedResponse {
  readonly status: number
  readonly headers: Readonly<Record<string, string | undefined>>
  readonly body: Buffer
}

/** How long a request may go without a byte either way before it fails, unless told otherwise. */
export const DEFAULT_IDLE_TIMEOUT_MS = 60_000
const CONTINUE_WAIT_MS = 1000

/** How one exchange is bounded. */
export interface ExchangeLimits {
  /** Silence (no byte sent or received) after which the request fails as ETIMEDOUT. */
  readonly idleTimeoutMs?: number
  /** Aborts the request (and its response body) when it fires; it then fails as ABORT_ERR. */
  readonly signal?: AbortSignal
}

/** Sends a request and resolves once the response headers arrive; socket errors reject with their code. */
export function exchangeStream(
  url: URL,
  agent: http.Agent,
  req: WireRequest,
  limits: ExchangeLimits = {}
): Promise<StreamedResponse> {
  const send = url.protocol === 'https:' ? https.request : http.request
  const idleMs = limits.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS
  return new Promise((resolve, reject) => {
    if (limits.signal?.aborted) {
      if (isReadable(req.body)) req.body.destroy()
      reject(abortError(limits.signal))
      return
    }
    const options = {
      agent,
      method: req.method,
      headers: req.headers,
      ...(limits.signal && { signal: limits.signal })
    }
    const outgoing = send(url, options, (res) => {
      const source = req.body
      // The server answered; a body still flowing (a refusal before it was read) is not wanted.
      if (isReadable(source) && !source.readableEnded) {
        source.unpipe(outgoing)
        source.destroy()
      }
      res.on('aborted', () =>
        res.destroy(
          limits.signal?.aborted
            ? abortError(limits.signal)
            : Object.assign(new Error('response aborted'), { code: 'ECONNRESET' })
        )
      )
      resolve({ status: res.statusCode ?? 0, headers: flatten(res.headers), body: res })
    })
    outgoing.on('error', (error) => {
      // A body still flowing into a request that failed (a timeout, an abort) is not wanted either.
      if (isReadable(req.body) && !req.body.readableEnded) req.body.destroy()
      reject(error)
    })
    outgoing.setTimeout(idleMs, () =>
      outgoing.destroy(
        Object.assign(new Error(`no data for ${seconds(idleMs)} s`), { code: 'ETIMEDOUT' })
      )
    )
    const body = req.body
    if (!isReadable(body)) {
      outgoing.end(body)
      return
    }
    // A failing source (the other registry reset mid-blob) fails this request with its error.
    body.on('error', (error) => outgoing.destroy(error))
    if (req.headers.expect?.toLowerCase() !== '100-continue') {
      body.pipe(outgoing)
      return
    }
    // Expect: 100-continue lets a server refuse a large body (413) before it is sent; a server that
    // does not answer 100 soon gets the body anyway (as curl does, RFC 9110 section 10.1.1).
    let started = false
    const start = (): void => {
      if (started || outgoing.destroyed) return
      started = true
      clearTimeout(timer)
      body.pipe(outgoing)
    }
    const timer = setTimeout(start, CONTINUE_WAIT_MS)
    outgoing.once('continue', start)
    outgoing.once('response', () => clearTimeout(timer))
    outgoing.once('close', () => clearTimeout(timer))
  })
}

/** One request and its whole response; socket errors (also mid-body) reject with their code. */
export async function exchange(
  url: URL,
  agent: http.Agent,
  req: WireRequest,
  limits: ExchangeLimits = {}
): Promise<BufferedResponse> {
  const response = await exchangeStream(url, agent, req, limits)
  return { ...response, body: await readAll(response.body) }
}

/** Reads a response body to its end; a connection cut short rejects with ECONNRESET. */
export function readAll(body: Readable): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    body.on('data', (chunk: Buffer) => chunks.push(chunk))
    body.on('error', reject)
    body.on('end', () => {
      const incoming = body as Partial<http.IncomingMessage>
      if (incoming.complete === false) {
        reject(Object.assign(new Error('response cut off'), { code: 'ECONNRESET' }))
        return
      }
      resolve(Buffer.concat(chunks))
    })
  })
}

/** Reads and drops a body so that its connection can be reused; errors are of no interest. */
export function drain(body: Readable): Promise<void> {
  return readAll(body).then(
    () => undefined,
    // The body is unwanted; a connection that fails while it is dropped is dropped with it.
    () => undefined
  )
}

function seconds(ms: number): string {
  return String(Math.round(ms / 100) / 10)
}

function isReadable(body: WireRequest['body']): body is Readable {
  return typeof body === 'object' && body !== null && !Buffer.isBuffer(body)
}

function flatten(headers: http.IncomingHttpHeaders): Record<string, string | undefined> {
  const flat: Record<string, string | undefined> = {}
  for (const [name, value] of Object.entries(headers)) {
    flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value
  }
  return flat
}
