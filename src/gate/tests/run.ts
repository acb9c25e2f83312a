/**
 * canary-gate `mode: tests`: runs the integration test command, reads its JUnit reports and
 * decides with the declared tolerance. The test runner's exit code is not the decision (runners
 * exit 1 on any failure); the reports and `allowed-failures` are.
 */
import { stat } from 'node:fs/promises'
import { resolve } from 'node:path'
import { InputError } from '../../action/errors.js'
import { runCommand, type CommandResult } from './command.js'
import { ReportError, readReports, testId, type TestCase, type TestReport } from './junit.js'

/** What to run and how to judge it. */
export interface TestsGateOptions {
  /** Shell command line (bash -eo pipefail); absent: only read reports written by an earlier step. */
  readonly command?: string
  /** Where the command runs and the report globs start; relative to the current directory. */
  readonly workingDirectory: string
  /** JUnit XML files or globs (`!` excludes). */
  readonly reports: readonly string[]
  /** Failed + errored tests (not quarantined) that still pass the gate. */
  readonly allowedFailures: number
  /** Test names (see testId) whose failures are reported but do not count. */
  readonly quarantine: readonly string[]
  readonly timeoutMs: number
  /** Variables for the command over the inherited ones: ENVIRONMENT_URL, IMAGE, DIGEST. */
  readonly env?: Readonly<Record<string, string>>
  /** Receives the command's output lines as they come. */
  readonly onOutput?: (line: string) => void
}

/** The gate's decision and what it is based on. */
export interface TestsOutcome {
  readonly decision: 'pass' | 'fail'
  /** One sentence: why this decision. */
  readonly reason: string
  readonly exitCode?: number
  readonly timedOut: boolean
  /** The command's last ~40 output lines; empty without a command. */
  readonly outputTail: string
  /** `failed` and `errors` include the quarantined ones, counted again in `quarantined`. */
  readonly counts: {
    readonly tests: number
    readonly passed: number
    readonly failed: number
    readonly errors: number
    readonly skipped: number
    readonly quarantined: number
  }
  /** Failed or errored, not quarantined. */
  readonly failing: readonly TestCase[]
  /** Failed or errored but quarantined. */
  readonly quarantined: readonly TestCase[]
  /** The five slowest tests, slowest first. */
  readonly slowest: readonly TestCase[]
  /** Report paths, relative to the working directory. */
  readonly reportFiles: readonly string[]
}

const SLOWEST = 5

/**
 * Runs the gate. Throws InputError for bad options and ReportError for reports a user must fix
 * (no match when the command succeeded or there was none; malformed XML); every other outcome,
 * including a failing, missing, crashed or timed-out command, is a decision.
 */
export async function runTestsGate(options: TestsGateOptions): Promise<TestsOutcome> {
  const cwd = await workingDirectory(options)
  if (!Number.isInteger(options.allowedFailures) || options.allowedFailures < 0) {
    const value = String(options.allowedFailures)
    throw new InputError('allowed-failures', value, 'a whole number, 0 or more')
  }
  const run = options.command ? await runCommand(options.command, { ...options, cwd }) : undefined
  const early = run && commandFailure(options.command ?? '', run, options.timeoutMs)
  if (early) return judged(early, run, [])
  let reports: TestReport[]
  try {
    reports = await readReports(options.reports, cwd)
  } catch (error) {
    // a runner that died before writing (or while writing) its report: a failed gate, not bad input
    if (!(error instanceof ReportError) || !run || run.exitCode === 0) throw error
    const why = error.message.includes('no report file matches')
      ? `wrote no report matching ${options.reports.join(', ')}`
      : `left an unreadable report (${error.message})`
    return judged(`The command exited ${run.exitCode ?? run.signal} and ${why}.`, run, [])
  }
  return judged(undefined, run, reports, options)
}

async function workingDirectory(options: TestsGateOptions): Promise<string> {
  const cwd = resolve(options.workingDirectory)
  const info = await stat(cwd).catch(() => undefined)
  if (!info?.isDirectory()) {
    throw new InputError('working-directory', options.workingDirectory, 'an existing directory')
  }
  return cwd
}

/** The reason a command run alone fails the gate, before any report is read. */
function commandFailure(
  command: string,
  run: CommandResult,
  timeoutMs: number
): string | undefined {
  if (run.timedOut) {
    return `The command timed out after ${formatSeconds(timeoutMs)}; its process group was killed.`
  }
  if (run.exitCode === 127) {
    const missing = /: ([^\s:]+): command not found/.exec(run.outputTail)?.[1]
    const name = missing ?? command.trim().split(/\s+/)[0]
    return `The command exited 127: '${name}' was not found.`
  }
  return undefined
}

function judged(
  failure: string | undefined,
  run: CommandResult | undefined,
  reports: readonly TestReport[],
  options?: TestsGateOptions
): TestsOutcome {
  const cases = reports.flatMap((report) => report.cases)
  const quarantine = new Set(options?.quarantine ?? [])
  const broken = cases.filter((test) => test.status === 'failed' || test.status === 'error')
  const isQuarantined = (test: TestCase) =>
    quarantine.has(testId(test)) || quarantine.has(test.name)
  const failing = broken.filter((test) => !isQuarantined(test))
  const quarantined = broken.filter(isQuarantined)
  const count = (status: TestCase['status']) => cases.filter((t) => t.status === status).length
  const { decision, reason } = failure
    ? { decision: 'fail' as const, reason: failure }
    : decide(cases.length, failing.length, quarantined.length, run, options?.allowedFailures)
  return {
    decision,
    reason,
    ...(run?.exitCode !== undefined ? { exitCode: run.exitCode } : {}),
    timedOut: run?.timedOut ?? false,
    outputTail: run?.outputTail ?? '',
    counts: {
      tests: cases.length,
      passed: count('passed'),
      failed: count('failed'),
      errors: count('error'),
      skipped: count('skipped'),
      quarantined: quarantined.length
    },
    failing,
    quarantined,
    slowest: [...cases].sort((a, b) => b.seconds - a.seconds).slice(0, SLOWEST),
    reportFiles: reports.map((report) => report.file)
  }
}

/** The decision from the reports, with its reason. */
function decide(
  tests: number,
  failing: number,
  quarantined: number,
  run: CommandResult | undefined,
  allowed = 0
): Pick<TestsOutcome, 'decision' | 'reason'> {
  const fail = (reason: string) => ({ decision: 'fail' as const, reason })
  if (tests === 0) return fail('No tests ran: the reports hold no test cases.')
  const counted = `${failing} failing test${failing === 1 ? '' : 's'}`
  const known = quarantined > 0 ? ` (${quarantined} quarantined not counted)` : ''
  if (failing > allowed) {
    return fail(`${counted}${known} exceed allowed-failures ${allowed}.`)
  }
  const exit =
    run && run.exitCode !== 0
      ? `; the command exited ${run.exitCode ?? run.signal}, but the reports decide`
      : ''
  const reason = `${counted}${known} of ${tests}, within allowed-failures ${allowed}${exit}.`
  return { decision: 'pass', reason: reason[0].toUpperCase() + reason.slice(1) }
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${(ms / 1000).toFixed(1)}s`
}
