import { mkdtemp, mkdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { InputError } from '../../src/action/errors.js'
import { ReportError } from '../../src/gate/tests/junit.js'
import { runTestsGate, type TestsGateOptions } from '../../src/gate/tests/run.js'

const FIXTURES = join(import.meta.dirname, 'fixtures', 'junit')

let dir: string

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tests-gate-'))
})

afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** Options for a command run in the temp dir, with FIXTURES in its environment. */
function gate(command: string | undefined, extra: Partial<TestsGateOptions> = {}) {
  return runTestsGate({
    command,
    workingDirectory: dir,
    reports: ['reports/*.xml'],
    allowedFailures: 0,
    quarantine: [],
    timeoutMs: 20_000,
    env: { FIXTURES },
    ...extra
  })
}

/** A shell line that copies fixture reports into reports/ and exits with `code`. */
function writesReports(code: number, ...fixtures: string[]): string {
  const copies = fixtures.map((name) => `cp "$FIXTURES/${name}" reports/`).join(' && ')
  return `mkdir -p reports && ${copies} && echo "ran tests" && exit ${code}`
}

/** Whether a process is gone within 2 s (a zombie counts: it runs nothing and holds nothing). */
async function isGone(pid: number): Promise<boolean> {
  for (let tries = 0; tries < 20; tries++) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined)
    if (stat === undefined || /^\d+ \(.*\) Z/.test(stat)) return true
    await new Promise((done) => setTimeout(done, 100))
  }
  return false
}

describe('runTestsGate with a command', () => {
  it('passes a runner that exited 1 when its failures are within allowed-failures', async () => {
    const outcome = await gate(writesReports(1, 'jest-junit.xml'), { allowedFailures: 1 })
    expect(outcome).toMatchObject({
      decision: 'pass',
      reason:
        '1 failing test of 4, within allowed-failures 1; the command exited 1, but the reports decide.',
      exitCode: 1,
      timedOut: false,
      outputTail: 'ran tests',
      counts: { tests: 4, passed: 2, failed: 1, errors: 0, skipped: 1, quarantined: 0 },
      reportFiles: ['reports/jest-junit.xml']
    })
    expect(outcome.failing.map((test) => [test.name, test.file, test.line])).toEqual([
      ['checkout charges shipping', 'checkout.test.js', 10]
    ])
    expect(outcome.slowest.map((test) => test.name)).toEqual([
      'checkout charges shipping',
      'checkout adds an item',
      'checkout applies a discount',
      'checkout sends a receipt'
    ])
  })

  it('fails when failures and errors across reports exceed allowed-failures', async () => {
    const outcome = await gate(writesReports(1, 'pytest-xunit1.xml', 'nested.xml'), {
      allowedFailures: 3
    })
    expect(outcome.decision).toBe('fail')
    expect(outcome.reason).toBe('4 failing tests exceed allowed-failures 3.')
    expect(outcome.counts).toEqual({
      tests: 7,
      passed: 2,
      failed: 3,
      errors: 1,
      skipped: 1,
      quarantined: 0
    })
    expect(outcome.reportFiles).toEqual(['reports/nested.xml', 'reports/pytest-xunit1.xml'])
    expect(outcome.slowest).toHaveLength(5)
    expect(outcome.slowest[0]).toMatchObject({ name: 'lists users', seconds: 0.75 })
  })

  it('passes when the only failures are quarantined, and lists them', async () => {
    const outcome = await gate(writesReports(1, 'pytest-xunit1.xml'), {
      quarantine: ['test_shop.test_totals_cart', 'test_reads_config']
    })
    expect(outcome.decision).toBe('pass')
    expect(outcome.reason).toBe(
      '0 failing tests (2 quarantined not counted) of 4, within allowed-failures 0; the command exited 1, but the reports decide.'
    )
    expect(outcome.failing).toEqual([])
    expect(outcome.quarantined.map((test) => test.name)).toEqual([
      'test_totals_cart',
      'test_reads_config'
    ])
    expect(outcome.counts).toMatchObject({ failed: 2, quarantined: 2 })
  })

  it('still fails on failures outside the quarantine', async () => {
    const outcome = await gate(writesReports(1, 'pytest-xunit1.xml'), {
      quarantine: ['test_reads_config']
    })
    expect(outcome.decision).toBe('fail')
    expect(outcome.failing.map((test) => test.name)).toEqual(['test_totals_cart'])
  })

  it('fails with the output tail when the command exits 2 without a report', async () => {
    const outcome = await gate(
      'echo compiling; echo "error: cannot reach the database" >&2; exit 2'
    )
    expect(outcome).toMatchObject({
      decision: 'fail',
      reason: 'The command exited 2 and wrote no report matching reports/*.xml.',
      exitCode: 2,
      reportFiles: []
    })
    expect(outcome.outputTail.split('\n').sort()).toEqual([
      'compiling',
      'error: cannot reach the database'
    ])
  })

  it('keeps only the last 40 lines of output', async () => {
    const outcome = await gate('seq 1 100; exit 3')
    const tail = outcome.outputTail.split('\n')
    expect(tail).toHaveLength(40)
    expect([tail[0], tail[39]]).toEqual(['61', '100'])
  })

  it('fails a malformed report left by a crashed runner', async () => {
    const outcome = await gate(writesReports(134, 'malformed.xml'))
    expect(outcome.decision).toBe('fail')
    expect(outcome.reason).toBe(
      "The command exited 134 and left an unreadable report (reports/malformed.xml:5:3: malformed XML: Expected closing tag 'testcase' (opened in line 4, col 5) instead of closing tag 'testsuite'.)."
    )
  })

  it('fails naming the command the shell could not find (exit 127)', async () => {
    const outcome = await gate('no-such-test-runner --suite smoke')
    expect(outcome).toMatchObject({
      decision: 'fail',
      reason: "The command exited 127: 'no-such-test-runner' was not found.",
      exitCode: 127
    })
    expect(outcome.outputTail).toContain('no-such-test-runner: command not found')
  })

  it('fails a command past its timeout and kills its process group, children included', async () => {
    const started = Date.now()
    const outcome = await gate('sleep 300 & echo $! > child.pid; (sleep 301; true) & wait', {
      timeoutMs: 1000
    })
    expect(Date.now() - started).toBeLessThan(10_000)
    expect(outcome).toMatchObject({
      decision: 'fail',
      reason: 'The command timed out after 1s; its process group was killed.',
      timedOut: true
    })
    expect(outcome.exitCode).toBeUndefined()
    const child = Number(await readFile(join(dir, 'child.pid'), 'utf8'))
    expect(child).toBeGreaterThan(0)
    expect(await isGone(child)).toBe(true)
  })

  it('kills what the command left running in the background when it exits', async () => {
    const outcome = await gate(`sleep 300 & echo $! > bg.pid; ${writesReports(0, 'nested.xml')}`, {
      allowedFailures: 2
    })
    expect(outcome.decision).toBe('pass')
    const background = Number(await readFile(join(dir, 'bg.pid'), 'utf8'))
    expect(await isGone(background)).toBe(true)
  })

  it('gives the command ENVIRONMENT_URL, IMAGE and DIGEST over the inherited environment', async () => {
    const lines: string[] = []
    const digest = `sha256:${'a'.repeat(64)}`
    await gate(
      `printf '%s\\n' "$ENVIRONMENT_URL" "$IMAGE" "$DIGEST" "$HOME"; ${writesReports(0, 'nested.xml')}`,
      {
        allowedFailures: 2,
        env: {
          FIXTURES,
          ENVIRONMENT_URL: 'http://127.0.0.1:8080',
          IMAGE: `registry.test/shop@${digest}`,
          DIGEST: digest
        },
        onOutput: (line) => lines.push(line)
      }
    )
    expect(lines).toEqual([
      'http://127.0.0.1:8080',
      `registry.test/shop@${digest}`,
      digest,
      process.env.HOME,
      'ran tests'
    ])
  })

  it('runs in the working directory and finds reports relative to it', async () => {
    const work = join(dir, 'service', 'it')
    await mkdir(work, { recursive: true })
    const lines: string[] = []
    const outcome = await gate(`pwd; ${writesReports(0, 'go-junit-report.xml')}`, {
      workingDirectory: work,
      allowedFailures: 1,
      onOutput: (line) => lines.push(line)
    })
    expect(lines[0]).toBe(work)
    expect(outcome.reportFiles).toEqual(['reports/go-junit-report.xml'])
    expect(outcome.failing.map((test) => [test.file, test.line])).toEqual([
      ['package/name/fail/main_test.go', 6]
    ])
  })

  it('fails when the reports hold no test cases', async () => {
    const outcome = await gate(
      `mkdir -p reports && echo '<testsuites name="none"/>' > reports/empty.xml`
    )
    expect(outcome).toMatchObject({
      decision: 'fail',
      reason: 'No tests ran: the reports hold no test cases.',
      exitCode: 0
    })
  })

  it('rejects report globs that match nothing after the command succeeded', async () => {
    await expect(gate('echo done')).rejects.toThrow(
      new ReportError("'reports/*.xml'", `no report file matches in ${dir}`)
    )
  })
})

