import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runAction, type ActionResult } from '../../harness/action-runner.js'
import { startGitHubApi, type GitHubApi } from '../../harness/github-api.js'
import { startRegistry, type Registry } from '../../harness/registry.js'
import { pushImage } from '../../harness/synthetic-images.js'
import { pushEvent } from './github-env.js'
import { acceptedEvidence, pemKeyPair } from '../../harness/evidence-keys.js'
import { parseReference, RegistryClient } from '../../src/registry/index.js'

const SHA = 'fedcba9876543210fedcba9876543210fedcba98'
let registry: Registry
let github: GitHubApi
let client: RegistryClient
let server: Server
let serverUrl: string
const keys = pemKeyPair()
const trust = { kind: 'key', publicKey: keys.publicKey } as const

beforeAll(async () => {
  ;[registry, github] = await Promise.all([startRegistry(), startGitHubApi()])
  client = new RegistryClient()
  server = createServer((req, res) => {
    if (req.url === '/healthz') res.writeHead(200).end('{"status":"ok","version":"1.4.0"}')
    else res.writeHead(503).end('down')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  serverUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
}, 60_000)
afterAll(async () => {
  await client?.close()
  await new Promise((resolve) => server?.close(resolve))
  await Promise.all([registry?.stop(), github?.stop()])
})

async function image(tag: string): Promise<string> {
  const ref = parseReference(`${registry.host}/acme/gated:${tag}`)
  const { digest } = await pushImage(client, ref, new Date().toISOString())
  return `${registry.host}/acme/gated@${digest}`
}

/** A JUnit report as jest-junit writes it: suites of test cases, some failing. */
function junit(failing: string[], passing: string[]): string {
  const cases = [
    ...passing.map(
      (name) => `<testcase classname="checkout ${name}" name="checkout ${name}" time="0.12"/>`
    ),
    ...failing.map(
      (name) =>
        `<testcase classname="checkout ${name}" name="checkout ${name}" time="0.50" file="test/checkout.test.js">` +
        `<failure message="expected 200, got 500">Error: expected 200, got 500\n    at Object.&lt;anonymous&gt; (test/checkout.test.js:12:5)</failure></testcase>`
    )
  ]
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<testsuites name="jest tests" tests="${cases.length}" failures="${failing.length}" errors="0" time="1.2">` +
    `<testsuite name="checkout" tests="${cases.length}" failures="${failing.length}" errors="0" skipped="0" time="1.2">` +
    cases.join('') +
    '</testsuite></testsuites>\n'
  )
}

/** A workspace whose `run-tests.sh` writes `report` to reports/junit.xml and exits with `code`. */
function workspace(report: string, code: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'gate-ws-'))
  writeFileSync(join(dir, 'report.xml'), report)
  writeFileSync(
    join(dir, 'run-tests.sh'),
    `mkdir -p reports\necho "testing $ENVIRONMENT_URL for $IMAGE ($DIGEST)"\ncp report.xml reports/junit.xml\nexit ${code}\n`
  )
  return dir
}

function env(): Record<string, string> {
  return { ...pushEvent('dev', SHA), GITHUB_API_URL: github.url }
}

/** The output without the add-mask commands (which the runner reads and does not show). */
function unmasked(result: ActionResult): string {
  return result.stdout
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n')
}

function lastError(result: ActionResult): string {
  const errors = result.annotations.filter((a) => a.level === 'error')
  return errors[errors.length - 1]?.message ?? ''
}

describe('canary-gate mode tests', () => {
  it('passes within the tolerance, writes the decision as evidence on the digest and sets a commit status', async () => {
    const pinned = await image('pass')
    const dir = workspace(junit(['applies a coupon'], ['lists items', 'pays']), 1)
    const result = await runAction(
      'canary-gate',
      {
        command: 'bash run-tests.sh',
        reports: 'reports/*.xml',
        quarantine: 'checkout applies a coupon',
        'environment-url': 'https://dev.example.com',
        image: pinned,
        'signing-key': keys.privateKey,
        'github-token': github.token
      },
      env(),
      { workspace: dir }
    )
    expect(result.stderr).toBe('')
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toContain(
      `testing https://dev.example.com for ${pinned} (${pinned.split('@')[1]})`
    )
    expect(result.outputs).toMatchObject({ decision: 'pass', score: '100' })
    const report = JSON.parse(result.outputs.report) as { counts: { quarantined: number } }
    expect(report.counts.quarantined).toBe(1)
    // the quarantined failure is a warning on its file, not an error
    expect(result.annotations.filter((a) => a.level === 'error')).toEqual([])
    expect(result.annotations.some((a) => a.level === 'warning')).toBe(true)

    const keyLines = keys.privateKey.split('\n').filter((l) => l && !l.startsWith('-----'))
    expect(result.masks).toEqual(expect.arrayContaining(keyLines))
    expect(unmasked(result)).not.toContain(keyLines[1])
    const stored = await acceptedEvidence(client, pinned, trust)
    expect(stored.map((e) => [e.record?.kind, e.record?.decision, e.record?.commit])).toEqual([
      ['tests', 'pass', SHA]
    ])
    expect(result.outputs.evidence).toBe(stored[0].digest)
    expect(github.commitStatuses(SHA)[0]).toMatchObject({
      state: 'success',
      context: 'rollout-kit/tests',
      target_url: 'https://github.com/acme/app/actions/runs/4242'
    })
  })

  it('fails beyond the tolerance: outputs, an error on the failing test, evidence and status say fail', async () => {
    const pinned = await image('fail')
    const dir = workspace(junit(['applies a coupon', 'pays'], ['lists items']), 1)
    const result = await runAction(
      'canary-gate',
      {
        command: 'bash run-tests.sh',
        reports: 'reports/junit.xml',
        'allowed-failures': '1',
        image: pinned,
        'signing-key': keys.privateKey,
        'github-token': github.token
      },
      env(),
      { workspace: dir }
    )
    expect(result.exitCode).toBe(1)
    expect(result.outputs.decision).toBe('fail')
    expect(lastError(result)).toContain('Gate tests failed')
    expect(result.stdout).toMatch(
      /::error title=checkout pays,file=test\/checkout\.test\.js,line=12::expected 200, got 500/
    )
    const stored = await acceptedEvidence(client, pinned, trust)
    expect(stored.map((e) => e.label)).toEqual(['tests=fail'])
    expect(github.commitStatuses(SHA)[0]).toMatchObject({
      state: 'failure',
      context: 'rollout-kit/tests'
    })
  })

  it('without a signing key or an OIDC token, says so in one line and writes no evidence', async () => {
    const pinned = await image('unsigned')
    const dir = workspace(junit([], ['lists items']), 0)
    const result = await runAction(
      'canary-gate',
      { command: 'bash run-tests.sh', reports: 'reports/junit.xml', image: pinned },
      env(),
      { workspace: dir }
    )
    expect(result.exitCode).toBe(0)
    expect(result.outputs).toMatchObject({ decision: 'pass', evidence: '' })
    expect(result.stdout).toContain(
      'No evidence written: no signing available: give `signing-key`, or grant `permissions: id-token: write` for keyless signing'
    )
    expect(await client.listReferrers(parseReference(pinned))).toEqual([])
  })

  it('refuses a signing key that is not an EC P-256 private key, without showing it', async () => {
    const rsa = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' }
    })
    const result = await runAction(
      'canary-gate',
      { reports: 'x.xml', 'signing-key': rsa.privateKey },
      env()
    )
    expect(result.exitCode).toBe(1)
    expect(lastError(result)).toBe(
      "Input 'signing-key' is '***'; expected a PEM EC P-256 private key, unencrypted; it is a rsa key, not EC P-256"
    )
    const garbage = await runAction(
      'canary-gate',
      { reports: 'x.xml', 'signing-key': 'hunter2' },
      env()
    )
    expect(lastError(garbage)).toContain('it is not a PEM private key')
    expect(garbage.masks).toContain('hunter2')
    expect(unmasked(garbage)).not.toContain('hunter2')
  })

  it('fails a command that writes no report, showing the tail of its output', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gate-ws-'))
    const result = await runAction(
      'canary-gate',
      { command: 'echo "connection refused to dev"; exit 2', reports: 'reports/junit.xml' },
      env(),
      { workspace: dir }
    )
    expect(result.exitCode).toBe(1)
    expect(result.outputs.decision).toBe('fail')
    expect(result.summary).toContain('connection refused to dev')
    expect(result.outputs.evidence).toBe('')
  })

  it('refuses bad input before running anything', async () => {
    const unknown = await runAction('canary-gate', { mode: 'canary' }, env())
    expect(lastError(unknown)).toBe(
      "Input 'mode' is 'canary'; expected one of: tests, http, analysis"
    )
    const analysis = await runAction('canary-gate', { mode: 'analysis' }, env())
    expect(lastError(analysis)).toBe(
      "Input 'prometheus-url' is ''; expected a value (this input is required)"
    )
    const noReports = await runAction('canary-gate', { command: 'touch ran' }, env())
    expect(lastError(noReports)).toContain("Input 'reports' is ''")
    const badKind = await runAction(
      'canary-gate',
      { reports: 'x.xml', 'evidence-kind': 'Integration Tests' },
      env()
    )
    expect(lastError(badKind)).toContain("Input 'evidence-kind' is 'Integration Tests'")
  })
})

