/**
 * The judge of canary analysis, in the manner of Kayenta's NetflixACAJudge: each metric is classified
 * on its own (a Mann-Whitney comparison of canary with baseline, or bounds on the canary's median),
 * then the weights of the metrics that did not fail make a score from 0 to 100 that the marginal and
 * pass thresholds turn into a decision. Pure: the samples come from whoever queried Prometheus.
 */
import type { MetricSpec } from './metrics-input.js'
import { mannWhitney, median, removeOutliers } from './mann-whitney.js'

/** A metric's outcome: no significant change, a change up or down, or too few samples. */
export type Classification = 'pass' | 'high' | 'low' | 'nodata'

/** One metric, judged. */
export interface MetricVerdict {
  readonly metric: string
  readonly classification: Classification
  /** Whether the classification counts against the canary (by direction, bounds or nodata: fail). */
  readonly failed: boolean
  readonly critical: boolean
  readonly weight: number
  /** One sentence saying why. */
  readonly reason: string
  /** The canary's samples that were judged (finite, outliers removed when asked). */
  readonly canary: { readonly count: number; readonly median?: number }
  readonly baseline: { readonly count: number; readonly median?: number }
  /** compare: Hodges-Lehmann estimate of the shift canary − baseline. */
  readonly estimate?: number
  /** compare: confidence interval of the shift. */
  readonly interval?: readonly [number, number]
  /** compare: two-sided p-value of "no shift". */
  readonly pValue?: number
}

/** The decision over all metrics. */
export interface Score {
  /** Weights of the counted metrics that did not fail, as a percentage of all counted; 0 if none. */
  readonly score: number
  readonly decision: 'pass' | 'fail' | 'inconclusive'
  /** One sentence naming the failing metrics, if any. */
  readonly reason: string
  readonly verdicts: readonly MetricVerdict[]
}

/** Fewer samples than this in either group and a comparison says nothing. */
export const MIN_SAMPLES = 3

/** Classifies one metric from its canary and baseline samples (baseline unused by a threshold). */
export function classify(
  metric: MetricSpec,
  canary: readonly number[],
  baseline: readonly number[]
): MetricVerdict {
  const prepare = (values: readonly number[]) => {
    const finite = values.filter(Number.isFinite)
    return metric.removeOutliers ? removeOutliers(finite) : finite
  }
  const c = prepare(canary)
  const b = prepare(baseline)
  return metric.kind === 'compare' ? compare(metric, c, b) : threshold(metric, c, b)
}

/** Scores the verdicts and decides: a failed critical metric fails whatever the score. */
export function score(
  verdicts: readonly MetricVerdict[],
  thresholds: { readonly marginal: number; readonly pass: number }
): Score {
  const counted = verdicts.filter((v) => v.classification !== 'nodata' || v.failed)
  const failed = counted.filter((v) => v.failed)
  const total = sum(counted.map((v) => v.weight))
  const good = sum(counted.filter((v) => !v.failed).map((v) => v.weight))
  const value = total > 0 ? (good / total) * 100 : 0
  const shown = `${round(value)}`
  const failing = failed.length ? `; failed: ${failed.map(describeFailure).join(', ')}` : ''
  const critical = failed.filter((v) => v.critical)
  if (critical.length > 0) {
    const names = critical.map((v) => v.metric).join(', ')
    const reason = `Critical metric ${names} failed (score ${shown}${failing}).`
    return { score: value, decision: 'fail', reason, verdicts }
  }
  if (counted.length === 0) {
    const reason = 'No metric had data to judge, so there is no score.'
    return { score: value, decision: 'inconclusive', reason, verdicts }
  }
  const { marginal, pass } = thresholds
  if (value < marginal) {
    const reason = `Score ${shown} is below the marginal threshold ${marginal}${failing}.`
    return { score: value, decision: 'fail', reason, verdicts }
  }
  if (value >= pass) {
    const reason = `Score ${shown} reaches the pass threshold ${pass}${failing}.`
    return { score: value, decision: 'pass', reason, verdicts }
  }
  const reason = `Score ${shown} lies between the marginal ${marginal} and pass ${pass} thresholds${failing}.`
  return { score: value, decision: 'inconclusive', reason, verdicts }
}

function compare(metric: MetricSpec, canary: number[], baseline: number[]): MetricVerdict {
  if (canary.length < MIN_SAMPLES || baseline.length < MIN_SAMPLES) {
    const reason = `fewer than ${MIN_SAMPLES} samples (canary ${canary.length}, baseline ${baseline.length})`
    return noData(metric, canary, baseline, reason)
  }
  const result = mannWhitney(canary, baseline, metric.confidence)
  const baselineMedian = median(baseline)
  const band = metric.tolerance * Math.abs(baselineMedian)
  const classification: Classification =
    result.lower > band ? 'high' : result.upper < -band ? 'low' : 'pass'
  const { direction } = metric
  const failed =
    (classification === 'high' && direction !== 'decrease') ||
    (classification === 'low' && direction !== 'increase')
  const level = `${round(metric.confidence * 100)} %`
  const shift = `[${round(result.lower)}, ${round(result.upper)}]`
  const within = `±${round(band)}`
  const reason =
    classification === 'pass'
      ? `the shift's ${level} interval ${shift} is not beyond the tolerance ${within}`
      : `the shift's ${level} interval ${shift} lies ${classification === 'high' ? 'above' : 'below'} the tolerance ${within}${failed ? '' : `, allowed by direction ${direction}`}`
  return {
    ...base(metric, canary, baseline),
    classification,
    failed,
    reason,
    estimate: result.estimate,
    interval: [result.lower, result.upper],
    pValue: result.pValue
  }
}

function threshold(metric: MetricSpec, canary: number[], baseline: number[]): MetricVerdict {
  if (canary.length === 0) return noData(metric, canary, baseline, 'no canary samples')
  const value = median(canary)
  const classification: Classification =
    metric.max !== undefined && value > metric.max
      ? 'high'
      : metric.min !== undefined && value < metric.min
        ? 'low'
        : 'pass'
  const bounds = [
    metric.min !== undefined ? `min ${metric.min}` : '',
    metric.max !== undefined ? `max ${metric.max}` : ''
  ].filter(Boolean)
  const verb = classification === 'pass' ? 'is within' : 'is outside'
  return {
    ...base(metric, canary, baseline),
    classification,
    failed: classification !== 'pass',
    reason: `the canary's median ${round(value)} ${verb} ${bounds.join(' and ')}`
  }
}

function noData(
  metric: MetricSpec,
  canary: number[],
  baseline: number[],
  why: string
): MetricVerdict {
  const failed = metric.nodata === 'fail'
  const reason = `${why}: ${failed ? 'fails (nodata: fail)' : 'left out of the score'}`
  return { ...base(metric, canary, baseline), classification: 'nodata', failed, reason }
}

function base(metric: MetricSpec, canary: number[], baseline: number[]) {
  const group = (values: number[]) =>
    values.length > 0 ? { count: values.length, median: median(values) } : { count: 0 }
  return {
    metric: metric.name,
    critical: metric.critical,
    weight: metric.weight,
    canary: group(canary),
    baseline: group(baseline)
  }
}

function describeFailure(verdict: MetricVerdict): string {
  return `${verdict.metric} (${verdict.classification})`
}

function sum(values: number[]): number {
  return values.reduce((total, v) => total + v, 0)
}

/** Up to four significant digits for messages; the verdicts keep the exact numbers. */
function round(value: number): string {
  return String(Number(value.toPrecision(4)))
}
