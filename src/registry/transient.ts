/** Which registry failures are worth another attempt (design principle 6). */
import type { Verdict } from '../retry/index.js'
import { errorCode, RegistryError } from './errors.js'

/** Connection faults that a new connection may not meet again. */
const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT'
])

/** Whether an HTTP status is transient: 408, 429 and 5xx other than 501 and 505. */
export function isTransientStatus(status: number): boolean {
  if (status === 408 || status === 429) return true
  return status >= 500 && status <= 599 && status !== 501 && status !== 505
}

/**
 * Classifies a failed registry call. A refused connection is retried only when the server answered
 * earlier (`answeredBefore`): then it is restarting; on first contact it is a wrong address or port,
 * and failing at once says so sooner.
 */
export function classifyFailure(error: unknown, answeredBefore: boolean): Verdict {
  if (error instanceof RegistryError && error.status !== undefined) {
    if (!isTransientStatus(error.status)) return { retry: false }
    const reason = `${error.status}${error.code ? ` ${error.code}` : ''}`
    return error.retryAfterMs === undefined
      ? { retry: true, reason }
      : { retry: true, reason, afterMs: error.retryAfterMs }
  }
  const code = errorCode(error)
  if (code === undefined) return { retry: false }
  if (TRANSIENT_CODES.has(code) || (code === 'ECONNREFUSED' && answeredBefore)) {
    return { retry: true, reason: code }
  }
  return { retry: false }
}
