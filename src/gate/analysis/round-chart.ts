/**
 * The job summary's picture of one metric over an analysis: a Mermaid `xychart-beta` of the canary
 * (and the baseline) per round, which GitHub renders in job summaries, followed by the per-round
 * table of values and the metric's classification after each round. Pure: Markdown from numbers.
 *
 * Mermaid's xychart grammar takes only plain decimals in `line [..]` (no exponent, no NaN or
 * Infinity: https://github.com/mermaid-js/mermaid/blob/develop/packages/mermaid/src/diagrams/xychart/parser/xychart.jison),
 * and a line has no gaps. So a round's point is the mean of the finite values its query returned (one
 * per series), a round without one for every line is left out of the chart (and said so below it),
 * and with fewer than two points there is no chart, only a note. Past `maxPoints` rounds, consecutive
 * rounds are averaged into at most that many points, in the chart and the table alike, so that a
 * long analysis stays readable. A threshold metric's bounds are flat lines. xychart has no legend:
 * the colours are set, and named under the chart.
 */

/** One round of one metric, as sampled and judged. */
export interface MetricRound {
  /** 1-based. */
  readonly round: number
  /** What the canary's query returned this round, one value per series (none: no data). */
  readonly canary: readonly number[]
  /** What the baseline's query returned; empty for a threshold metric. */
  readonly baseline: readonly number[]
  /** The metric's classification judged on all rounds up to this one. */
  readonly classification: string
}

/** A metric's rounds, to draw. */
export interface MetricRounds {
  readonly name: string
  /** Whether the baseline is drawn too (a compare metric). */
  readonly compare: boolean
  /** A threshold metric's bounds on the canary, drawn as flat lines. */
  readonly bounds?: { readonly min?: number; readonly max?: number }
  readonly rounds: readonly MetricRound[]
}

/** The most points a chart (and rows the table) shows; more rounds are averaged into this many. */
export const MAX_POINTS = 60

/** Canary orange, baseline blue, bounds grey: readable on GitHub's light and dark themes. */
const COLOURS = {
  canary: ['orange', '#e8590c'],
  baseline: ['blue', '#1c7ed6'],
  bound: ['grey', '#868e96']
} as const

/** A point of the chart and a row of the table: one round, or several averaged. */
interface Point {
  readonly label: string
  readonly canary?: number
  readonly baseline?: number
  readonly classification: string
}

/** A line of the chart, with its colour's name and value. */
interface Series {
  readonly name: string
  readonly colour: readonly [string, string]
  readonly values: readonly number[]
}

/** Markdown for one metric: its chart (or why there is none), then the per-round table. */
export function metricRoundsMarkdown(metric: MetricRounds, maxPoints = MAX_POINTS): string {
  const heading = `**${escapeMarkdown(metric.name)}**`
  if (metric.rounds.length === 0) return `${heading}\n\nNo round completed.`
  const max = Math.max(2, Math.floor(maxPoints))
  const points = pointsOf(metric.rounds, max)
  const averaged = points.length < metric.rounds.length
  const unit = averaged ? 'points' : 'rounds'
  const drawn = points.filter(
    (p) => p.canary !== undefined && (!metric.compare || p.baseline !== undefined)
  )
  if (drawn.length < 2) {
    const groups = metric.compare ? 'both canary and baseline' : 'the canary'
    const note = `No chart: ${drawn.length} of ${points.length} ${unit} had a value for ${groups}, and a line needs two.`
    return [heading, note, table(metric.compare, points)].join('\n\n')
  }
  const series = seriesOf(metric, drawn)
  const legend = series.map((l) => `${l.colour[0]}: ${l.name}`).join(', ')
  const notes = [`${capitalised(legend)}; per round, the mean of the series a query returned.`]
  if (averaged) {
    notes.push(
      `${metric.rounds.length} rounds, averaged ${Math.ceil(metric.rounds.length / max)} to a point.`
    )
  }
  const missing = points.filter((p) => !drawn.includes(p)).map((p) => p.label)
  if (missing.length > 0) notes.push(`Left out for want of a value: ${unit} ${missing.join(', ')}.`)
  if (metric.compare && drawn.every((p) => decimal(p.canary!) === decimal(p.baseline!))) {
    // the baseline is drawn over the canary, which would seem to be missing
    notes.push('The lines coincide: the canary drew the same values as the baseline.')
  }
  return [
    heading,
    chart(metric.name, drawn, series),
    notes.join(' '),
    table(metric.compare, points)
  ].join('\n\n')
}

