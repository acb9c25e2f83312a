/**
 * The canary analysis's metrics. The fake node runs no containers, so two simulated exporters stand
 * in for the canary's and the baseline's pods, with equal error rates and latencies (a healthy
 * canary); a real Prometheus scrapes them every second, labelling each with its track, and
 * canary-gate queries it as it would a cluster's Prometheus, with the analysis inputs of
 * test/actions/canary-gate-analysis.itg.test.ts (harness/canary-analysis.ts).
 */
import { analysisInputs, HEALTHY } from '../../harness/canary-analysis.js'
import { startExporter, type Exporter } from '../../harness/metrics-exporter.js'
import { startPrometheus, type Prometheus } from '../../harness/prometheus.js'

/** Prometheus and the exporters standing in for the canary and baseline pods. */
export interface Metrics {
  readonly prometheus: Prometheus
  readonly exporters: readonly Exporter[]
  /** canary-gate's analysis inputs for this Prometheus. */
  readonly inputs: Record<string, string>
  stop(): Promise<void>
}

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
    inputs: analysisInputs(prometheus.url, 'sample'),
    async stop() {
      await prometheus.stop()
      await Promise.all(exporters.map((e) => e.stop()))
    }
  }
}
