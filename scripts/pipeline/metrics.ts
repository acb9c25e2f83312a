/**
 * The canary analysis's metrics. The fake node runs no containers, so two simulated exporters stand
 * in for the canary's and the baseline's pods, with equal error rates and latencies (a healthy
 * canary); a real Prometheus scrapes them every second, labelling each with its track, and
 * canary-gate queries it as it would a cluster's Prometheus. The metrics, selectors and short
 * interval and duration are those of test/actions/canary-gate-analysis.itg.test.ts.
 */
import { startExporter, type Exporter } from '../../test/support/metrics-exporter.js'
import { startPrometheus, type Prometheus } from '../../test/support/prometheus.js'

/** Prometheus and the exporters standing in for the canary and baseline pods. */
export interface Metrics {
  readonly prometheus: Prometheus
  readonly exporters: readonly Exporter[]
  /** canary-gate's analysis inputs for this Prometheus. */
  readonly inputs: Record<string, string>
  stop(): Promise<void>
}

/** The service as both pods serve it: 2 % errors, ~70 ms, 1000 requests/s (inside one bucket). */
const HEALTHY = { errorRate: 0.02, latencyMs: { mean: 70, jitter: 10 }, requestsPerSecond: 1000 }

const METRICS = `
- name: error-rate
  query: sum(rate(http_requests_total{status="500",{{selector}}}[5s])) / sum(rate(http_requests_total{{{selector}}}[5s]))
  kind: compare
  direction: increase
  tolerance: 0.5
  critical: true
- name: latency-p50
  query: histogram_quantile(0.5, sum by (le) (rate(http_request_duration_seconds_bucket{{{selector}}}[5s])))
  kind: compare
  direction: increase
  tolerance: 0.25
- name: error-ceiling
  query: sum(rate(http_requests_total{status="500",{{selector}}}[5s])) / sum(rate(http_requests_total{{{selector}}}[5s]))
  kind: threshold
  max: 0.1
`

/** Starts the exporters and a Prometheus scraping them; resolves once each was scraped. */
export async function startMetrics(): Promise<Metrics> {
  const tracks = ['canary', 'baseline'] as const
  const exporters = await Promise.all(
    tracks.map((_track, i) => startExporter({ ...HEALTHY, seed: i + 1 }))
  )
  let prometheus: Prometheus
  try {
    prometheus = await startPrometheus({
      targets: tracks.map((track, i) => ({
        job: 'sample',
        target: exporters[i]?.host ?? '',
        labels: { track }
      })),
      scrapeIntervalMs: 1000
    })
  } catch (error) {
    await Promise.all(exporters.map((e) => e.stop()))
    throw error
  }
  return {
    prometheus,
    exporters,
    inputs: {
      mode: 'analysis',
      'prometheus-url': prometheus.url,
      metrics: METRICS,
      interval: '1s',
      duration: '6s',
      'canary-selector': 'job="sample",track="canary"',
      'baseline-selector': 'job="sample",track="baseline"'
    },
    async stop() {
      await prometheus.stop()
      await Promise.all(exporters.map((e) => e.stop()))
    }
  }
}
