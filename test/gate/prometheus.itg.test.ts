import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createServer, type Socket } from 'node:net'
import { instantQuery, PrometheusError } from '../../src/gate/analysis/prometheus.js'
import { sample, type SampledValues } from '../../src/gate/analysis/sampling.js'
import { startFaultProxy } from '../../harness/fault-proxy.js'
import { startExporter, type Exporter } from '../../harness/metrics-exporter.js'
import { freePort } from '../../harness/ports.js'
import { startPrometheus, type Prometheus } from '../../harness/prometheus.js'

const FAST = { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 }
const errorRate = (track: string): string =>
  `sum(rate(http_requests_total{track="${track}",status="500"}[5s]))` +
  ` / sum(rate(http_requests_total{track="${track}"}[5s]))`
const ERROR_RATE = {
  name: 'error-rate',
  canary: errorRate('canary'),
  baseline: errorRate('baseline')
}

let canary: Exporter
let baseline: Exporter
let prometheus: Prometheus

beforeAll(async () => {
  const latencyMs = { mean: 40, jitter: 10 }
  canary = await startExporter({ errorRate: 0.3, latencyMs, requestsPerSecond: 200, seed: 1 })
  baseline = await startExporter({ errorRate: 0.02, latencyMs, requestsPerSecond: 200, seed: 2 })
  prometheus = await startPrometheus({
    targets: [
      { job: 'app', target: canary.host, labels: { track: 'canary' } },
      { job: 'app', target: baseline.host, labels: { track: 'baseline' } }
    ]
  })
  // rate() needs two scrapes of each exporter
  const ready = async (track: string): Promise<boolean> =>
    (await instantQuery(prometheus.url, errorRate(track))).length > 0
  const deadline = Date.now() + 15_000
  while (!((await ready('canary')) && (await ready('baseline')))) {
    if (Date.now() > deadline) throw new Error('no error rates in 15 s')
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}, 45_000)
afterAll(async () => {
  await prometheus?.stop()
  await canary?.stop()
  await baseline?.stop()
})

describe('instantQuery', () => {
  it("reads the canary's higher error rate than the baseline's", async () => {
    const [canaryRate] = await instantQuery(prometheus.url, ERROR_RATE.canary)
    const [baselineRate] = await instantQuery(prometheus.url, ERROR_RATE.baseline)
    expect(canaryRate).toBeGreaterThan(0.15)
    expect(canaryRate).toBeLessThan(0.45)
    expect(baselineRate).toBeLessThan(0.08)
  })

  it.each([
    ['a vector: one value per series', 'up{job="app"}', [1, 1]],
    ['a scalar', 'scalar(vector(1.5))', [1.5]],
    ['a number literal', '2 * 3', [6]],
    ['no series', 'up{job="absent"}', []],
    ['NaN as NaN', 'vector(0) / vector(0)', [NaN]],
    [
      'infinities',
      'vector(1) / vector(0) or label_replace(vector(-1) / vector(0), "s", "n", "", "")',
      [Infinity, -Infinity]
    ]
  ])('gives %s', async (_what, query, expected) => {
    const values = await instantQuery(prometheus.url, query)
    expect([...values].sort()).toEqual([...expected].sort())
  })

  it('evaluates at the given time: before any scrape there are no series', async () => {
    const values = await instantQuery(prometheus.url, 'up', new Date(Date.now() - 3_600_000))
    expect(values).toEqual([])
  })

  it('refuses a PromQL syntax error once, naming the server, the query and the status', async () => {
    const proxy = await startFaultProxy(prometheus.url)
    try {
      const error = await instantQuery(proxy.url, 'sum(rate(http_requests_total[5s])', undefined, {
        retry: FAST
      }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(PrometheusError)
      const failed = error as PrometheusError
      expect(failed.server).toBe(proxy.url)
      expect(failed.query).toBe('sum(rate(http_requests_total[5s])')
      expect(failed.status).toBe(400)
      expect(failed.message).toMatch(
        /^Prometheus http:\/\/127\.0\.0\.1:\d+: query 'sum\(rate\(http_requests_total\[5s\]\)' failed: 400 bad_data: .*parse error/
      )
      expect(proxy.count('GET', /^\/api\/v1\/query/)).toBe(1)
    } finally {
      await proxy.stop()
    }
  })

  it('refuses a range vector: an instant query must answer a vector or a scalar', async () => {
    await expect(instantQuery(prometheus.url, 'up[5s]')).rejects.toThrow(
      "query 'up[5s]' failed: answered matrix; expected a vector or a scalar"
    )
  })

  it('names the server when nothing answers, after retrying', async () => {
    const url = `http://127.0.0.1:${await freePort()}`
    const error = await instantQuery(url, 'up', undefined, { retry: FAST }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(PrometheusError)
    expect((error as PrometheusError).server).toBe(url)
    expect((error as PrometheusError).status).toBeUndefined()
    expect((error as Error).message).toBe(
      `Prometheus ${url}: query 'up' failed: unreachable: connect ECONNREFUSED ${url.slice(7)}`
    )
  })

  it('gives up on a server that accepts but never answers, after the timeout of each attempt', async () => {
    const sockets: Socket[] = []
    let requests = 0
    const silent = createServer((socket) => {
      sockets.push(socket)
      socket.on('data', (chunk) => {
        if (chunk.toString().startsWith('GET /api/v1/query?query=up ')) requests += 1
      })
    })
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    const { port } = silent.address() as { port: number }
    try {
      const started = Date.now()
      await expect(
        instantQuery(`http://127.0.0.1:${port}`, 'up', undefined, {
          timeoutMs: 200,
          retry: { ...FAST, attempts: 2 }
        })
      ).rejects.toThrow(
        `Prometheus http://127.0.0.1:${port}: query 'up' failed: unreachable: no answer within 200 ms`
      )
      expect(Date.now() - started).toBeGreaterThanOrEqual(400)
      expect(requests).toBe(2)
    } finally {
      sockets.forEach((socket) => socket.destroy())
      await new Promise((resolve) => silent.close(resolve))
    }
  })

  it('retries 503 and 429 with Retry-After, then reads the answer', async () => {
    const proxy = await startFaultProxy(prometheus.url, [
      { times: 1, fault: { status: 503 } },
      { times: 1, fault: { status: 429, retryAfter: 0 } }
    ])
    try {
      expect(await instantQuery(proxy.url, 'up{job="app"}', undefined, { retry: FAST })).toEqual([
        1, 1
      ])
      expect(proxy.requests.map((r) => r.status)).toEqual([503, 429, 200])
    } finally {
      await proxy.stop()
    }
  })

  it('refuses a URL that is not http(s) without a request', async () => {
    await expect(instantQuery('prometheus:9090', 'up')).rejects.toThrow(
      "Prometheus prometheus:9090: query 'up' failed: unsupported protocol prometheus:"
    )
  })
})

describe('sample', () => {
  const lengths = (values: SampledValues): [string, number, number][] =>
    [...values].map(([name, v]) => [name, v.canary.length, v.baseline.length])

  it('samples each group once per interval, at the end of each interval', async () => {
    const started = Date.now()
    const rounds: number[] = []
    const result = await sample({
      prometheusUrl: prometheus.url,
      queries: [ERROR_RATE],
      intervalMs: 1000,
      durationMs: 4000,
      onRound: (round) => {
        rounds.push(round)
      }
    })
    expect(Date.now() - started).toBeGreaterThanOrEqual(4000)
    expect(result).toMatchObject({ rounds: 4, queries: 8, stoppedEarly: false, errors: [] })
    expect(rounds).toEqual([1, 2, 3, 4])
    expect(lengths(result.values)).toEqual([['error-rate', 4, 4]])
    const values = result.values.get('error-rate')
    expect(Math.min(...(values?.canary ?? []))).toBeGreaterThan(
      Math.max(...(values?.baseline ?? []))
    )
  })

  it('queries the canary alone for a metric without a baseline', async () => {
    const result = await sample({
      prometheusUrl: prometheus.url,
      queries: [{ name: 'up', canary: 'up{track="canary"}' }],
      intervalMs: 200,
      durationMs: 500
    })
    expect(result).toMatchObject({ rounds: 2, queries: 2 })
    expect(result.values.get('up')).toEqual({ canary: [1, 1], baseline: [] })
  })

  it("ends early when onRound says 'stop', with the values so far", async () => {
    const seen: [string, number, number][][] = []
    const result = await sample({
      prometheusUrl: prometheus.url,
      queries: [ERROR_RATE],
      intervalMs: 300,
      durationMs: 3000,
      onRound: (round, values) => {
        seen.push(lengths(values))
        return round === 2 ? 'stop' : undefined
      }
    })
    expect(result).toMatchObject({ rounds: 2, queries: 4, stoppedEarly: true, errors: [] })
    expect(seen).toEqual([[['error-rate', 1, 1]], [['error-rate', 2, 2]]])
  })

  it('ends at the first failing query and records its error; the round is not counted', async () => {
    const result = await sample({
      prometheusUrl: prometheus.url,
      queries: [ERROR_RATE, { name: 'broken', canary: 'up', baseline: 'up{' }],
      intervalMs: 200,
      durationMs: 1000,
      retry: FAST
    })
    expect(result).toMatchObject({ rounds: 0, queries: 4, stoppedEarly: false })
    expect(result.errors).toHaveLength(1)
    expect(result.errors[0]).toMatch(/^Prometheus http:.*: query 'up\{' failed: 400 bad_data/)
    expect(lengths(result.values)).toEqual([
      ['error-rate', 0, 0],
      ['broken', 0, 0]
    ])
  })

  it('stops when the signal aborts, between rounds', async () => {
    const controller = new AbortController()
    const result = await sample({
      prometheusUrl: prometheus.url,
      queries: [ERROR_RATE],
      intervalMs: 250,
      durationMs: 10_000,
      signal: controller.signal,
      onRound: (round) => {
        if (round === 1) setTimeout(() => controller.abort(), 50)
      }
    })
    expect(result).toMatchObject({ rounds: 1, queries: 2, stoppedEarly: true, errors: [] })
  })

  it.each([
    [{ intervalMs: 0, durationMs: 1000 }, 'sampling intervalMs is 0; expected a number > 0'],
    [
      { intervalMs: 1000, durationMs: 500 },
      'sampling durationMs is 500; expected at least the interval (1000 ms)'
    ]
  ])('refuses %j before any query', async (timing, message) => {
    await expect(
      sample({ prometheusUrl: prometheus.url, queries: [ERROR_RATE], ...timing })
    ).rejects.toThrow(message)
  })

  it('refuses two metrics of the same name', async () => {
    await expect(
      sample({
        prometheusUrl: prometheus.url,
        queries: [ERROR_RATE, ERROR_RATE],
        intervalMs: 100,
        durationMs: 100
      })
    ).rejects.toThrow("sampling query name 'error-rate' is used twice; expected unique names")
  })
})
