/**
 * The canary gate's analysis inputs: the `metrics` YAML (a list of PromQL queries, each judged by
 * comparing canary with baseline or by bounds on the canary), the canary and baseline selectors, the
 * score thresholds and the query window. `metrics` is read by yaml-input.ts, so that each problem
 * names its line and all problems are reported at once, in one InputError.
 */
import { isMap, isScalar, type Node } from 'yaml'
import { InputError } from '../../action/errors.js'
import { MAX_DURATION_MS, MAX_DURATION_TEXT, parseDuration } from '../../action/inputs.js'
import { parseYamlList, type Add } from '../yaml-input.js'

/** One metric of the analysis, parsed, with its defaults. */
export interface MetricSpec {
  /** Names the metric in logs, the report and the decision's reason. */
  readonly name: string
  /** PromQL; `{{selector}}` stands for the canary's or the baseline's label matchers. */
  readonly query: string
  /** compare: canary against baseline by Mann-Whitney; threshold: bounds on the canary's median. */
  readonly kind: 'compare' | 'threshold'
  /** compare: which change is bad. */
  readonly direction: 'increase' | 'decrease' | 'either'
  /** compare: the shift allowed, as a fraction of the baseline's median. */
  readonly tolerance: number
  /** compare: confidence level of the interval of the shift. */
  readonly confidence: number
  /** threshold: the lowest acceptable median of the canary. */
  readonly min?: number
  /** threshold: the highest acceptable median of the canary. */
  readonly max?: number
  /** The metric's share of the score. */
  readonly weight: number
  /** A failure fails the whole decision, whatever the score. */
  readonly critical: boolean
  /** Without data the metric is left out of the score (ignore) or fails (fail). */
  readonly nodata: 'ignore' | 'fail'
  /** Drops values outside the IQR fences (factor 3) before judging. */
  readonly removeOutliers: boolean
}

/** The placeholder in a query for a group's label matchers. */
export const SELECTOR = '{{selector}}'
/** Score thresholds when the inputs do not say (Kayenta's defaults). */
export const DEFAULT_THRESHOLDS = { marginal: 75, pass: 95 } as const

const KEYS = [
  'name',
  'query',
  'kind',
  'direction',
  'tolerance',
  'confidence',
  'min',
  'max',
  'weight',
  'critical',
  'nodata',
  'remove-outliers'
]
const COMPARE_ONLY = ['direction', 'tolerance', 'confidence']
const THRESHOLD_ONLY = ['min', 'max']

type Draft = { -readonly [K in keyof MetricSpec]?: MetricSpec[K] }

/** Parses the `metrics` YAML; one InputError naming the input, value, line and what is accepted. */
export function parseMetrics(text: string, input = 'metrics'): MetricSpec[] {
  const seen = new Set<string>()
  const expected = 'a YAML list of metrics, each a mapping with name and query'
  const metrics = parseYamlList(text, input, expected, (item, add) => {
    const metric = parseMetric(item, add)
    if (metric.name !== undefined && seen.has(metric.name))
      add(item, metric.name, 'a name not used by another metric')
    if (metric.name !== undefined) seen.add(metric.name)
    return metric
  })
  return metrics as MetricSpec[]
}

/** The metric's query for one group: `{{selector}}` replaced by that group's label matchers. */
export function queryFor(metric: MetricSpec, selector: string): string {
  return metric.query.replaceAll(SELECTOR, selector)
}

/** Label matchers such as `track="canary",app="web"` (braces optional); returned without braces. */
export function parseSelector(value: string, input: string): string {
  const text = value
    .trim()
    .replace(/^\{(.*)\}$/s, '$1')
    .trim()
  const matcher = String.raw`\s*[A-Za-z_][A-Za-z0-9_]*\s*(?:=~|!~|!=|=)\s*(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')\s*`
  if (!new RegExp(`^${matcher}(?:,${matcher})*,?$`).test(text)) {
    throw new InputError(input, value, 'Prometheus label matchers such as track="canary",app="web"')
  }
  return text.replace(/,\s*$/, '')
}

/** The score thresholds (0–100, marginal ≤ pass); an empty text takes the default. */
export function parseThresholds(
  marginal: string,
  pass: string,
  names = { marginal: 'marginal', pass: 'pass' }
): { marginal: number; pass: number } {
  const read = (name: string, value: string, fallback: number) => {
    if (value.trim() === '') return fallback
    const n = Number(value.trim())
    if (!Number.isFinite(n) || n < 0 || n > 100) {
      throw new InputError(name, value, 'a score from 0 to 100')
    }
    return n
  }
  const thresholds = {
    marginal: read(names.marginal, marginal, DEFAULT_THRESHOLDS.marginal),
    pass: read(names.pass, pass, DEFAULT_THRESHOLDS.pass)
  }
  if (thresholds.marginal > thresholds.pass) {
    throw new InputError(
      names.marginal,
      marginal,
      `a score no higher than ${names.pass} (${thresholds.pass})`
    )
  }
  return thresholds
}

