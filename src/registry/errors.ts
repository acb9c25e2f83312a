import { STATUS_CODES } from 'node:http'
import { messageOf } from '../action/errors.js'

/** What a RegistryError is made of; `message` is the whole sentence shown to a user. */
export interface RegistryErrorInit {
  /** Registry (or token server) host, with port. */
  readonly server: string
  /** What was being done, e.g. `GET manifest library/app:1.0`. */
  readonly operation: string
  /** HTTP status, when the server answered. */
  readonly status?: number
  /** `errors[0].code` of a distribution error body, `UNAUTHORIZED`/`DENIED` for auth, or errno. */
  readonly code?: string
  /** Server-asked delay before a retry, from Retry-After. */
  readonly retryAfterMs?: number
  /** Which end of a copy the server is. */
  readonly side?: CopySide
  readonly message: string
  readonly cause?: unknown
}

/** A remote failure: names the server, the operation and, when there was one, the status. */
export class RegistryError extends Error {
  readonly server: string
  readonly operation: string
  readonly status?: number
  readonly code?: string
  readonly retryAfterMs?: number
  readonly side?: CopySide

  constructor(init: RegistryErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause })
    this.name = 'RegistryError'
    this.server = init.server
    this.operation = init.operation
    this.status = init.status
    this.code = init.code
    this.retryAfterMs = init.retryAfterMs
    this.side = init.side
  }
}

/** The end of a copy a registry is. */
export type CopySide = 'source' | 'destination'

/**
 * `error` naming the side of a copy, as `destination registry h: …`; status, code and Retry-After are
 * kept. Errors that name a side already, and errors that are not RegistryErrors, are returned as is.
 */
export function onSide(error: unknown, side: CopySide, registry: string): unknown {
  if (!(error instanceof RegistryError) || error.side !== undefined) return error
  const own = `registry ${registry}`
  const message = error.message.startsWith(own)
    ? `${side} ${error.message}`
    : `${side} ${own}: ${error.message}`
  return new RegistryError({
    server: error.server,
    operation: error.operation,
    status: error.status,
    code: error.code,
    retryAfterMs: error.retryAfterMs,
    side,
    message,
    cause: error
  })
}

/** The `code` and `message` of a distribution error body (`{"errors":[{code,message}]}`). */
export function distributionError(body: Uint8Array): { code?: string; message?: string } {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(body).toString('utf8'))
    const first: unknown = (parsed as { errors?: unknown[] }).errors?.[0]
    if (typeof first !== 'object' || first === null) return {}
    const { code, message } = first as { code?: unknown; message?: unknown }
    return {
      ...(typeof code === 'string' && { code }),
      ...(typeof message === 'string' && { message })
    }
  } catch {
    // Not JSON (an HTML error page from a proxy, an empty HEAD body): the status alone must do.
    return {}
  }
}

/** The error for an unexpected HTTP status, e.g. `registry h: GET manifest a:1 failed: 404 MANIFEST_UNKNOWN manifest unknown`. */
export function statusError(
  server: string,
  operation: string,
  status: number,
  body: Uint8Array,
  retryAfterMs?: number
): RegistryError {
  const { code, message } = distributionError(body)
  const text = [String(status), code, message ?? (code ? undefined : STATUS_CODES[status])]
    .filter(Boolean)
    .join(' ')
  return new RegistryError({
    server,
    operation,
    status,
    code,
    retryAfterMs,
    message: `registry ${server}: ${operation} failed: ${text}`
  })
}

/** The error for a connection that failed: `registry h unreachable during ping: connect ECONNREFUSED …`. */
export function unreachableError(server: string, operation: string, cause: unknown): RegistryError {
  const code = errorCode(cause)
  const reason = messageOf(cause)
  // The idle timeout of http-exchange: the server is there, it just says nothing.
  const silent = code === 'ETIMEDOUT' && reason.startsWith('no data for')
  return new RegistryError({
    server,
    operation,
    code,
    cause,
    message: silent
      ? `registry ${server}: ${operation} got ${reason}`
      : `registry ${server} unreachable during ${operation}: ${reason || code}`
  })
}

/** The errno-style code of a low-level error (`ECONNRESET`, `UND_ERR_SOCKET`), also from its cause. */
export function errorCode(error: unknown): string | undefined {
  for (let e = error, depth = 0; e && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string') return code
    e = (e as { cause?: unknown }).cause
  }
  return undefined
}