/** The lines: the canary, then the baseline or the finite bounds. */
function seriesOf(metric: MetricRounds, points: readonly Point[]): Series[] {
  const flat = (value: number) => points.map(() => value)
  const series: Series[] = [
    { name: 'canary', colour: COLOURS.canary, values: points.map((p) => p.canary as number) }
  ]
  if (metric.compare) {
    const values = points.map((p) => p.baseline as number)
    series.push({ name: 'baseline', colour: COLOURS.baseline, values })
  }
  for (const side of ['min', 'max'] as const) {
    const bound = metric.compare ? undefined : metric.bounds?.[side]
    if (bound !== undefined && Number.isFinite(bound)) {
      series.push({ name: `${side} ${decimal(bound)}`, colour: COLOURS.bound, values: flat(bound) })
    }
  }
  return series
}

/** The Mermaid block. */
function chart(name: string, points: readonly Point[], series: readonly Series[]): string {
  const palette = series.map((l) => l.colour[1]).join(', ')
  return [
    '```mermaid',
    `%%{init: {"themeVariables": {"xyChart": {"plotColorPalette": "${palette}"}}}}%%`,
    'xychart-beta',
    `  title "${quoted(name)}"`,
    `  x-axis "round" [${points.map((p) => `"${p.label}"`).join(', ')}]`,
    `  y-axis "value"${yRange(series.flatMap((l) => l.values))}`,
    ...series.map((l) => `  line "${l.name}" [${l.values.map(decimal).join(', ')}]`),
    '```'
  ].join('\n')
}

function capitalised(word: string): string {
  return `${word[0].toUpperCase()}${word.slice(1)}`
}

/**
 * An explicit range when every value is the same (an error rate of 0 throughout), where Mermaid's
 * automatic range would be empty; Mermaid picks the range otherwise.
 */
function yRange(values: readonly number[]): string {
  const low = Math.min(...values)
  const high = Math.max(...values)
  if (low !== high) return ''
  const pad = Math.abs(low) || 1
  return ` ${decimal(low - pad)} --> ${decimal(high + pad)}`
}

/** The per-round table: the values drawn, `—` where there were none. */
function table(compare: boolean, points: readonly Point[]): string {
  const value = (v: number | undefined): string => (v === undefined ? '—' : decimal(v))
  const header = compare
    ? ['| round | canary | baseline | after the round |', '| --- | --- | --- | --- |']
    : ['| round | canary | after the round |', '| --- | --- | --- |']
  const rows = points.map((p) =>
    compare
      ? `| ${p.label} | ${value(p.canary)} | ${value(p.baseline)} | ${p.classification} |`
      : `| ${p.label} | ${value(p.canary)} | ${p.classification} |`
  )
  return [...header, ...rows].join('\n')
}

/** Rounds as points: one each, or consecutive rounds averaged so that there are at most `max`. */
function pointsOf(rounds: readonly MetricRound[], max: number): Point[] {
  const size = Math.max(1, Math.ceil(rounds.length / max))
  const points: Point[] = []
  for (let i = 0; i < rounds.length; i += size) {
    const group = rounds.slice(i, i + size)
    const first = group[0].round
    const last = group[group.length - 1].round
    points.push({
      label: first === last ? `${first}` : `${first}-${last}`,
      canary: mean(group.map((r) => mean(r.canary))),
      baseline: mean(group.map((r) => mean(r.baseline))),
      classification: group[group.length - 1].classification
    })
  }
  return points
}

/** The mean of the finite values; undefined when there are none. */
function mean(values: readonly (number | undefined)[]): number | undefined {
  const finite = values.filter((v): v is number => v !== undefined && Number.isFinite(v))
  if (finite.length === 0) return undefined
  return finite.reduce((sum, v) => sum + v, 0) / finite.length
}

/**
 * A finite number as Mermaid's grammar reads it, `[+-]?\d+(\.\d+)?`, to four significant digits:
 * no exponent (0.00001234, not 1.234e-5), no `-0`. Tiny values round to 0.
 */
export function decimal(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`${value} cannot be drawn`)
  if (value === 0) return '0'
  if (Math.abs(value) >= 1e21) return BigInt(Math.round(value)).toString()
  const digits = Math.min(20, Math.max(0, 3 - Math.floor(Math.log10(Math.abs(value)))))
  const text = value
    .toFixed(digits)
    .replace(/(\.\d*?)0+$/, '$1')
    .replace(/\.$/, '')
  return text === '-0' ? '0' : text
}

/**
 * Text for a quoted Mermaid string, which ends at the next `"` and at a line's end, and in which
 * Mermaid reads `#…;` as an entity (`#x;` became `ﬂ°x¶ßy` in a title).
 */
function quoted(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/"/g, "'")
    .replace(/[#;]/g, ' ')
}

/** A metric's name as Markdown text on one line: no HTML, no emphasis or code from its characters. */
function escapeMarkdown(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').replace(/[\\`*_[\]<>&|]/g, (c) => `\\${c}`)
}
