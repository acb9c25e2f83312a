import * as core from '@actions/core'
import { escapeHtml, preformatted } from '../../action/summary.js'
import { isAbsolute, join } from 'node:path'
import type { Decision } from '../../evidence/index.js'
import {
  runHttpChecks,
  runTestsGate,
  testId,
  type CheckResult,
  type TestCase,
  type TestsOutcome
} from '../../gate/index.js'
import { pinnedReference } from '../../registry/index.js'
import type { HttpInputs, TestsInputs } from './inputs.js'

/** What a gate decided, in the forms the outputs, evidence and summary need. */
export interface GateOutcome {
  readonly decision: Decision
  /** 0–100. */
  readonly score: number
  /** One sentence: why. */
  readonly reason: string
  /** The `report` output. */
  readonly report: Record<string, unknown>
  /** Counts kept in the evidence record. */
  readonly details: Record<string, unknown>
  /** Rows of the summary's table, and Markdown below it. */
  readonly rows: readonly (readonly [string, string])[]
  readonly notes: readonly string[]
}

/** mode tests: runs the command, reads the reports, annotates failures on their files. */
export async function testsOutcome(inputs: TestsInputs): Promise<GateOutcome> {
  const digest = inputs.image?.digest
  const env: Record<string, string> = {
    ...(inputs.environmentUrl ? { ENVIRONMENT_URL: inputs.environmentUrl } : {}),
    ...(inputs.image ? { IMAGE: imageText(inputs) } : {}),
    ...(digest ? { DIGEST: digest } : {})
  }
  const outcome = await runTestsGate({
    command: inputs.command,
    workingDirectory: inputs.workingDirectory,
    reports: inputs.reports,
    allowedFailures: inputs.allowedFailures,
    quarantine: inputs.quarantine,
    timeoutMs: inputs.timeoutMs,
    env,
    onOutput: (line) => core.info(line)
  })
  for (const test of outcome.failing) annotate(test, 'error', inputs.workingDirectory)
  for (const test of outcome.quarantined) annotate(test, 'warning', inputs.workingDirectory)
  const { counts } = outcome
  const counted = counts.tests - counts.skipped
  const score = counted === 0 ? 0 : Math.round(((counted - outcome.failing.length) / counted) * 100)
  return {
    decision: outcome.decision,
    score,
    reason: outcome.reason,
    report: {
      mode: 'tests',
      decision: outcome.decision,
      reason: outcome.reason,
      counts,
      exitCode: outcome.exitCode ?? null,
      timedOut: outcome.timedOut,
      failing: outcome.failing.map(brief),
      quarantined: outcome.quarantined.map(brief),
      slowest: outcome.slowest.map((t) => ({ test: testId(t), seconds: t.seconds })),
      reports: outcome.reportFiles
    },
    details: { ...counts },
    rows: [
      [
        'tests',
        `${counts.tests} (${counts.passed} passed, ${counts.failed} failed, ${counts.errors} errors, ${counts.skipped} skipped)`
      ],
      ['quarantined failures', String(counts.quarantined)],
      ['allowed failures', String(inputs.allowedFailures)]
    ],
    notes: testNotes(outcome)
  }
}

/** mode http: every check, concurrently, with its retries. */
export async function httpOutcome(inputs: HttpInputs): Promise<GateOutcome> {
  const results = await runHttpChecks(inputs.checks, {
    deadlineMs: inputs.timeoutMs,
    onAttempt: (line) => core.info(line)
  })
  const failed = results.filter((r) => !r.ok)
  const decision: Decision = failed.length === 0 ? 'pass' : 'fail'
  const reason =
    failed.length === 0
      ? `all ${results.length} checks passed`
      : `${failed.length} of ${results.length} checks failed: ${failed.map((r) => r.message).join('; ')}`
  return {
    decision,
    score: Math.round(((results.length - failed.length) / results.length) * 100),
    reason,
    report: { mode: 'http', decision, reason, checks: results.map(checkReport) },
    details: { checks: results.length, failed: failed.length },
    rows: results.map(
      (r) =>
        [escapeHtml(r.check.name), `${r.ok ? 'pass' : 'fail'}: ${escapeHtml(r.message)}`] as const
    ),
    notes: []
  }
}

function imageText(inputs: TestsInputs): string {
  const image = inputs.image
  if (!image) return ''
  return image.digest
    ? pinnedReference(image, image.digest)
    : `${image.registry}/${image.repository}:${image.tag ?? 'latest'}`
}

/** An annotation on the test's file: reports name files from where the runner ran. */
function annotate(test: TestCase, level: 'error' | 'warning', workingDirectory: string): void {
  const title = `${level === 'warning' ? 'quarantined: ' : ''}${testId(test)}`
  const message = test.message ?? `${test.status}`
  const file = test.file && !isAbsolute(test.file) ? join(workingDirectory, test.file) : test.file
  const where = file ? { file, startLine: test.line } : {}
  if (level === 'error') core.error(message, { title, ...where })
  else core.warning(message, { title, ...where })
}

function brief(test: TestCase): Record<string, unknown> {
  return {
    test: testId(test),
    status: test.status,
    message: test.message ?? null,
    file: test.file ?? null,
    line: test.line ?? null
  }
}

function checkReport(result: CheckResult): Record<string, unknown> {
  return {
    name: result.check.name,
    url: result.check.url,
    ok: result.ok,
    attempts: result.attempts,
    status: result.status ?? null,
    latencyMs: result.latencyMs ?? null,
    message: result.message
  }
}

function testNotes(outcome: TestsOutcome): string[] {
  const notes: string[] = []
  const list = (title: string, tests: readonly TestCase[]): void => {
    if (tests.length === 0) return
    const lines = tests
      .slice(0, 20)
      .map((t) => `- \`${testId(t)}\`: ${escapeHtml((t.message ?? t.status).split('\n')[0])}`)
    notes.push(`**${title}**\n\n${lines.join('\n')}`)
  }
  list('Failing tests', outcome.failing)
  list('Quarantined failures (not counted)', outcome.quarantined)
  if (outcome.slowest.length > 0) {
    notes.push(
      `**Slowest tests**\n\n${outcome.slowest.map((t) => `- \`${testId(t)}\` ${t.seconds.toFixed(2)} s`).join('\n')}`
    )
  }
  if (outcome.decision === 'fail' && outcome.outputTail) {
    notes.push(`**Output (last lines)**\n\n${preformatted(outcome.outputTail)}`)
  }
  return notes
}
