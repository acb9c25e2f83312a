/**
 * One HTTP exchange over node:http/https, the response either read in full or handed over as a
 * stream. Request bodies are a buffer or a Readable piped without buffering; when the server answers
 * before the body is sent (a refusal), the rest of the body is dropped and its source destroyed.
 */
import * as http from 'node:http'
import * as https from 'node:https'
import type { Readable } from 'node:stream'

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

const IDLE_TIMEOUT_MS = 300_000
const CONTINUE_WAIT_MS = 1000

/** Sends a request and resolves once the response headers arrive; socket errors reject with their code. */
export function exchangeStream(
  url: URL,
  agent: http.Agent,
  req: WireRequest
): Promise<StreamedResponse> {
  const send = url.protocol === 'https:' ? https.request : http.request
  return new Promise((resolve, reject) => {
    const outgoing = send(url, { agent, method: req.method, headers: req.headers }, (res) => {
      const source = req.body
      // The server answered; a body still flowing (a refusal before it was read) is not wanted.
      if (isReadable(source) && !source.readableEnded) {
        source.unpipe(outgoing)
        source.destroy()
      }
      res.on('aborted', () =>
        res.destroy(Object.assign(new Error('response aborted'), { code: 'ECONNRESET' }))
      )
      resolve({ status: res.statusCode ?? 0, headers: flatten(res.headers), body: res })
    })
    outgoing.on('error', reject)
    outgoing.setTimeout(IDLE_TIMEOUT_MS, () =>
      outgoing.destroy(
        Object.assign(new Error(`no data for ${IDLE_TIMEOUT_MS / 1000} s`), { code: 'ETIMEDOUT' })
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
  req: WireRequest
): Promise<BufferedResponse> {
  const response = await exchangeStream(url, agent, req)
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
