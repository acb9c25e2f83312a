/**
 * canary-gate's analysis as the tests and the local pipeline run it against the Prometheus of
 * harness/prometheus.ts scraping simulated exporters: the metrics, a healthy service's
 * behaviour, and the short interval and duration that keep a run to a few seconds.
 */
import type { ExporterOptions } from './metrics-exporter.js'

/**
 * Error rate (compared, critical), p50 latency (compared) and an error-rate ceiling, over 5 s rates
 * of the exporters' `http_requests_total` and `http_request_duration_seconds`.
 */
export const ANALYSIS_METRICS = `
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

/**
 * A healthy service: 2 % errors, ~70 ms (inside one histogram bucket, 50–100 ms, so that the
 * interpolated quantile does not jump at a bucket edge), 1000 requests/s (so 5 s rates are not noise).
 */
export const HEALTHY: ExporterOptions = {
  errorRate: 0.02,
  latencyMs: { mean: 70, jitter: 10 },
  requestsPerSecond: 1000
}

/**
 * canary-gate's inputs for an analysis on `prometheusUrl` of track `canary` against track
 * `baseline`, both series of job `job`: the metrics above every 1 s for 6 s.
 */
export function analysisInputs(
  prometheusUrl: string,
  job: string,
  canary = 'canary'
): Record<string, string> {
  return {
    mode: 'analysis',
    'prometheus-url': prometheusUrl,
    metrics: ANALYSIS_METRICS,
    interval: '1s',
    duration: '6s',
    'canary-selector': `job="${job}",track="${canary}"`,
    'baseline-selector': `job="${job}",track="baseline"`
  }
}
