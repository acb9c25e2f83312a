import * as core from '@actions/core'
import type { Decision } from '../../evidence/index.js'
import {
  classify,
  MIN_SAMPLES,
  queryFor,
  sample,
  score,
  type MetricVerdict,
  type Score
} from '../../gate/index.js'
import type { AnalysisInputs } from './inputs.js'
import type { GateOutcome } from './outcome.js'

/**
 * mode analysis: every metric's canary (and baseline) query sampled each interval for the duration;
 * after each round every metric is classified and the whole scored, and sampling stops early once a
 * critical metric fails or the score falls below marginal. A Prometheus that cannot be queried makes
 * the decision inconclusive, never pass.
 */
export async function analysisOutcome(inputs: AnalysisInputs): Promise<GateOutcome> {
  const thresholds = { marginal: inputs.marginal, pass: inputs.pass }
  const judgeAll = (values: ReadonlyMap<string, { canary: number[]; baseline: number[] }>): Score =>
    score(
      inputs.metrics.map((metric) => {
        const got = values.get(metric.name)
        return classify(metric, got?.canary ?? [], got?.baseline ?? [])
      }),
      thresholds
    )
  const result = await sample({
    prometheusUrl: inputs.prometheusUrl,
    queries: inputs.metrics.map((metric) => ({
      name: metric.name,
      canary: queryFor(metric, inputs.canarySelector),
      ...(metric.kind === 'compare' ? { baseline: queryFor(metric, inputs.baselineSelector) } : {})
    })),
    intervalMs: inputs.intervalMs,
    durationMs: inputs.durationMs,
    headers: inputs.prometheusHeaders,
    ca: inputs.prometheusCa,
    onRound: (round, values) => {
      const now = judgeAll(values)
      core.info(`round ${round}: score ${now.score}, ${now.decision}: ${now.reason}`)
      const enough = [...values.values()].every((v) => v.canary.length >= MIN_SAMPLES)
      return enough && now.decision === 'fail' ? 'stop' : undefined
    }
  })
  const final = judgeAll(result.values)
  const failedQueries = result.errors.length > 0
  const decision: Decision = failedQueries ? 'inconclusive' : final.decision
  const reason = failedQueries
    ? `Prometheus could not be queried, so nothing is decided: ${result.errors[0]}`
    : `${final.reason}${result.stoppedEarly ? ` (stopped after round ${result.rounds} of ${Math.floor(inputs.durationMs / inputs.intervalMs)})` : ''}`
  return {
    decision,
    score: Math.round(final.score),
    reason,
    report: {
      mode: 'analysis',
      decision,
      reason,
      score: final.score,
      rounds: result.rounds,
      queries: result.queries,
      stoppedEarly: result.stoppedEarly,
      errors: result.errors,
      metrics: final.verdicts.map(verdictReport)
    },
    details: {
      score: final.score,
      rounds: result.rounds,
      metrics: Object.fromEntries(final.verdicts.map((v) => [v.metric, v.classification]))
    },
    rows: [
      ['score', `${Math.round(final.score)} (marginal ${inputs.marginal}, pass ${inputs.pass})`],
      [
        'rounds',
        `${result.rounds}, ${result.queries} queries${result.stoppedEarly ? ', stopped early' : ''}`
      ],
      ...final.verdicts.map(
        (v) =>
          [
            `${v.metric}${v.critical ? ' (critical)' : ''}`,
            `${v.classification}${v.failed ? ' ✗' : ''}: ${v.reason}`
          ] as const
      )
    ],
    notes: []
  }
}

function verdictReport(verdict: MetricVerdict): Record<string, unknown> {
  return {
    metric: verdict.metric,
    classification: verdict.classification,
    failed: verdict.failed,
    critical: verdict.critical,
    weight: verdict.weight,
    reason: verdict.reason,
    canary: verdict.canary,
    baseline: verdict.baseline,
    estimate: verdict.estimate ?? null,
    interval: verdict.interval ?? null,
    pValue: verdict.pValue ?? null
  }
}
