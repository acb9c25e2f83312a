import { request, type RequestOptions } from 'node:https'
import type { IncomingMessage } from 'node:http'

/** Where and as whom to talk to a Kubernetes API server. */
export interface KubeTarget {
  /** `https://127.0.0.1:PORT`. */
  readonly server: string
  /** The CA that issued the API server's serving certificate. */
  readonly caPem: string
  /** Bearer token; when absent, `adminToken` is used (so a control plane handle fits as it is). */
  readonly token?: string
  readonly adminToken?: string
}

/** Options for {@link kubeRequest}. */
export interface KubeRequestOptions {
  /** Act as another user than the target's. */
  readonly token?: string
  /** Default `application/json`; patches need one of the patch types. */
  readonly contentType?:
    | 'application/json'
    | 'application/merge-patch+json'
    | 'application/strategic-merge-patch+json'
    | 'application/json-patch+json'
  readonly timeoutMs?: number
}

/** A finished API request; `body` is the parsed JSON (or undefined when the answer was not JSON). */
export interface KubeResponse<T> {
  readonly status: number
  readonly body: T
  readonly text: string
}

/** Loose view of any Kubernetes object, for tests that poke at fields. */
export interface KubeObject {
  apiVersion?: string
  kind?: string
  metadata: {
    name: string
    namespace?: string
    uid?: string
    resourceVersion?: string
    generation?: number
    labels?: Record<string, string>
    annotations?: Record<string, string>
    deletionTimestamp?: string
    ownerReferences?: { kind: string; name: string; uid: string }[]
    [key: string]: unknown
  }
  spec?: any // eslint-disable-line @typescript-eslint/no-explicit-any
  status?: any // eslint-disable-line @typescript-eslint/no-explicit-any
  [key: string]: unknown
}

/** A list answer (`items` plus the resourceVersion to watch from). */
export interface KubeList<T = KubeObject> {
  metadata: { resourceVersion: string }
  items: T[]
}

function tokenOf(target: KubeTarget, options: KubeRequestOptions): string {
  const token = options.token ?? target.token ?? target.adminToken
  if (!token) throw new Error(`no token to talk to ${target.server} with`)
  return token
}

function requestOptions(
  target: KubeTarget,
  method: string,
  path: string,
  options: KubeRequestOptions,
  payload?: string,
  contentType?: string
): RequestOptions {
  const url = new URL(path, target.server)
  return {
    host: url.hostname,
    port: url.port,
    path: `${url.pathname}${url.search}`,
    method,
    ca: target.caPem,
    headers: {
      authorization: `Bearer ${tokenOf(target, options)}`,
      accept: 'application/json',
      // always a length: node sends the body of a DELETE neither chunked nor with a length
      // otherwise, and the API server reads it as the next request on the kept-alive connection
      'content-length': payload === undefined ? 0 : Buffer.byteLength(payload),
      ...(contentType ? { 'content-type': contentType } : {})
    }
  }
}

/**
 * One request to the API server. Resolves with any HTTP status (tests look at 403s and 404s);
 * rejects only when no answer came.
 */
export function kubeRequest<T = KubeObject>(
  target: KubeTarget,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
  options: KubeRequestOptions = {}
): Promise<KubeResponse<T>> {
  const payload = body === undefined ? undefined : JSON.stringify(body)
  const contentType =
    payload === undefined
      ? undefined
      : (options.contentType ??
        (method === 'PATCH' ? 'application/merge-patch+json' : 'application/json'))
  return new Promise((resolve, reject) => {
    const req = request(requestOptions(target, method, path, options, payload, contentType))
    req.setTimeout(options.timeoutMs ?? 30_000, () =>
      req.destroy(new Error(`${method} ${target.server}${path}: no answer in time`))
    )
    req.on('error', reject)
    req.on('response', (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('error', reject)
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8')
        let parsed: unknown
        try {
          parsed = text ? JSON.parse(text) : undefined
        } catch {
          parsed = undefined
        }
        resolve({ status: res.statusCode ?? 0, body: parsed as T, text })
      })
    })
    req.end(payload)
  })
}

/** Like {@link kubeRequest}, but throws with the method, path, status and message unless 2xx. */
export async function kubeOk<T = KubeObject>(
  target: KubeTarget,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
  options: KubeRequestOptions = {}
): Promise<T> {
  const res = await kubeRequest<T>(target, method, path, body, options)
  if (res.status < 200 || res.status > 299) {
    const message = (res.body as { message?: string } | undefined)?.message ?? res.text
    throw new Error(`${method} ${path} → ${res.status}: ${message}`)
  }
  return res.body
}

/** GETs an object: its body, or undefined when the API server answers 404; throws unless 200. */
export async function kubeFind<T = KubeObject>(
  target: KubeTarget,
  path: string,
  options: KubeRequestOptions = {}
): Promise<T | undefined> {
  const res = await kubeRequest<T>(target, 'GET', path, undefined, options)
  if (res.status === 404) return undefined
  if (res.status !== 200) throw new Error(`GET ${path} → ${res.status}: ${res.text}`)
  return res.body
}

/** One event of a watch stream. */
export interface WatchEvent<T = KubeObject> {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR'
  readonly object: T
}

/** A running watch; `done` settles when the server ends the stream or stop() is called. */
export interface Watch {
  readonly done: Promise<void>
  stop(): void
}

/**
 * Streams `GET path?watch=1…` (path may carry a query already), calling `onEvent` for each event.
 * `done` rejects when the request fails or the answer is not 200.
 */
export function kubeWatch<T = KubeObject>(
  target: KubeTarget,
  path: string,
  onEvent: (event: WatchEvent<T>) => void,
  options: KubeRequestOptions = {}
): Watch {
  const separator = path.includes('?') ? '&' : '?'
  const req = request(requestOptions(target, 'GET', `${path}${separator}watch=1`, options))
  let stopped = false
  const done = new Promise<void>((resolve, reject) => {
    req.on('error', (error) => (stopped ? resolve() : reject(error)))
    req.on('response', (res: IncomingMessage) => {
      if (res.statusCode !== 200) {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () =>
          reject(new Error(`watch ${path} → ${res.statusCode}: ${Buffer.concat(chunks)}`))
        )
        return
      }
      let buffered = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        buffered += chunk
        let newline = buffered.indexOf('\n')
        while (newline >= 0) {
          const line = buffered.slice(0, newline).trim()
          buffered = buffered.slice(newline + 1)
          if (line && !stopped) onEvent(JSON.parse(line) as WatchEvent<T>)
          newline = buffered.indexOf('\n')
        }
      })
      res.on('end', () => resolve())
      res.on('error', (error) => (stopped ? resolve() : reject(error)))
      res.on('close', () => resolve())
    })
    req.end()
  })
  return {
    done,
    stop(): void {
      stopped = true
      req.destroy()
    }
  }
}

/** Options for {@link waitFor}. */
export interface WaitOptions {
  readonly timeoutMs?: number
  readonly intervalMs?: number
}

/**
 * Polls `probe` until it returns a value other than undefined/false; throws after the timeout with
 * `what` and the last value seen (or the last error), so a failing test says what it waited for.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  options: WaitOptions = {}
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 30_000
  const deadline = Date.now() + timeoutMs
  let last: unknown
  for (;;) {
    try {
      const value = await probe()
      if (value !== undefined && value !== false) return value
      last = value
    } catch (error) {
      last = error
    }
    if (Date.now() > deadline) {
      const detail = last instanceof Error ? last.message : JSON.stringify(last)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${detail})`)
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 250))
  }
}