/** The query window in milliseconds: the step between samples and the span, interval ≤ duration. */
export function parseWindow(
  interval: string,
  duration: string,
  names = { interval: 'interval', duration: 'duration' }
): { intervalMs: number; durationMs: number } {
  const read = (name: string, value: string) => {
    const ms = parseDuration(value.trim())
    if (ms === undefined || ms <= 0) {
      throw new InputError(name, value, 'a positive duration such as 30s, 10m or 1h30m')
    }
    if (ms > MAX_DURATION_MS) throw new InputError(name, value, `a duration ${MAX_DURATION_TEXT}`)
    return ms
  }
  const intervalMs = read(names.interval, interval)
  const durationMs = read(names.duration, duration)
  if (intervalMs > durationMs) {
    throw new InputError(
      names.interval,
      interval,
      `a duration no longer than ${names.duration} (${duration})`
    )
  }
  return { intervalMs, durationMs }
}

function parseMetric(item: Node, add: Add): Draft {
  const metric: Draft = {
    kind: 'compare',
    direction: 'increase',
    tolerance: 0,
    confidence: 0.95,
    weight: 1,
    critical: false,
    nodata: 'ignore',
    removeOutliers: false
  }
  if (!isMap(item)) {
    add(item, item?.toJSON(), 'a mapping with name and query')
    return metric
  }
  const keys = new Map<string, Node>()
  for (const pair of item.items) {
    const key = pair.key as Node
    const name = isScalar(key) ? String(key.value) : ''
    if (!KEYS.includes(name)) add(key, name, `one of the keys: ${KEYS.join(', ')}`)
    else keys.set(name, key)
  }
  for (const pair of item.items) {
    const name = isScalar(pair.key) ? String(pair.key.value) : ''
    if (KEYS.includes(name)) readField(metric, name, pair.value as Node | null, add)
  }
  for (const required of ['name', 'query']) {
    if (!keys.has(required)) add(item, `a metric without ${required}`, `a mapping with ${required}`)
  }
  checkKind(metric, keys, item, add)
  return metric
}

function checkKind(metric: Draft, keys: Map<string, Node>, item: Node, add: Add): void {
  const misplaced = metric.kind === 'compare' ? THRESHOLD_ONLY : COMPARE_ONLY
  for (const key of misplaced.filter((k) => keys.has(k))) {
    const other = metric.kind === 'compare' ? 'threshold' : 'compare'
    add(keys.get(key), key, `${key} only with kind: ${other}`)
  }
  if (metric.kind === 'compare' && metric.query !== undefined && !metric.query.includes(SELECTOR)) {
    add(
      keys.get('query'),
      metric.query,
      `a query with ${SELECTOR} for the canary's and the baseline's labels`
    )
  }
  if (metric.kind === 'threshold' && !keys.has('min') && !keys.has('max')) {
    add(item, 'a threshold metric without min or max', 'min, max or both with kind: threshold')
  }
  if (metric.min !== undefined && metric.max !== undefined && metric.min > metric.max) {
    add(keys.get('min'), metric.min, `a min no higher than max (${metric.max})`)
  }
}

function readField(metric: Draft, key: string, node: Node | null, add: Add): void {
  const value: unknown = isScalar(node) ? node.value : node?.toJSON()
  const number = (ok: (n: number) => boolean, accepted: string): number | undefined => {
    if (typeof value === 'number' && Number.isFinite(value) && ok(value)) return value
    add(node, value, `${key}: ${accepted}`)
    return undefined
  }
  const word = <T extends string>(words: readonly T[]): T | undefined => {
    if (words.includes(value as T)) return value as T
    add(node, value, `${key}: one of ${words.join(', ')}`)
    return undefined
  }
  const flag = (): boolean | undefined => {
    if (typeof value === 'boolean') return value
    add(node, value, `${key}: true or false`)
    return undefined
  }
  switch (key) {
    case 'name':
    case 'query':
      if (typeof value === 'string' && value.trim()) metric[key] = value.trim()
      else add(node, value, `${key}: text`)
      return
    case 'kind':
      metric.kind = word(['compare', 'threshold'] as const) ?? metric.kind
      return
    case 'direction':
      metric.direction = word(['increase', 'decrease', 'either'] as const) ?? metric.direction
      return
    case 'nodata':
      metric.nodata = word(['ignore', 'fail'] as const) ?? metric.nodata
      return
    case 'tolerance':
      metric.tolerance = number((n) => n >= 0, 'a fraction ≥ 0 such as 0.1 (10 %)')
      return
    case 'confidence':
      metric.confidence = number((n) => n > 0 && n < 1, 'a level between 0 and 1 such as 0.95')
      return
    case 'min':
    case 'max':
      metric[key] = number(() => true, 'a number')
      return
    case 'weight':
      metric.weight = number((n) => n > 0, 'a number > 0')
      return
    case 'critical':
      metric.critical = flag()
      return
    case 'remove-outliers':
      metric.removeOutliers = flag()
      return
  }
}
