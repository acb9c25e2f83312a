import { describe, expect, it } from '@jest/globals'
import { InputError } from '../../src/action/errors.js'
import {
  parseMetrics,
  parseSelector,
  parseThresholds,
  parseWindow,
  queryFor
} from '../../src/gate/analysis/metrics-input.js'

const ERROR_RATE =
  'sum(rate(http_requests_total{status=~"5..",{{selector}}}[30s])) / sum(rate(http_requests_total{{{selector}}}[30s]))'

describe('parseMetrics', () => {
  it('reads compare and threshold metrics with their defaults', () => {
    const metrics = parseMetrics(
      [
        '- name: error-rate',
        `  query: '${ERROR_RATE}'`,
        '  kind: compare',
        '  direction: either',
        '  tolerance: 0.1',
        '  confidence: 0.9',
        '  weight: 2',
        '  critical: true',
        '  nodata: fail',
        '  remove-outliers: true',
        '- name: latency',
        '  query: histogram_quantile(0.99, rate(latency_bucket{ {{selector}} }[1m]))',
        '- name: saturation',
        '  query: max(cpu_usage{track="canary"})',
        '  kind: threshold',
        '  min: 0',
        '  max: 0.8'
      ].join('\n')
    )
    expect(metrics).toEqual([
      {
        name: 'error-rate',
        query: ERROR_RATE,
        kind: 'compare',
        direction: 'either',
        tolerance: 0.1,
        confidence: 0.9,
        weight: 2,
        critical: true,
        nodata: 'fail',
        removeOutliers: true
      },
      {
        name: 'latency',
        query: 'histogram_quantile(0.99, rate(latency_bucket{ {{selector}} }[1m]))',
        kind: 'compare',
        direction: 'increase',
        tolerance: 0,
        confidence: 0.95,
        weight: 1,
        critical: false,
        nodata: 'ignore',
        removeOutliers: false
      },
      {
        name: 'saturation',
        query: 'max(cpu_usage{track="canary"})',
        kind: 'threshold',
        direction: 'increase',
        tolerance: 0,
        confidence: 0.95,
        min: 0,
        max: 0.8,
        weight: 1,
        critical: false,
        nodata: 'ignore',
        removeOutliers: false
      }
    ])
  })

  const Q = '  query: up{ {{selector}} }'
  it.each([
    [
      'YAML syntax',
      '- name: a\n  query: [unclosed',
      /^Input 'metrics' is 'query: \[unclosed'; expected valid YAML \(.*\) \(line 2\)$/
    ],
    [
      'a mapping instead of a list',
      'name: a',
      /^Input 'metrics' is 'name: a'; expected a YAML list of metrics, each a mapping with name and query \(line 1\)$/
    ],
    ['an empty list', '[]', /expected a YAML list of metrics/],
    [
      'a scalar item',
      '- error-rate',
      /^Input 'metrics' is 'error-rate'; expected a mapping with name and query \(line 1\)$/
    ],
    [
      'an unknown key',
      `- name: a\n${Q}\n  wieght: 2`,
      /^Input 'metrics' is 'wieght'; expected one of the keys: name, query, .* \(line 3\)$/
    ],
    [
      'a missing query',
      '- name: a',
      /is 'a metric without query'; expected a mapping with query \(line 1\)$/
    ],
    [
      'a missing name',
      `- kind: compare\n${Q}`,
      /is 'a metric without name'; expected a mapping with name \(line 1\)$/
    ],
    [
      'a compare query without the selector',
      '- name: a\n  query: up',
      /is 'up'; expected a query with \{\{selector\}\} for the canary's and the baseline's labels \(line 2\)$/
    ],
    [
      'an unknown kind',
      `- name: a\n${Q}\n  kind: ratio`,
      /is 'ratio'; expected kind: one of compare, threshold \(line 3\)$/
    ],
    [
      'an unknown direction',
      `- name: a\n${Q}\n  direction: up`,
      /is 'up'; expected direction: one of increase, decrease, either \(line 3\)$/
    ],
    [
      'a negative tolerance',
      `- name: a\n${Q}\n  tolerance: -0.1`,
      /is '-0.1'; expected tolerance: a fraction ≥ 0 .* \(line 3\)$/
    ],
    [
      'a percentage confidence',
      `- name: a\n${Q}\n  confidence: 95`,
      /is '95'; expected confidence: a level between 0 and 1 .* \(line 3\)$/
    ],
    [
      'a zero weight',
      `- name: a\n${Q}\n  weight: 0`,
      /is '0'; expected weight: a number > 0 \(line 3\)$/
    ],
    [
      'a textual weight',
      `- name: a\n${Q}\n  weight: heavy`,
      /is 'heavy'; expected weight: a number > 0 \(line 3\)$/
    ],
    [
      'a critical word',
      `- name: a\n${Q}\n  critical: yes`,
      /is 'yes'; expected critical: true or false \(line 3\)$/
    ],
    [
      'an unknown nodata',
      `- name: a\n${Q}\n  nodata: pass`,
      /is 'pass'; expected nodata: one of ignore, fail \(line 3\)$/
    ],
    [
      'bounds on a compare',
      `- name: a\n${Q}\n  max: 1`,
      /is 'max'; expected max only with kind: threshold \(line 3\)$/
    ],
    [
      'a direction on a threshold',
      '- name: a\n  query: up\n  kind: threshold\n  max: 1\n  direction: decrease',
      /is 'direction'; expected direction only with kind: compare \(line 5\)$/
    ],
    [
      'a threshold without bounds',
      '- name: a\n  query: up\n  kind: threshold',
      /is 'a threshold metric without min or max'; expected min, max or both with kind: threshold \(line 1\)$/
    ],
    [
      'min above max',
      '- name: a\n  query: up\n  kind: threshold\n  min: 2\n  max: 1',
      /is '2'; expected a min no higher than max \(1\) \(line 4\)$/
    ],
    [
      'a name used twice',
      `- name: a\n${Q}\n- name: a\n${Q}`,
      /is 'a'; expected a name not used by another metric \(line 3\)$/
    ]
  ])('refuses %s', (_case, text, message) => {
    expect(() => parseMetrics(text)).toThrow(InputError)
    expect(() => parseMetrics(text)).toThrow(message)
  })

  it('reports every problem at once, naming the input given', () => {
    const text = '- name: a\n  query: up\n- name: b\n  query: up{ {{selector}} }\n  weight: -1'
    expect(() => parseMetrics(text, 'analysis-metrics')).toThrow(
      "Input 'analysis-metrics' is 'up'; expected a query with {{selector}} for the canary's and the baseline's labels (line 2)\n" +
        "  line 5: '-1'; expected weight: a number > 0"
    )
  })
})