describe('canary-gate mode http', () => {
  it('passes healthy checks and fails a failing one, naming it', async () => {
    const pinned = await image('smoke')
    const healthy = await runAction(
      'canary-gate',
      {
        mode: 'http',
        checks: `- url: ${serverUrl}/healthz\n  body: '"status":"ok"'\n  max-latency: 2s`,
        image: pinned,
        'signing-key': keys.privateKey
      },
      env()
    )
    expect(healthy.exitCode).toBe(0)
    expect(healthy.outputs).toMatchObject({ decision: 'pass', score: '100' })
    const failing = await runAction(
      'canary-gate',
      {
        mode: 'http',
        checks: `- ${serverUrl}/healthz\n- url: ${serverUrl}/ready\n  name: ready\n  retries: 1`,
        image: pinned,
        'signing-key': keys.privateKey
      },
      env()
    )
    expect(failing.exitCode).toBe(1)
    expect(failing.outputs).toMatchObject({ decision: 'fail', score: '50' })
    expect(lastError(failing)).toContain('503')
    const stored = await acceptedEvidence(client, pinned, trust)
    expect(stored.map((e) => e.label)).toEqual(['http=pass', 'http=fail'])
  })

  it('gives up on checks still failing when `timeout` passes, though retries are left', async () => {
    const result = await runAction(
      'canary-gate',
      { mode: 'http', checks: `- url: ${serverUrl}/ready\n  retries: 10`, timeout: '2s' },
      env()
    )
    expect(result.exitCode).toBe(1)
    expect(result.outputs).toMatchObject({ decision: 'fail', score: '0' })
    expect(lastError(result)).toContain('stopped by the 2 s timeout for all checks')
    const attempts = result.stdout.split('\n').filter((l) => /: attempt \d+: /.test(l))
    expect(attempts.length).toBeGreaterThan(1)
    expect(attempts.length).toBeLessThan(11)
  })
})