describe('runTestsGate without a command', () => {
  it('decides on reports written by an earlier step', async () => {
    const outcome = await gate(undefined, {
      workingDirectory: FIXTURES,
      reports: ['TEST-*.xml'],
      allowedFailures: 1
    })
    expect(outcome).toMatchObject({
      decision: 'fail',
      reason: '2 failing tests exceed allowed-failures 1.',
      timedOut: false,
      outputTail: '',
      reportFiles: ['TEST-action.surefire.report.calc.CalcUtilsTest.xml']
    })
    expect(outcome.exitCode).toBeUndefined()
    expect(outcome.failing.map((test) => test.line)).toEqual([27, 15])
  })

  it('rejects report globs that match nothing', async () => {
    await expect(gate(undefined, { reports: ['out/junit-*.xml'] })).rejects.toThrow(ReportError)
  })

  it('rejects a malformed report', async () => {
    await expect(
      gate(undefined, { workingDirectory: FIXTURES, reports: ['malformed.xml'] })
    ).rejects.toThrow(/^malformed\.xml:5:3: /)
  })

  it('rejects a working directory that does not exist before running anything', async () => {
    await expect(
      gate(`touch ${join(dir, 'ran')}`, { workingDirectory: join(dir, 'missing') })
    ).rejects.toThrow(
      new InputError('working-directory', join(dir, 'missing'), 'an existing directory')
    )
    await expect(readFile(join(dir, 'ran'))).rejects.toThrow(/ENOENT/)
  })
})