describe('queryFor', () => {
  it('puts the selector where the query says, inside braces of its own or beside other matchers', () => {
    const [metric] = parseMetrics(`- name: error-rate\n  query: '${ERROR_RATE}'`)
    expect(queryFor(metric, 'track="canary",app="web"')).toBe(
      'sum(rate(http_requests_total{status=~"5..",track="canary",app="web"}[30s])) / sum(rate(http_requests_total{track="canary",app="web"}[30s]))'
    )
  })
})

describe('parseSelector', () => {
  it.each([
    ['track="canary",app="web"', 'track="canary",app="web"'],
    ['{track="canary", app=~"web|api"}', 'track="canary", app=~"web|api"'],
    [`track!='stable',pod!~"x-.*",`, `track!='stable',pod!~"x-.*"`],
    ['  version="1\\"2"  ', 'version="1\\"2"']
  ])('accepts %p as %p', (value, expected) => {
    expect(parseSelector(value, 'canary-selector')).toBe(expected)
  })

  it.each([
    '',
    'track=canary',
    'track="canary" app="web"',
    '1track="x"',
    'track=="x"',
    '{track="x"'
  ])('refuses %p', (value) => {
    expect(() => parseSelector(value, 'canary-selector')).toThrow(
      `Input 'canary-selector' is '${value}'; expected Prometheus label matchers such as track="canary",app="web"`
    )
  })
})

describe('parseThresholds', () => {
  it.each([
    ['', '', { marginal: 75, pass: 95 }],
    ['50', '90', { marginal: 50, pass: 90 }],
    ['0', '100', { marginal: 0, pass: 100 }],
    ['80', '80', { marginal: 80, pass: 80 }],
    ['62.5', '', { marginal: 62.5, pass: 95 }]
  ])('reads marginal %p and pass %p', (marginal, pass, expected) => {
    expect(parseThresholds(marginal, pass)).toEqual(expected)
  })

  it.each([
    ['-1', '90', "Input 'marginal' is '-1'; expected a score from 0 to 100"],
    ['50', '101', "Input 'pass' is '101'; expected a score from 0 to 100"],
    ['half', '90', "Input 'marginal' is 'half'; expected a score from 0 to 100"],
    ['96', '', "Input 'marginal' is '96'; expected a score no higher than pass (95)"],
    ['90', '80', "Input 'marginal' is '90'; expected a score no higher than pass (80)"]
  ])('refuses marginal %p with pass %p', (marginal, pass, message) => {
    expect(() => parseThresholds(marginal, pass)).toThrow(message)
  })
})

describe('parseWindow', () => {
  it.each([
    ['30s', '10m', { intervalMs: 30_000, durationMs: 600_000 }],
    ['1m', '1m', { intervalMs: 60_000, durationMs: 60_000 }],
    ['15', '1h30m', { intervalMs: 15_000, durationMs: 5_400_000 }]
  ])('reads interval %p and duration %p', (interval, duration, expected) => {
    expect(parseWindow(interval, duration)).toEqual(expected)
  })

  it.each([
    [
      'soon',
      '10m',
      "Input 'interval' is 'soon'; expected a positive duration such as 30s, 10m or 1h30m"
    ],
    [
      '30s',
      '0s',
      "Input 'duration' is '0s'; expected a positive duration such as 30s, 10m or 1h30m"
    ],
    ['', '10m', "Input 'interval' is ''; expected a positive duration"],
    ['10m', '5m', "Input 'interval' is '10m'; expected a duration no longer than duration (5m)"]
  ])('refuses interval %p with duration %p', (interval, duration, message) => {
    expect(() => parseWindow(interval, duration)).toThrow(message)
  })
})
