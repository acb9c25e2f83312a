/**
 * The pipeline's stages: one progress line each, a record of its timing, result and the job summary
 * of the action it ran, for the report; and the two ways an action's run may end as the stage
 * expects (it succeeded, or a gate failed on purpose).
 */
import type { ActionResult } from '../../harness/action-runner.js'

/** How a stage ended. */
export type Outcome = 'passed' | 'failed as expected' | 'failed'

/** One stage as the report shows it. */
export interface StageRecord {
  readonly name: string
  readonly seconds: number
  readonly outcome: Outcome
  /** One line: digests, decisions, what the cluster holds. */
  readonly detail: string
  /** The job summary the stage's action wrote (HTML, as core.summary writes it), if any. */
  readonly summary?: string
}

/** What a stage tells the report about its value. */
export interface StageOptions<T> {
  /** The job summary to keep (default: the value's own, when it is an action's run). */
  readonly summary?: (value: T) => string | undefined
  /** The stage passes because something failed on purpose (a gate on a buggy commit). */
  readonly expectedFailure?: boolean
}

/** The stages so far, in order. */
export const stages: StageRecord[] = []

/** Runs one stage: a progress line, the work, then the line's end with the time and `detail`. */
export async function stage<T>(
  name: string,
  work: () => Promise<T>,
  detail: (value: T) => string,
  options: StageOptions<T> = {}
): Promise<T> {
  const started = Date.now()
  process.stdout.write(`▶ ${name} … `)
  let value: T
  try {
    value = await work()
  } catch (error) {
    const seconds = (Date.now() - started) / 1000
    const message = error instanceof Error ? error.message : String(error)
    stages.push({ name, seconds, outcome: 'failed', detail: message })
    console.log(`FAILED after ${seconds.toFixed(1)} s`)
    throw error
  }
  const seconds = (Date.now() - started) / 1000
  const outcome: Outcome = options.expectedFailure ? 'failed as expected' : 'passed'
  const line = detail(value)
  const summary = options.summary ? options.summary(value) : summaryOf(value)
  stages.push({ name, seconds, outcome, detail: line, summary })
  console.log(`${outcome === 'passed' ? 'done' : outcome} in ${seconds.toFixed(1)} s: ${line}`)
  return value
}

function summaryOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const summary = (value as Partial<ActionResult>).summary
  return typeof summary === 'string' && summary.trim() ? summary : undefined
}

/** The run, if the action succeeded; else an error with its error annotations (or its output). */
export function succeeded(result: ActionResult): ActionResult {
  if (result.exitCode !== 0) throw new Error(`the action failed: ${failureOf(result)}`)
  return result
}

/**
 * The run of a gate that had to fail: exit 1 with decision `fail`. A pass, or a failure for another
 * reason (decision `inconclusive`, a crash), fails the stage.
 */
export function gateFailed(result: ActionResult): ActionResult {
  if (result.exitCode === 0)
    throw new Error(
      `the gate passed (decision ${result.outputs.decision}), but the commit has a bug it must catch`
    )
  if (result.outputs.decision !== 'fail')
    throw new Error(
      `the gate did not fail on the tests (decision ${result.outputs.decision || 'none'}): ${failureOf(result)}`
    )
  return result
}

function failureOf(result: ActionResult): string {
  const errors = result.annotations.filter((a) => a.level === 'error').map((a) => a.message)
  return errors.join('; ') || result.stderr || result.stdout.slice(-2000)
}

/** The names of the failing tests in canary-gate's `report` output (mode tests). */
export function failingTests(result: ActionResult): string[] {
  const report = JSON.parse(result.outputs.report || '{}') as { failing?: { test: string }[] }
  return (report.failing ?? []).map((f) => f.test)
}
