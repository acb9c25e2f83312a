import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { runAction } from '../../harness/action-runner.js'
import { analysisInputs, HEALTHY } from '../../harness/canary-analysis.js'
import { startExporter } from '../../harness/metrics-exporter.js'
import { startPrometheus } from '../../harness/prometheus.js'
import { freePort } from '../../harness/ports.js'
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
  })

  it('refuses metrics YAML that does not parse, naming the line', async () => {
    const result = await analysis('equal', { metrics: '- name: x\n  query: [unclosed\n' })
    expect(result.exitCode).toBe(1)
    expect(result.annotations.at(-1)?.message).toContain("Input 'metrics'")
  })
})
