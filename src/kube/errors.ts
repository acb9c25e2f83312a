import { parseRetryAfter, type Verdict } from '../retry/index.js'

/** What was being done to which object, for messages: `patch deployments.apps/web in namespace dev`. */
export interface KubeOperation {
  /** API server URL, e.g. `https://127.0.0.1:6443`. */
  readonly server: string
  /** Kubernetes verb: get, list, watch, create, patch, update, delete. */
  readonly verb: string
  /** Plural resource with its group, e.g. `deployments.apps`, `pods`. */
  readonly resource: string
  readonly name?: string
  readonly namespace?: string
}

/** A remote failure of the API server: names the server, the operation and, when it answered, the status. */
export class KubeError extends Error {
  readonly server: string
  readonly verb: string
  readonly resource: string
  readonly namespace?: string
  readonly objectName?: string
  /** HTTP status, when the server answered. */
  readonly status?: number
  /** `reason` of the Kubernetes Status body (Forbidden, NotFound, Conflict …) or the errno. */
  readonly reason?: string
  readonly retryAfterMs?: number

  constructor(
    operation: KubeOperation,
    detail: { status?: number; reason?: string; message: string; retryAfterMs?: number },
    cause?: unknown
  ) {
    super(
      `Kubernetes API ${operation.server}: ${describe(operation)} failed` +
        (detail.status === undefined
          ? ''
          : ` (HTTP ${detail.status}${detail.reason ? ' ' + detail.reason : ''})`) +
        `: ${detail.message}`,
      cause === undefined ? undefined : { cause }
    )
    this.name = 'KubeError'
    this.server = operation.server
    this.verb = operation.verb
    this.resource = operation.resource
    this.namespace = operation.namespace
    this.objectName = operation.name
    this.status = detail.status
    this.reason = detail.reason
    this.retryAfterMs = detail.retryAfterMs
  }
}

/** `patch deployments.apps/web in namespace dev`. */
export function describe(operation: KubeOperation): string {
  const target = operation.name ? `${operation.resource}/${operation.name}` : operation.resource
  return `${operation.verb} ${target}${operation.namespace ? ` in namespace ${operation.namespace}` : ''}`
}

/** The parts of a thrown value that say what the server answered, whatever client threw it. */
interface Answer {
  status?: number
  body?: unknown
  headers?: Record<string, string>
  code?: string
  message: string
}

function answerOf(error: unknown): Answer {
  if (typeof error !== 'object' || error === null) return { message: String(error) }
  const e = error as {
    code?: unknown
    body?: unknown
    headers?: Record<string, string>
    message?: unknown
    cause?: { code?: unknown; message?: unknown }
  }
  const message = typeof e.message === 'string' ? e.message : String(error)
  // client-node's ApiException: numeric `code` is the HTTP status, `body` the Status (often a string).
  // (a DOMException's numeric code, 20 or 23 for aborts and timeouts, is not a status)
  if (typeof e.code === 'number' && e.code >= 100 && e.code <= 599) {
    return { status: e.code, body: e.body, headers: e.headers, message }
  }
  const errno =
    typeof e.code === 'string'
      ? e.code
      : typeof e.cause?.code === 'string'
        ? e.cause.code
        : undefined
  const causeMessage = typeof e.cause?.message === 'string' ? e.cause.message : undefined
  return {
    code: errno,
    message: causeMessage && causeMessage !== message ? `${message}: ${causeMessage}` : message
  }
}

/** The `reason` and `message` of a Kubernetes Status body, which client-node may hand over as text. */
function statusOf(body: unknown): { reason?: string; message?: string } {
  let value = body
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body)
    } catch {
      return { message: body.trim() || undefined }
    }
  }
  if (typeof value !== 'object' || value === null) return {}
  const status = value as { reason?: unknown; message?: unknown }
  return {
    reason: typeof status.reason === 'string' ? status.reason : undefined,
    message: typeof status.message === 'string' ? status.message : undefined
  }
}

/**
 * Turns whatever a Kubernetes call threw into a KubeError naming the server, the operation and the
 * status; a KubeError passes through. Forbidden gets the verb, resource and namespace spelled out,
 * as RBAC needs them to be granted.
 */
export function kubeError(error: unknown, operation: KubeOperation): KubeError {
  if (error instanceof KubeError) return error
  const answer = answerOf(error)
  if (answer.status === undefined) {
    const reason = answer.code
    const unreachable =
      reason === 'ECONNREFUSED' || reason === 'ENOTFOUND' || reason === 'EHOSTUNREACH'
    return new KubeError(
      operation,
      {
        reason,
        message: unreachable ? `the API server is unreachable (${reason})` : answer.message
      },
      error
    )
  }
  const status = statusOf(answer.body)
  const retryAfter = answer.headers?.['retry-after']
  let message = status.message ?? answer.message
  if (answer.status === 403) {
    message =
      `not allowed to ${operation.verb} ${operation.resource}` +
      (operation.namespace ? ` in namespace ${operation.namespace}` : ' at cluster scope') +
      ` (grant the verb by RBAC): ${message}`
  }
  return new KubeError(
    operation,
    {
      status: answer.status,
      reason: status.reason,
      message,
      retryAfterMs: retryAfter === undefined ? undefined : parseRetryAfter(retryAfter)
    },
    error
  )
}

/** Transient API server faults: 429, 5xx (but 501), resets and timeouts. Conflicts are the caller's. */
export function classifyKube(error: unknown): Verdict {
  if (!(error instanceof KubeError)) return { retry: false }
  const status = error.status
  // Server-side apply answers 500 for patches it cannot type (a permanent fault of the object)
  if (status === 500 && /failed to create typed patch object/.test(error.message)) {
    return { retry: false }
  }
  if (status === 429 || (status !== undefined && status >= 500 && status !== 501)) {
    return { retry: true, afterMs: error.retryAfterMs, reason: `HTTP ${status}` }
  }
  if (
    status === undefined &&
    ['ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'UND_ERR_SOCKET'].includes(error.reason ?? '')
  ) {
    return { retry: true, reason: error.reason ?? 'connection error' }
  }
  return { retry: false }
}
