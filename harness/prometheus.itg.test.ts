import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startExporter, type Exporter } from './metrics-exporter.js'
import { startPrometheus, type Prometheus } from './prometheus.js'

/** Values of an instant query, straight from the HTTP API (independent of src/gate). */
async function query(prometheus: Prometheus, promql: string): Promise<number[]> {
  const url = `${prometheus.url}/api/v1/query?query=${encodeURIComponent(promql)}`
  const body = (await (await fetch(url)).json()) as {
    status: string
    data: { result: { value: [number, string] }[] }
  }
  expect(body.status).toBe('success')
  return body.data.result.map((series) => Number(series.value[1]))
}

/** Polls until `check` passes (it throws until then) or 15 s pass. */
async function eventually<T>(check: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 15_000
  for (;;) {
    try {
      return await check()
    } catch (error) {
      if (Date.now() > deadline) throw error
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
  }
}

async function metricsText(exporter: Exporter): Promise<string> {
  return (await fetch(exporter.url)).text()
}

function counter(text: string, status: string): number {
  const match = new RegExp(`^http_requests_total\\{status="${status}"\\} (\\d+)$`, 'm').exec(text)
  return match ? Number(match[1]) : NaN
}

describe('metrics exporter', () => {
  it('serves nothing while there is no traffic, then counts requests once it is set', async () => {
    const exporter = await startExporter({
      errorRate: 0.5,
      latencyMs: { mean: 20, jitter: 5 },
      requestsPerSecond: 0
    })
    try {
      await new Promise((resolve) => setTimeout(resolve, 300))
      expect(await metricsText(exporter)).toBe('')
      exporter.set({ requestsPerSecond: 500 })
      const text = await eventually(async () => {
        const current = await metricsText(exporter)
        expect(counter(current, '200') + counter(current, '500')).toBeGreaterThan(100)
        return current
      })
      expect(text).toContain('# TYPE http_request_duration_seconds histogram')
      // latencies are 15–25 ms: none under 10 ms, all under 25 ms
      expect(text).toMatch(/^http_request_duration_seconds_bucket\{le="0.01"\} 0$/m)
      const count = /^http_request_duration_seconds_count (\d+)$/m.exec(text)?.[1]
      expect(text).toContain(`http_request_duration_seconds_bucket{le="0.025"} ${count}`)
      expect((await fetch(exporter.url.replace('/metrics', '/other'))).status).toBe(404)
    } finally {
      await exporter.stop()
    }
  })

  it('refuses an error rate outside 0–1', async () => {
    await expect(
      startExporter({ errorRate: 1.5, latencyMs: { mean: 1, jitter: 0 }, requestsPerSecond: 1 })
    ).rejects.toThrow('errorRate is 1.5; expected 0–1')
  })
})

describe('prometheus harness', () => {
  let exporter: Exporter
  let prometheus: Prometheus

  beforeAll(async () => {
    exporter = await startExporter({
      errorRate: 0.1,
      latencyMs: { mean: 50, jitter: 20 },
      requestsPerSecond: 100,
      seed: 7
    })
    prometheus = await startPrometheus({
      targets: [{ job: 'app', target: exporter.host, labels: { track: 'canary' } }]
    })
  }, 30_000)
  afterAll(async () => {
    await prometheus?.stop()
    await exporter?.stop()
  })

  it('is ready on loopback and scrapes the exporter with its labels', async () => {
    expect(prometheus.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect((await fetch(`${prometheus.url}/-/ready`)).status).toBe(200)
    // startPrometheus resolves after the first scrape
    expect(await query(prometheus, 'up{job="app",track="canary"}')).toEqual([1])
  })

  it('sees the traffic through rate() after a few seconds', async () => {
    // the first windows of a new series extrapolate less than a full window: wait for a steady one
    const rate = await eventually(async () => {
      const [value] = await query(prometheus, 'sum(rate(http_requests_total{track="canary"}[5s]))')
      // about 100 requests per second; scrape timing makes it approximate
      expect(value).toBeGreaterThan(70)
      expect(value).toBeLessThan(130)
      return value ?? 0
    })
    expect(rate).toBeGreaterThan(70)
  })
})
