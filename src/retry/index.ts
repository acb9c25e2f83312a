/**
 * Bounded exponential backoff with jitter, honouring a server's Retry-After and an optional
 * deadline; and `later`, for a request started early whose result is awaited after others.
 * Hand-written because the maintained retry libraries (p-retry, async-retry) cannot take a per-error
 * delay from the server, and the classification of what is transient belongs to each caller.
 */

/** How often and how long to retry. Delays are injectable so that tests run in milliseconds. */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly attempts: number
  /** Delay before the first retry in milliseconds; doubled each time. */
  readonly baseDelayMs: number
  /** Upper bound of any single delay, Retry-After included. */
  readonly maxDelayMs: number
  /** Waits; replaced in tests. */
  readonly sleep?: (ms: number) => Promise<void>
  /** Jitter source in [0, 1); replaced in tests. */
  readonly random?: () => number
  /**
   * A `performance.now()` time no retry goes past: a retry whose wait would end at or after it is
   * not made, and the last failure is thrown. None unless given.
   */
  readonly deadline?: number
}

/** The default policy for remote calls: 5 attempts, 0.5 s doubling to at most 30 s. */
export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 500, maxDelayMs: 30_000 }

/** What a failed attempt means: `retry` (optionally after the server's delay) or `fail`. */
export type Verdict = { retry: false } | { retry: true; afterMs?: number; reason: string }

/** Runs `attempt` until it succeeds, `classify` says fail, or the attempts or the deadline are spent. */
export async function withRetry<T>(
  policy: RetryPolicy,
  attempt: (n: number) => Promise<T>,
  classify: (error: unknown) => Verdict,
  onRetry?: (reason: string, delayMs: number, n: number) => void
): Promise<T> {
  const sleep = policy.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)))
  const random = policy.random ?? Math.random
  for (let n = 1; ; n++) {
    try {
      return await attempt(n)
    } catch (error) {
      const verdict = classify(error)
      if (!verdict.retry || n >= policy.attempts) throw error
      const delay = backoffDelay(policy, n, random(), verdict.afterMs)
      if (policy.deadline !== undefined && performance.now() + delay >= policy.deadline) throw error
      onRetry?.(verdict.reason, delay, n)
      await sleep(delay)
    }
  }
}

/** The delay before retry `n` (1-based): the server's wish when given, equal jitter otherwise. */
export function backoffDelay(
  policy: RetryPolicy,
  n: number,
  random: number,
  afterMs?: number
): number {
  if (afterMs !== undefined) return Math.min(Math.max(afterMs, 0), policy.maxDelayMs)
  const ceiling = Math.min(policy.baseDelayMs * 2 ** (n - 1), policy.maxDelayMs)
  return Math.round(ceiling / 2 + (random * ceiling) / 2)
}

/** Parses a Retry-After header (seconds or an HTTP date) into milliseconds from `now`. */
export function parseRetryAfter(
  value: string | null | undefined,
  now = Date.now()
): number | undefined {
  if (!value) return undefined
  const trimmed = value.trim()
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000
  const date = Date.parse(trimmed)
  return Number.isNaN(date) ? undefined : Math.max(date - now, 0)
}

/** `work`, to be awaited later: a failure before then is not an unhandled rejection. */
export function later<T>(work: Promise<T>): Promise<T> {
  work.catch(() => undefined)
  return work
}
