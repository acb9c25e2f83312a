import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import { runAction } from '../../harness/action-runner.js'
import { analysisInputs, HEALTHY } from '../../harness/canary-analysis.js'
import { startExporter } from '../../harness/metrics-exporter.js'
import { startPrometheus } from '../../harness/prometheus.js'
import { freePort } from '../../harness/ports.js'
import { testPki } from '../../harness/tls.js'
import { pushEvent } from './github-env.js'

type Exporter = Awaited<ReturnType<typeof startExporter>>
type Prometheus = Awaited<ReturnType<typeof startPrometheus>>

// Four services, each scraped as its own track: a healthy baseline, and canaries that are equal,
// clearly worse, slightly worse within the tolerance, and without traffic. Latencies sit inside one
// histogram bucket (50–100 ms) so that the interpolated quantile does not jump at a bucket edge, and
// the traffic is high enough that 5 s rates are not noise.
const SCENARIOS = {
  baseline: HEALTHY,
  equal: HEALTHY,
  worse: { errorRate: 0.25, latencyMs: { mean: 400, jitter: 50 }, requestsPerSecond: 1000 },
  slightly: { errorRate: 0.021, latencyMs: { mean: 72, jitter: 10 }, requestsPerSecond: 1000 },
  idle: { errorRate: 0, latencyMs: { mean: 70, jitter: 10 }, requestsPerSecond: 0 }
} as const

let exporters: Exporter[] = []
let prometheus: Prometheus

beforeAll(async () => {
  exporters = await Promise.all(
    Object.values(SCENARIOS).map((scenario, i) => startExporter({ ...scenario, seed: i + 1 }))
  )
  prometheus = await startPrometheus({
    targets: Object.keys(SCENARIOS).map((track, i) => ({
      job: 'web',
      target: exporters[i].host,
      labels: { track }
    })),
    scrapeIntervalMs: 1000
  })
  // rate() over 5 s needs a few scrapes first
  await new Promise((resolve) => setTimeout(resolve, 6000))
}, 60_000)
afterAll(async () => {
  await prometheus?.stop()
  await Promise.all(exporters.map((e) => e.stop()))
})

/** Mermaid xychart-beta blocks of a job summary, read strictly as the chart renderer writes them. */
function chartsOf(summary: string) {
  const number = String.raw`-?\d+(?:\.\d+)?`
  const list = (text: string) => text.split(', ')
  return [...summary.matchAll(/```mermaid\n([\s\S]*?)\n```/g)].map(([, block]) => {
    const lines = block.split('\n')
    expect(lines[0]).toMatch(/^%%\{init: .*\}%%$/)
    expect(lines[1]).toBe('xychart-beta')
    const title = /^ {2}title "([^"]*)"$/.exec(lines[2])?.[1]
    const rounds = /^ {2}x-axis "round" \[(.*)\]$/.exec(lines[3])?.[1]
    expect(lines[4]).toMatch(new RegExp(`^  y-axis "value"( ${number} --> ${number})?$`))
    const series = lines.slice(5).map((line) => {
      const match = new RegExp(`^  line "([^"]+)" \\[(${number}(?:, ${number})*)\\]$`).exec(line)
      expect(match).not.toBeNull()
      return { name: match?.[1], values: list(match?.[2] ?? '').map(Number) }
    })
    expect(rounds).toMatch(/^"\d+"(, "\d+")*$/)
    return { title, rounds: list(rounds ?? ''), lines: series }
  })
}

function analysis(canary: string, extra: Record<string, string> = {}) {
  return runAction(
    'canary-gate',
    { ...analysisInputs(prometheus.url, 'web', canary), ...extra },
    pushEvent('main', 'a'.repeat(40))
  )
}

