import { describe, expect, it } from '@jest/globals'
import {
  decimal,
  metricRoundsMarkdown,
  type MetricRound
} from '../../src/gate/analysis/round-chart.js'

/** Rounds 1…n with the given canary and baseline values (one series each) and classification. */
function rounds(
  canary: readonly (number | undefined)[],
  baseline: readonly (number | undefined)[] = [],
  classification = 'pass'
): MetricRound[] {
  return canary.map((c, i) => ({
    round: i + 1,
    canary: c === undefined ? [] : [c],
    baseline: baseline[i] === undefined ? [] : [baseline[i] as number],
    classification
  }))
}

/** The lines of the first mermaid block. */
function mermaidLines(markdown: string): string[] {
  const block = /```mermaid\n([\s\S]*?)\n```/.exec(markdown)
  if (!block) throw new Error(`no mermaid block in:\n${markdown}`)
  return block[1].split('\n')
}

describe('metricRoundsMarkdown', () => {
  it('draws canary and baseline per round, then the per-round table', () => {
    const markdown = metricRoundsMarkdown({
      name: 'error-rate',
      compare: true,
      rounds: [
        { round: 1, canary: [0.02], baseline: [0.019], classification: 'nodata' },
        { round: 2, canary: [0.025, 0.015], baseline: [0.02], classification: 'nodata' },
        { round: 3, canary: [0.4], baseline: [0.021], classification: 'high ✗' }
      ]
    })
    expect(markdown).toBe(
      [
        '**error-rate**',
        '',
        '```mermaid',
        '%%{init: {"themeVariables": {"xyChart": {"plotColorPalette": "#e8590c, #1c7ed6"}}}}%%',
        'xychart-beta',
        '  title "error-rate"',
        '  x-axis "round" ["1", "2", "3"]',
        '  y-axis "value"',
        '  line "canary" [0.02, 0.02, 0.4]',
        '  line "baseline" [0.019, 0.02, 0.021]',
        '```',
        '',
        'Orange: canary, blue: baseline; per round, the mean of the series a query returned.',
        '',
        '| round | canary | baseline | after the round |',
        '| --- | --- | --- | --- |',
        '| 1 | 0.02 | 0.019 | nodata |',
        '| 2 | 0.02 | 0.02 | nodata |',
        '| 3 | 0.4 | 0.021 | high ✗ |'
      ].join('\n')
    )
  })

  it('draws a threshold metric as one line, with a range when every value is the same', () => {
    const markdown = metricRoundsMarkdown({
      name: 'error-ceiling',
      compare: false,
      bounds: { min: undefined, max: Infinity },
      rounds: rounds([0, 0, 0])
    })
    expect(mermaidLines(markdown)).toEqual([
      '%%{init: {"themeVariables": {"xyChart": {"plotColorPalette": "#e8590c"}}}}%%',
      'xychart-beta',
      '  title "error-ceiling"',
      '  x-axis "round" ["1", "2", "3"]',
      '  y-axis "value" -1 --> 1',
      '  line "canary" [0, 0, 0]'
    ])
    expect(markdown).toContain(
      '| round | canary | after the round |\n| --- | --- | --- |\n| 1 | 0 | pass |'
    )
    expect(markdown).toContain('Orange: canary; per round')
  })

  it("draws a threshold metric's bounds as grey flat lines", () => {
    const markdown = metricRoundsMarkdown({
      name: 'cpu',
      compare: false,
      bounds: { min: 0.05, max: 0.8 },
      rounds: rounds([0.5, 0.9])
    })
    expect(mermaidLines(markdown)).toEqual([
      '%%{init: {"themeVariables": {"xyChart": {"plotColorPalette": "#e8590c, #868e96, #868e96"}}}}%%',
      'xychart-beta',
      '  title "cpu"',
      '  x-axis "round" ["1", "2"]',
      '  y-axis "value"',
      '  line "canary" [0.5, 0.9]',
      '  line "min 0.05" [0.05, 0.05]',
      '  line "max 0.8" [0.8, 0.8]'
    ])
    expect(markdown).toContain(
      'Orange: canary, grey: min 0.05, grey: max 0.8; per round, the mean of the series a query returned.'
    )
  })

  it('leaves out rounds without a finite value for every line, and says which', () => {
    const markdown = metricRoundsMarkdown({
      name: 'latency',
      compare: true,
      rounds: rounds([0.07, NaN, 0.071, Infinity, 0.07], [0.07, 0.07, undefined, 0.07, 0.069])
    })
    const lines = mermaidLines(markdown)
    expect(lines).toContain('  x-axis "round" ["1", "5"]')
    expect(lines).toContain('  line "canary" [0.07, 0.07]')
    expect(lines).toContain('  line "baseline" [0.07, 0.069]')
    expect(markdown).toContain('Left out for want of a value: rounds 2, 3, 4.')
    expect(markdown).toContain('| 2 | — | 0.07 | pass |')
    expect(markdown).toContain('| 3 | 0.071 | — | pass |')
    expect(markdown).not.toMatch(/NaN|Infinity/)
  })

  it('says when canary and baseline coincide, so that the canary does not seem missing', () => {
    const same = metricRoundsMarkdown({ name: 'm', compare: true, rounds: rounds([1, 2], [1, 2]) })
    expect(same).toContain('The lines coincide: the canary drew the same values as the baseline.')
    const apart = metricRoundsMarkdown({ name: 'm', compare: true, rounds: rounds([1, 2], [1, 3]) })
    expect(apart).not.toContain('coincide')
  })

  it.each([
    ['no value at all', rounds([undefined, NaN], [1, 1]), 'No chart: 0 of 2 rounds'],
    ['one round', rounds([1], [1]), 'No chart: 1 of 1 rounds'],
    ['one round with both values', rounds([1, 2], [undefined, 2]), 'No chart: 1 of 2 rounds']
  ])(
    'has no chart with fewer than two points (%s), only a note and the table',
    (_, given, note) => {
      const markdown = metricRoundsMarkdown({ name: 'm', compare: true, rounds: given })
      expect(markdown).not.toContain('```mermaid')
      expect(markdown).toContain(
        `${note} had a value for both canary and baseline, and a line needs two.`
      )
      expect(markdown).toContain('| round | canary | baseline | after the round |')
    }
  )

  it('says when no round completed', () => {
    expect(metricRoundsMarkdown({ name: 'm', compare: false, rounds: [] })).toBe(
      '**m**\n\nNo round completed.'
    )
  })

  it('averages a long analysis into at most maxPoints points, in the chart and the table', () => {
    const canary = Array.from({ length: 125 }, (_, i) => i + 1)
    const markdown = metricRoundsMarkdown(
      { name: 'm', compare: false, rounds: rounds(canary, [], 'pass') },
      60
    )
    const lines = mermaidLines(markdown)
    const labels = /x-axis "round" \[(.*)\]/.exec(lines.join('\n'))?.[1].split(', ') ?? []
    // 125 rounds, 3 to a point: 42 points, the last of two rounds
    expect(labels).toHaveLength(42)
    expect(labels.slice(0, 2)).toEqual(['"1-3"', '"4-6"'])
    expect(labels.at(-1)).toBe('"124-125"')
    expect(lines.at(-1)).toMatch(/^ {2}line "canary" \[2, 5, 8, .*, 122, 124\.5\]$/)
    expect(markdown).toContain('125 rounds, averaged 3 to a point.')
    expect(markdown).toContain('| 124-125 | 124.5 | pass |')
    expect(markdown.split('\n').filter((l) => /^\| \d/.test(l))).toHaveLength(42)
  })

  it('keeps quotes and line breaks of a metric name out of Mermaid strings and Markdown', () => {
    const markdown = metricRoundsMarkdown({
      name: 'p99 "slow"\n*path*#x;',
      compare: false,
      rounds: rounds([1, 2])
    })
    expect(mermaidLines(markdown)).toContain(`  title "p99 'slow' *path* x "`)
    expect(markdown.split('\n')[0]).toBe('**p99 "slow" \\*path\\*#x;**')
  })
})

describe('decimal', () => {
  it.each([
    [0, '0'],
    [-0, '0'],
    [0.02, '0.02'],
    [0.0000123456, '0.00001235'],
    [1e-30, '0'],
    [-1e-30, '0'],
    [0.5, '0.5'],
    [100, '100'],
    [1234.5, '1235'],
    [-42.125, '-42.13'],
    [123456789, '123456789'],
    [1e22, '10000000000000000000000']
  ])('writes %p as %p, as Mermaid reads numbers', (value, text) => {
    expect(decimal(value)).toBe(text)
    expect(text).toMatch(/^-?\d+(\.\d+)?$/)
  })

  it.each([NaN, Infinity, -Infinity])('refuses %p', (value) => {
    expect(() => decimal(value)).toThrow(RangeError)
  })
})
