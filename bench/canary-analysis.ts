// canary-gate mode analysis: decision accuracy over exporter scenarios, each run as a runner runs
// the bundle against Debian's Prometheus scraping simulated services. Goal: every clearly worse
// canary fails, every equal one passes (and one slightly worse within the tolerance passes).
// BENCH_SEEDS (5) canary/baseline pairs per scenario, each with its own PRNG seeds.
import { runAction } from '../harness/action-runner.js'
import { startExporter } from '../harness/metrics-exporter.js'
import { startPrometheus } from '../harness/prometheus.js'

const SEEDS = Number(process.env.BENCH_SEEDS ?? 5)
const BASE = { errorRate: 0.02, latencyMs: { mean: 70, jitter: 10 }, requestsPerSecond: 1000 }
const SCENARIOS = {
  equal: { canary: BASE, expect: 'pass' },
  'clearly worse': {
    canary: { errorRate: 0.1, latencyMs: { mean: 120, jitter: 20 }, requestsPerSecond: 1000 },
    expect: 'fail'
  },
  'slightly worse': {
    canary: { errorRate: 0.021, latencyMs: { mean: 72, jitter: 10 }, requestsPerSecond: 1000 },
    expect: 'pass'
  }
} as const

const METRICS = `
- name: error-rate
  query: sum(rate(http_requests_total{status="500",{{selector}}}[5s])) / sum(rate(http_requests_total{{{selector}}}[5s]))
  direction: increase
  tolerance: 0.25
  critical: true
- name: latency-p50
  query: histogram_quantile(0.5, sum by (le) (rate(http_request_duration_seconds_bucket{{{selector}}}[5s])))
  direction: increase
  tolerance: 0.25
`

export async function canaryAnalysis(): Promise<void> {
  const names = Object.keys(SCENARIOS) as (keyof typeof SCENARIOS)[]
  const exporters = await Promise.all(
    Array.from({ length: SEEDS }, (_, seed) => [
      startExporter({ ...BASE, seed: 1000 + seed }),
      ...names.map((name, i) =>
        startExporter({ ...SCENARIOS[name].canary, seed: seed * 10 + i + 1 })
      )
    ]).flat()
  )
  const targets = exporters.map((exporter, i) => {
    const seed = Math.floor(i / (names.length + 1))
    const slot = i % (names.length + 1)
    const track = slot === 0 ? 'baseline' : names[slot - 1].replace(' ', '-')
    return { job: `seed${seed}`, target: exporter.host, labels: { track } }
  })
  const prometheus = await startPrometheus({ targets, scrapeIntervalMs: 1000 })
  try {
    await new Promise((resolve) => setTimeout(resolve, 6000))
    console.log(`canary-gate analysis, ${SEEDS} seeds per scenario (interval 1 s, duration 6 s):`)
    for (const name of names) {
      const decisions: string[] = []
      const times: number[] = []
      for (let seed = 0; seed < SEEDS; seed++) {
        const started = performance.now()
        const result = await runAction('canary-gate', {
          mode: 'analysis',
          'prometheus-url': prometheus.url,
          metrics: METRICS,
          interval: '1s',
          duration: '6s',
          'canary-selector': `job="seed${seed}",track="${name.replace(' ', '-')}"`,
          'baseline-selector': `job="seed${seed}",track="baseline"`
        })
        times.push(performance.now() - started)
        decisions.push(result.outputs.decision ?? 'none')
      }
      const right = decisions.filter((d) => d === SCENARIOS[name].expect).length
      console.log(
        `  ${name.padEnd(15)} expected ${SCENARIOS[name].expect}: ${right}/${SEEDS} right (${decisions.join(', ')}); ` +
          `median run ${(times.sort((a, b) => a - b)[Math.floor(times.length / 2)] / 1000).toFixed(1)} s`
      )
    }
  } finally {
    await prometheus.stop()
    await Promise.all(exporters.map((e) => e.stop()))
  }
}