describe('canary-gate mode analysis against Prometheus', () => {
  it('passes a canary equal to its baseline', async () => {
    const result = await analysis('equal')
    expect(result.outputs.decision).toBe('pass')
    expect(result.exitCode).toBe(0)
    expect(Number(result.outputs.score)).toBeGreaterThanOrEqual(95)
    const report = JSON.parse(result.outputs.report) as { queries: number; rounds: number }
    // one query per metric per interval per group: 2 compare metrics × 2 groups + 1 threshold
    expect(report.queries).toBe(report.rounds * 5)
    // the job summary: per metric, a chart of canary (and baseline) over the rounds, then the table
    const charts = chartsOf(result.summary)
    expect(charts.map((c) => c.title)).toEqual(['error-rate', 'latency-p50', 'error-ceiling'])
    for (const chart of charts) {
      const expected =
        chart.title === 'error-ceiling' ? ['canary', 'max 0.1'] : ['canary', 'baseline']
      expect(chart.lines.map((l) => l.name)).toEqual(expected)
      expect(chart.rounds.length).toBeGreaterThanOrEqual(2)
      expect(chart.rounds.length).toBeLessThanOrEqual(report.rounds)
      for (const line of chart.lines) expect(line.values).toHaveLength(chart.rounds.length)
    }
    expect(Math.max(...charts[0].lines[0].values)).toBeLessThan(0.1)
    expect(result.summary).toContain('| round | canary | baseline | after the round |')
    expect(result.summary).toMatch(
      new RegExp(`\\| ${report.rounds} \\| [\\d.]+ \\| [\\d.]+ \\| pass \\|`)
    )
  })

  it('fails a clearly worse canary, early, naming the critical metric', async () => {
    const result = await analysis('worse')
    expect(result.exitCode).toBe(1)
    expect(result.outputs.decision).toBe('fail')
    const report = JSON.parse(result.outputs.report) as {
      stoppedEarly: boolean
      metrics: { metric: string; classification: string; failed: boolean }[]
    }
    expect(report.metrics.find((m) => m.metric === 'error-rate')).toMatchObject({
      classification: 'high',
      failed: true
    })
    expect(report.stoppedEarly).toBe(true)
    // the round that failed it is in the summary's table of error-rate
    expect(result.summary).toContain(' | high ✗ |')
  })

  it('passes a canary slightly worse within the tolerance', async () => {
    const result = await analysis('slightly')
    // the whole report in the failure message, should a loaded machine ever make this fail
    expect({ decision: result.outputs.decision, report: result.outputs.report }).toMatchObject({
      decision: 'pass'
    })
  })

  it('is inconclusive without traffic, and when Prometheus cannot be reached', async () => {
    const idle = await analysis('idle')
    expect(idle.outputs.decision).not.toBe('pass')
    const port = await freePort()
    const down = await analysis('equal', { 'prometheus-url': `http://127.0.0.1:${port}` })
    expect(down.outputs.decision).toBe('inconclusive')
    expect(down.exitCode).toBe(1)
    // no round completed: nothing to draw
    expect(chartsOf(down.summary)).toEqual([])
  })

  it('refuses metrics YAML that does not parse, naming the line', async () => {
    const result = await analysis('equal', { metrics: '- name: x\n  query: [unclosed\n' })
    expect(result.exitCode).toBe(1)
    expect(result.annotations.at(-1)?.message).toContain("Input 'metrics'")
  })
})

describe('canary-gate analysis against a Prometheus that asks for credentials', () => {
  /** A reverse proxy of the test's own in front of the real Prometheus, accepting one Authorization. */
  async function authProxy(expected: string) {
    const target = new URL(prometheus.url)
    const server = createServer((req, res) => {
      if (req.headers.authorization !== expected) {
        res.writeHead(401, { 'content-type': 'application/json' })
        res.end(
          JSON.stringify({
            status: 'error',
            errorType: 'unauthorized',
            error: 'credentials required'
          })
        )
        return
      }
      const upstream = request(
        {
          host: target.hostname,
          port: target.port,
          path: req.url,
          method: req.method,
          headers: { accept: 'application/json' }
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers)
          answer.pipe(res)
        }
      )
      upstream.on('error', () => res.destroy())
      req.pipe(upstream)
    })
    const port = await freePort()
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
    return {
      url: `http://127.0.0.1:${port}`,
      stop: () => new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }

  /** A server that answers every request with `status` and `headers`, recording the headers it got. */
  async function recorder(
    answer: (port: number) => { status: number; headers?: Record<string, string>; body?: string }
  ) {
    const seen: Record<string, string | string[] | undefined>[] = []
    const port = await freePort()
    const server = createServer((req, res) => {
      seen.push(req.headers)
      const { status, headers, body } = answer(port)
      res.writeHead(status, headers)
      res.end(body ?? '')
    })
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
    return {
      url: `http://127.0.0.1:${port}`,
      seen,
      stop: () => new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }

  it('passes with a bearer token and with basic auth, and is inconclusive with one clear 401 without', async () => {
    const token = 'prom-token-7f3a'
    const bearer = await authProxy(`Bearer ${token}`)
    const basic = await authProxy(`Basic ${Buffer.from('reader:s3cret-pw').toString('base64')}`)
    try {
      const withToken = await analysis('equal', {
        'prometheus-url': bearer.url,
        'prometheus-token': token
      })
      expect(withToken.outputs.decision).toBe('pass')
      expect(withToken.masks).toContain(token)
      const withBasic = await analysis('equal', {
        'prometheus-url': basic.url,
        'prometheus-username': 'reader',
        'prometheus-password': 's3cret-pw'
      })
      expect(withBasic.outputs.decision).toBe('pass')
      const without = await analysis('equal', { 'prometheus-url': bearer.url })
      expect(without.outputs.decision).toBe('inconclusive')
      expect(without.exitCode).toBe(1)
      const errors = without.annotations.filter((a) => a.level === 'error')
      expect(errors).toHaveLength(1)
      expect(errors[0].message).toContain('401 unauthorized: credentials required')
    } finally {
      await bearer.stop()
      await basic.stop()
    }
  })

  it('refuses a redirect to another host, which never sees the credential', async () => {
    const elsewhere = await recorder(() => ({
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [] } })
    }))
    const redirecting = await recorder(() => ({
      status: 302,
      headers: { location: `${elsewhere.url}/api/v1/query` }
    }))
    try {
      const result = await analysis('equal', {
        'prometheus-url': redirecting.url,
        'prometheus-token': 'never-leaves-7c1e',
        'prometheus-headers': 'X-Scope-OrgID: team-a'
      })
      expect(result.outputs.decision).toBe('inconclusive')
      expect(result.annotations.filter((a) => a.level === 'error')[0]?.message).toContain(
        `302 redirect to ${elsewhere.url} refused`
      )
      expect(redirecting.seen[0]).toMatchObject({
        authorization: 'Bearer never-leaves-7c1e',
        'x-scope-orgid': 'team-a'
      })
      expect(elsewhere.seen).toEqual([])
    } finally {
      await redirecting.stop()
      await elsewhere.stop()
    }
  })
})

