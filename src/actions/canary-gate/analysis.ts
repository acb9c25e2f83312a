import * as core from '@actions/core'
import type { Decision } from '../../evidence/index.js'
import {
  classify,
  metricRoundsMarkdown,
  MIN_SAMPLES,
  queryFor,
  sample,
  score,
  type MetricVerdict,
  type Sample,
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
  // each metric's classification after each round, for the summary's per-round table
  const judged = new Map(inputs.metrics.map((metric) => [metric.name, [] as string[]]))
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
      for (const v of now.verdicts) {
        judged.get(v.metric)?.push(`${v.classification}${v.failed ? ' ✗' : ''}`)
      }
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
    notes: result.rounds === 0 ? [] : roundNotes(inputs, result.byRound, judged)
  }
}

/** Per metric, a chart of canary and baseline over the rounds and the per-round table. */
function roundNotes(
  inputs: AnalysisInputs,
  byRound: ReadonlyMap<string, readonly Sample[]>,
  judged: ReadonlyMap<string, readonly string[]>
): string[] {
  return inputs.metrics.map((metric) =>
    metricRoundsMarkdown({
      name: metric.name,
      compare: metric.kind === 'compare',
      bounds: { min: metric.min, max: metric.max },
      rounds: (byRound.get(metric.name) ?? []).map((s, i) => ({
        round: i + 1,
        canary: s.canary,
        baseline: s.baseline,
        classification: judged.get(metric.name)?.[i] ?? ''
      }))
    })
  )
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
