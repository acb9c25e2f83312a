/**
 * The sampling loop of `mode: analysis`: every interval, one instant query per metric and group
 * (canary, and baseline when the metric has one), values appended per metric. Judging the values
 * is the caller's (judge.ts, beside it).
 *
 * Like Kayenta, a round samples at the *end* of its interval: round k is taken at start + k·interval,
 * evaluated at that time, so `rounds = floor(duration / interval)` and the first values describe a
 * canary that has run for one interval. Rounds are scheduled against the start time, so slow queries
 * do not make the loop drift; a round that is late runs at once. Nothing is retried here beyond the
 * retries of instantQuery: a query that still fails ends sampling with its error recorded, and the
 * caller decides (inconclusive).
 */
import { messageOf } from '../../action/errors.js'
import type { RetryPolicy } from '../../retry/index.js'
import { instantQuery } from './prometheus.js'

/** One round's values: the same time for both groups. */
export interface Sample {
  readonly at: Date
  readonly canary: number[]
  readonly baseline: number[]
}

/** A metric to sample: a query for the canary and, for a comparison, one for the baseline. */
export interface SampledQuery {
  readonly name: string
  readonly canary: string
  readonly baseline?: string
}

/** Values so far, per metric name. */
export type SampledValues = ReadonlyMap<
  string,
  { readonly canary: number[]; readonly baseline: number[] }
>

/** What to sample, how often and for how long. */
export interface SamplingOptions {
  readonly prometheusUrl: string
  readonly queries: readonly SampledQuery[]
  /** Time between rounds; the first round is one interval after the start. */
  readonly intervalMs: number
  /** Total time; at least one interval. */
  readonly durationMs: number
  /** Ends sampling early (stoppedEarly), aborting queries in flight. */
  readonly signal?: AbortSignal
  /** Per query attempt; instantQuery's default unless given. */
  readonly queryTimeoutMs?: number
  /** Retries of one query's transient faults; instantQuery's default unless given. */
  readonly retry?: RetryPolicy
  /** Headers for every query (credentials, a tenant header); see instantQuery. */
  readonly headers?: Readonly<Record<string, string>>
  /** CA certificates (PEM) trusted for an https:// Prometheus besides the system roots. */
  readonly ca?: string
  /** Called after each round with all values so far per metric; return 'stop' to end early (fail fast). */
  readonly onRound?: (round: number, values: SampledValues) => 'stop' | void
}

/** What sampling collected and why it ended. */
export interface SamplingResult {
  /** Rounds completed (all of their queries answered). */
  readonly rounds: number
  /** Instant queries made (retries of one query count once). */
  readonly queries: number
  readonly values: SampledValues
  /** Per metric name, each completed round's values in order (for the job summary's chart). */
  readonly byRound: ReadonlyMap<string, readonly Sample[]>
  /** Ended before the last round: onRound said stop, or the signal aborted. */
  readonly stoppedEarly: boolean
  /** The query error that ended sampling, if one did. */
  readonly errors: readonly string[]
}

/** Samples every interval for the duration; never throws for a failed query (see `errors`). */
export async function sample(options: SamplingOptions): Promise<SamplingResult> {
  const rounds = checkOptions(options)
  const values = new Map(
    options.queries.map((q) => [q.name, { canary: [] as number[], baseline: [] as number[] }])
  )
  const byRound = new Map(options.queries.map((q) => [q.name, [] as Sample[]]))
  const start = Date.now()
  let queries = 0
  for (let round = 1; round <= rounds; round++) {
    const at = new Date(start + round * options.intervalMs)
    if (!(await sleepUntil(at.getTime(), options.signal))) {
      return { rounds: round - 1, queries, values, byRound, stoppedEarly: true, errors: [] }
    }
    const outcome = await sampleRound(options, at)
    queries += outcome.queries
    if (options.signal?.aborted) {
      return { rounds: round - 1, queries, values, byRound, stoppedEarly: true, errors: [] }
    }
    if ('error' in outcome) {
      return {
        rounds: round - 1,
        queries,
        values,
        byRound,
        stoppedEarly: false,
        errors: [outcome.error]
      }
    }
    for (const [name, s] of outcome.samples) {
      const kept = values.get(name)
      kept?.canary.push(...s.canary)
      kept?.baseline.push(...s.baseline)
      byRound.get(name)?.push(s)
    }
    if (options.onRound?.(round, values) === 'stop' && round < rounds) {
      return { rounds: round, queries, values, byRound, stoppedEarly: true, errors: [] }
    }
  }
  return { rounds, queries, values, byRound, stoppedEarly: false, errors: [] }
}

/** floor(duration / interval) after checking both; throws RangeError naming the field. */
function checkOptions(options: SamplingOptions): number {
  const { intervalMs, durationMs, queries } = options
  if (!(Number.isFinite(intervalMs) && intervalMs > 0)) {
    throw new RangeError(`sampling intervalMs is ${intervalMs}; expected a number > 0`)
  }
  if (!(Number.isFinite(durationMs) && durationMs >= intervalMs)) {
    throw new RangeError(
      `sampling durationMs is ${durationMs}; expected at least the interval (${intervalMs} ms)`
    )
  }
  if (queries.length === 0) throw new RangeError('sampling queries is empty; expected a metric')
  const names = queries.map((q) => q.name)
  const twice = names.find((name, i) => names.indexOf(name) !== i)
  if (twice !== undefined) {
    throw new RangeError(`sampling query name '${twice}' is used twice; expected unique names`)
  }
  return Math.floor(durationMs / intervalMs)
}

type RoundOutcome =
  | { readonly queries: number; readonly samples: Map<string, Sample> }
  | { readonly queries: number; readonly error: string }

/** One round: every metric's canary and baseline queries at `at`, concurrently. */
async function sampleRound(options: SamplingOptions, at: Date): Promise<RoundOutcome> {
  const queryOptions = {
    signal: options.signal,
    timeoutMs: options.queryTimeoutMs,
    retry: options.retry,
    headers: options.headers,
    ca: options.ca
  }
  const run = (query: string | undefined): Promise<number[]> =>
    query === undefined
      ? Promise.resolve([])
      : instantQuery(options.prometheusUrl, query, at, queryOptions)
  const count = options.queries.reduce((n, q) => n + (q.baseline === undefined ? 1 : 2), 0)
  const settled = await Promise.allSettled(
    options.queries.map(async (q) => {
      const [canary, baseline] = await Promise.all([run(q.canary), run(q.baseline)])
      return [q.name, { at, canary, baseline }] as const
    })
  )
  const failed = settled.find((s) => s.status === 'rejected')
  if (failed) return { queries: count, error: messageOf(failed.reason) }
  const samples = new Map(settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : [])))
  return { queries: count, samples }
}

/** Waits until `time`; false when the signal aborted first. The timer never outlives the wait. */
function sleepUntil(time: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false)
  return new Promise((resolve) => {
    const done = (ok: boolean): void => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
      resolve(ok)
    }
    const onAbort = (): void => done(false)
    const timer = setTimeout(() => done(true), Math.max(0, time - Date.now()))
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
