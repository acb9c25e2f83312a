import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import { parseChecks, runHttpChecks, type HttpCheck } from '../../src/gate/http/run.js'
import { freePort } from '../../harness/ports.js'

const FAST = { attempts: 1, baseDelayMs: 1, maxDelayMs: 5 }
let server: Server
let base: string
/** Requests seen, as `METHOD path`. */
const seen: string[] = []
/** Requests per path, for the server that fails twice before it works. */
const counts = new Map<string, number>()

/** The service under test: a few endpoints that pass, fail, dawdle or recover. */
function answer(req: IncomingMessage): { status: number; body: string; delayMs?: number } {
  const path = req.url ?? '/'
  const count = (counts.get(path) ?? 0) + 1
  counts.set(path, count)
  if (path === '/healthz') return { status: 200, body: 'ok' }
  if (path === '/version') return { status: 200, body: '{"version":"1.4.2"}' }
  if (path === '/down') return { status: 503, body: 'warming up' }
  if (path === '/slow') return { status: 200, body: 'late', delayMs: 300 }
  if (path === '/hang') return { status: 200, body: 'never', delayMs: 5000 }
  if (path.startsWith('/flaky/'))
    return count <= 2 ? { status: 502, body: '' } : { status: 200, body: 'up' }
  if (path === '/auth') {
    const ok = req.headers.authorization === 'Bearer smoke'
    return { status: ok ? 200 : 401, body: ok ? 'hello' : 'who?' }
  }
  return { status: 404, body: 'no such page' }
}

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`)
    const { status, body, delayMs = 0 } = answer(req)
    const timer = setTimeout(() => {
      res.writeHead(status, { 'content-type': 'text/plain' })
      res.end(body)
    }, delayMs)
    res.on('close', () => clearTimeout(timer))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
})
afterAll(
  () =>
    new Promise<void>((resolve) => {
      server?.closeAllConnections()
      server?.close(() => resolve())
    })
)

function check(path: string, more: Partial<HttpCheck> = {}): HttpCheck {
  return { name: path, url: `${base}${path}`, method: 'GET', retries: 0, headers: {}, ...more }
}

describe('runHttpChecks', () => {
  it('passes checks parsed from YAML, concurrently, with status, latency and attempts', async () => {
    const checks = parseChecks(
      [
        `- ${base}/healthz`,
        `- url: ${base}/version`,
        '  name: version',
        '  status: [200]',
        `  body: '"version":"1\\.'`,
        '  max-latency: 2s',
        `- url: ${base}/auth`,
        '  headers: { Authorization: Bearer smoke }'
      ].join('\n')
    )
    const lines: string[] = []
    const results = await runHttpChecks(checks, { retry: FAST, onAttempt: (l) => lines.push(l) })
    expect(results.map((r) => [r.check.name, r.ok, r.attempts, r.status])).toEqual([
      [`${base}/healthz`, true, 1, 200],
      ['version', true, 1, 200],
      [`${base}/auth`, true, 1, 200]
    ])
    expect(results[1].latencyMs).toBeGreaterThanOrEqual(0)
    expect(results[1].message).toMatch(new RegExp(`^GET ${base}/version → 200 in \\d+ ms$`))
    expect(lines).toContain(`version: attempt 1: ${results[1].message}`)
  })

  it('fails on a status not accepted, after every attempt', async () => {
    const [any2xx, listed] = await runHttpChecks(
      [check('/down', { retries: 2 }), check('/healthz', { statuses: [204, 301] })],
      { retry: FAST }
    )
    expect(any2xx).toMatchObject({ ok: false, attempts: 3, status: 503 })
    expect(any2xx.message).toBe(`GET ${base}/down → 503 (expected 2xx) after 3 attempts`)
    expect(listed).toMatchObject({ ok: false, attempts: 1, status: 200 })
    expect(listed.message).toBe(`GET ${base}/healthz → 200 (expected 204 or 301)`)
  })

  it('fails when the body does not match the pattern', async () => {
    const [result] = await runHttpChecks([check('/version', { body: /"version":"2\./ })], {
      retry: FAST
    })
    expect(result).toMatchObject({ ok: false, status: 200 })
    expect(result.message).toBe(
      `GET ${base}/version matched status 200 but body did not match /"version":"2\\./`
    )
  })

  it('fails when the complete response takes longer than max-latency', async () => {
    const [late, inTime] = await runHttpChecks(
      [check('/slow', { maxLatencyMs: 100 }), check('/slow', { maxLatencyMs: 3000 })],
      { retry: FAST }
    )
    expect(late.ok).toBe(false)
    expect(late.latencyMs).toBeGreaterThanOrEqual(290)
    expect(late.message).toBe(`GET ${base}/slow → 200 took ${late.latencyMs} ms > 100 ms`)
    expect(inTime.ok).toBe(true)
  })

  it('retries a server that fails twice and passes on the third attempt', async () => {
    const lines: string[] = []
    const [result] = await runHttpChecks([check('/flaky/a', { retries: 2 })], {
      retry: FAST,
      onAttempt: (l) => lines.push(l)
    })
    expect(result).toMatchObject({ ok: true, attempts: 3, status: 200 })
    expect(lines.map((l) => l.replace(/\d+ ms/, 'N ms'))).toEqual([
      `/flaky/a: attempt 1: GET ${base}/flaky/a → 502 (expected 2xx)`,
      `/flaky/a: attempt 2: GET ${base}/flaky/a → 502 (expected 2xx)`,
      `/flaky/a: attempt 3: GET ${base}/flaky/a → 200 in N ms`
    ])
  })

  it('waits with backoff between attempts', async () => {
    const waits: number[] = []
    const sleep = async (ms: number) => {
      waits.push(ms)
    }
    const policy = { attempts: 1, baseDelayMs: 100, maxDelayMs: 150, sleep, random: () => 1 }
    const [result] = await runHttpChecks([check('/down', { retries: 3 })], { retry: policy })
    expect(result.attempts).toBe(4)
    expect(waits).toEqual([100, 150, 150])
  })

  it('says connection refused when nothing listens', async () => {
    const port = await freePort()
    const url = `http://127.0.0.1:${port}/healthz`
    const [result] = await runHttpChecks([{ ...check('/'), url, retries: 1 }], { retry: FAST })
    expect(result).toMatchObject({ ok: false, attempts: 2 })
    expect(result.status).toBeUndefined()
    expect(result.message).toBe(`GET ${url}: connection refused after 2 attempts`)
  })

  it('gives up on an attempt after the timeout', async () => {
    const [result] = await runHttpChecks([check('/hang')], { retry: FAST, timeoutMs: 200 })
    expect(result.ok).toBe(false)
    expect(result.message).toBe(`GET ${base}/hang: no complete response within 200 ms`)
  })

  it('stops retrying when the deadline for all checks comes, and says so', async () => {
    const policy = { attempts: 1, baseDelayMs: 100, maxDelayMs: 100, random: () => 1 }
    const [down, healthy] = await runHttpChecks(
      [check('/down', { retries: 50 }), check('/healthz')],
      { retry: policy, deadlineMs: 1000 }
    )
    expect(healthy).toMatchObject({ ok: true, attempts: 1 })
    expect(down.ok).toBe(false)
    expect(down.attempts).toBeGreaterThanOrEqual(2)
    expect(down.attempts).toBeLessThan(51)
    expect(down.message).toBe(
      `GET ${base}/down → 503 (expected 2xx) after ${down.attempts} attempts, ` +
        'stopped by the 1 s timeout for all checks'
    )
  })

  it('cuts an attempt short at the deadline for all checks', async () => {
    const [result] = await runHttpChecks([check('/hang', { retries: 3 })], {
      retry: FAST,
      deadlineMs: 200
    })
    expect(result).toMatchObject({ ok: false, attempts: 1 })
    expect(result.message).toMatch(
      /^GET \S+\/hang: no complete response within \d+ ms, stopped by the 0\.2 s timeout for all checks$/
    )
    // the attempt's own timeout (10 s by default) was cut to what was left of the deadline
    expect(Number(/within (\d+) ms/.exec(result.message)?.[1])).toBeLessThanOrEqual(200)
  })

  it('sends HEAD when asked, and judges its status', async () => {
    const before = seen.length
    const [head, missing] = await runHttpChecks(
      [check('/healthz', { method: 'HEAD' }), check('/nowhere', { method: 'HEAD' })],
      { retry: FAST }
    )
    expect(seen.slice(before).sort()).toEqual(['HEAD /healthz', 'HEAD /nowhere'])
    expect(head).toMatchObject({ ok: true, status: 200 })
    expect(missing.message).toBe(`HEAD ${base}/nowhere → 404 (expected 2xx)`)
  })
})