describe('canary-gate analysis against a Prometheus behind TLS with a private CA', () => {
  /** An HTTPS reverse proxy of the test's own, its certificate issued by the test's private CA. */
  async function tlsProxy() {
    const pki = await testPki()
    const target = new URL(prometheus.url)
    const forward = (req: IncomingMessage, res: ServerResponse) => {
      const upstream = request(
        { host: target.hostname, port: target.port, path: req.url, method: req.method },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers)
          answer.pipe(res)
        }
      )
      upstream.on('error', () => res.destroy())
      req.pipe(upstream)
    }
    const server = createHttpsServer({ cert: pki.server.certPem, key: pki.server.keyPem }, forward)
    let refusedHandshakes = 0
    server.on('tlsClientError', () => refusedHandshakes++)
    const port = await freePort()
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
    return {
      pki,
      url: `https://127.0.0.1:${port}`,
      refusedHandshakes: () => refusedHandshakes,
      stop: () =>
        new Promise<void>((resolve) => {
          server.closeAllConnections()
          server.close(() => resolve())
        })
    }
  }

  it('passes with prometheus-ca (text or file), and is inconclusive with one clear TLS error without', async () => {
    const proxy = await tlsProxy()
    try {
      const withCa = await analysis('equal', {
        'prometheus-url': proxy.url,
        'prometheus-ca': proxy.pki.ca.certPem
      })
      expect({ decision: withCa.outputs.decision, report: withCa.outputs.report }).toMatchObject({
        decision: 'pass'
      })
      expect(withCa.exitCode).toBe(0)
      const withFile = await analysis('equal', {
        'prometheus-url': proxy.url,
        'prometheus-ca': proxy.pki.ca.certFile
      })
      expect(withFile.outputs.decision).toBe('pass')

      expect(proxy.refusedHandshakes()).toBe(0)
      const without = await analysis('equal', { 'prometheus-url': proxy.url })
      expect(without.outputs.decision).toBe('inconclusive')
      expect(without.exitCode).toBe(1)
      const errors = without.annotations.filter((a) => a.level === 'error')
      expect(errors).toHaveLength(1)
      expect(errors[0].message).toContain(`Prometheus ${proxy.url}: query `)
      expect(errors[0].message).toContain(
        "TLS: the server's certificate is not trusted: unable to verify the first certificate (UNABLE_TO_VERIFY_LEAF_SIGNATURE); for a private CA, give its certificates in prometheus-ca"
      )
      // not retried: one refused handshake per query of the first round (2 compare metrics × 2
      // groups + 1 threshold), where retries would have made 5 each
      expect(proxy.refusedHandshakes()).toBe(5)
    } finally {
      await proxy.stop()
    }
  })

  it('refuses a prometheus-ca that does not parse before any query', async () => {
    const proxy = await recorderTls()
    try {
      const result = await analysis('equal', {
        'prometheus-url': proxy.url,
        'prometheus-ca': '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----'
      })
      expect(result.exitCode).toBe(1)
      expect(result.outputs.decision).toBeUndefined()
      const errors = result.annotations.filter((a) => a.level === 'error')
      expect(errors).toHaveLength(1)
      expect(errors[0].message).toContain(
        "Input 'prometheus-ca' is '-----BEGIN CERTIFICATE-----…'; expected PEM CA certificates"
      )
      expect(proxy.requests()).toBe(0)
    } finally {
      await proxy.stop()
    }
  })

  /** An HTTPS server that counts the requests it gets (none are expected). */
  async function recorderTls() {
    const pki = await testPki()
    let count = 0
    const server = createHttpsServer(
      { cert: pki.server.certPem, key: pki.server.keyPem },
      (_, res) => {
        count++
        res.writeHead(500)
        res.end()
      }
    )
    const port = await freePort()
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
    return {
      url: `https://127.0.0.1:${port}`,
      requests: () => count,
      stop: () => new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
})
