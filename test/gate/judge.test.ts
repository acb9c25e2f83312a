import { describe, expect, it } from '@jest/globals'
import type { MetricSpec } from '../../src/gate/analysis/metrics-input.js'
import { classify, score, type MetricVerdict } from '../../src/gate/analysis/judge.js'

const COMPARE: MetricSpec = {
  name: 'error-rate',
  query: 'rate(errors{ {{selector}} }[30s])',
  kind: 'compare',
  direction: 'increase',
  tolerance: 0,
  confidence: 0.95,
  weight: 1,
  critical: false,
  nodata: 'ignore',
  removeOutliers: false
}
const THRESHOLD: MetricSpec = { ...COMPARE, name: 'cpu', kind: 'threshold', max: 0.8 }

/** Seeded normal samples (mulberry32 and Box-Muller), so every run sees the same data. */
function normal(seed: number, count: number, mean: number, sd: number): number[] {
  let state = seed >>> 0
  const uniform = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return Array.from({ length: count }, () => {
    const r = Math.sqrt(-2 * Math.log(1 - uniform()))
    return mean + sd * r * Math.cos(2 * Math.PI * uniform())
  })
}

describe('classify (compare)', () => {
  const baseline = normal(1, 40, 0.01, 0.002)

  it('fails a canary with ten times the baseline error rate as high', () => {
    const v = classify(COMPARE, normal(2, 40, 0.1, 0.02), baseline)
    expect(v).toMatchObject({ metric: 'error-rate', classification: 'high', failed: true })
    expect(v.interval?.[0]).toBeGreaterThan(0.07)
    expect(v.estimate).toBeCloseTo(0.09, 2)
    expect(v.pValue).toBeLessThan(1e-10)
    expect(v.canary.count).toBe(40)
    expect(v.canary.median).toBeCloseTo(0.1, 1)
    expect(v.reason).toMatch(/^the shift's 95 % interval \[.*\] lies above the tolerance ±0$/)
  })

  it.each([3, 4, 5, 6])('passes a canary drawn like the baseline (seed %p)', (seed) => {
    const v = classify(
      COMPARE,
      normal(seed * 100, 40, 0.01, 0.002),
      normal(seed * 100 + 1, 40, 0.01, 0.002)
    )
    expect(v).toMatchObject({ classification: 'pass', failed: false })
    expect(v.interval?.[0]).toBeLessThanOrEqual(0)
    expect(v.interval?.[1]).toBeGreaterThanOrEqual(0)
  })

  it('passes a significant shift within the tolerance, and flags it without one', () => {
    const latency = normal(7, 60, 100, 2)
    const slower = normal(8, 60, 105, 2)
    const tolerant = classify({ ...COMPARE, tolerance: 0.1 }, slower, latency)
    expect(tolerant).toMatchObject({ classification: 'pass', failed: false })
    expect(tolerant.pValue).toBeLessThan(1e-6)
    expect(tolerant.reason).toMatch(/is not beyond the tolerance ±10(\.\d+)?$/)
    expect(classify(COMPARE, slower, latency)).toMatchObject({
      classification: 'high',
      failed: true
    })
  })

  it.each([
    ['decrease', 'low', true],
    ['either', 'low', true],
    ['increase', 'low', false]
  ] as const)(
    'with direction %s, a fall in throughput is %s and failed is %p',
    (direction, cls, failed) => {
      const v = classify({ ...COMPARE, direction }, normal(9, 30, 50, 5), normal(10, 30, 100, 5))
      expect(v).toMatchObject({ classification: cls, failed })
    }
  )

  it('lets a rise pass with direction decrease, saying why', () => {
    const v = classify(
      { ...COMPARE, direction: 'decrease' },
      normal(11, 30, 200, 5),
      normal(12, 30, 100, 5)
    )
    expect(v).toMatchObject({ classification: 'high', failed: false })
    expect(v.reason).toMatch(/lies above the tolerance ±0, allowed by direction decrease$/)
  })

  it('drops NaN and Infinity samples before counting', () => {
    const v = classify(
      COMPARE,
      [0.01, NaN, 0.012, Infinity, 0.011, -Infinity],
      [0.01, 0.011, 0.012, NaN]
    )
    expect(v.canary).toEqual({ count: 3, median: 0.011 })
    expect(v.baseline).toEqual({ count: 3, median: 0.011 })
    expect(v.classification).toBe('pass')
  })

  it.each([
    ['ignore', false, 'fewer than 3 samples (canary 2, baseline 5): left out of the score'],
    ['fail', true, 'fewer than 3 samples (canary 2, baseline 5): fails (nodata: fail)']
  ] as const)(
    'with nodata %s, too few samples are nodata and failed is %p',
    (nodata, failed, reason) => {
      const v = classify({ ...COMPARE, nodata }, [1, NaN, 2], [1, 2, 3, 4, 5])
      expect(v).toEqual({
        metric: 'error-rate',
        classification: 'nodata',
        failed,
        critical: false,
        weight: 1,
        reason,
        canary: { count: 2, median: 1.5 },
        baseline: { count: 5, median: 3 }
      })
    }
  )

  it('removes outliers when asked, before judging', () => {
    const canary = [...normal(13, 30, 100, 2), 10_000]
    const plain = classify(COMPARE, canary, normal(14, 30, 100, 2))
    const cleaned = classify({ ...COMPARE, removeOutliers: true }, canary, normal(14, 30, 100, 2))
    expect([plain.canary.count, cleaned.canary.count]).toEqual([31, 30])
  })

  it('passes identical all-zero samples', () => {
    const v = classify(COMPARE, [0, 0, 0, 0], [0, 0, 0, 0])
    expect(v).toMatchObject({ classification: 'pass', failed: false, interval: [0, 0], pValue: 1 })
  })
})

describe('classify (threshold)', () => {
  it.each([
    [{ max: 0.8 }, [0.5, 0.9, 0.95], 'high', true, "the canary's median 0.9 is outside max 0.8"],
    [{ max: 0.8 }, [0.5, 0.6, 0.99], 'pass', false, "the canary's median 0.6 is within max 0.8"],
    [
      { min: 10, max: undefined },
      [5, 8, 20],
      'low',
      true,
      "the canary's median 8 is outside min 10"
    ],
    [
      { min: 1, max: 2 },
      [1.5, NaN],
      'pass',
      false,
      "the canary's median 1.5 is within min 1 and max 2"
    ]
  ])('bounds %p on %p give %s', (bounds, canary, cls, failed, reason) => {
    const v = classify({ ...THRESHOLD, ...bounds }, canary, [])
    expect(v).toMatchObject({ metric: 'cpu', classification: cls, failed, reason })
    expect(v.interval).toBeUndefined()
  })

  it('is nodata without canary samples', () => {
    const v = classify({ ...THRESHOLD, nodata: 'fail' }, [NaN], [])
    expect(v).toMatchObject({ classification: 'nodata', failed: true, canary: { count: 0 } })
  })
})

function verdict(
  metric: string,
  classification: MetricVerdict['classification'],
  failed: boolean,
  extra: Partial<MetricVerdict> = {}
): MetricVerdict {
  return {
    metric,
    classification,
    failed,
    critical: false,
    weight: 1,
    reason: '',
    canary: { count: 10 },
    baseline: { count: 10 },
    ...extra
  }
}

describe('score', () => {
  const thresholds = { marginal: 50, pass: 75 }
  const passing = (n: number) =>
    Array.from({ length: n }, (_, i) => verdict(`ok-${i}`, 'pass', false))

  it.each([
    ['all pass', passing(4), 100, 'pass'],
    ['exactly the pass threshold', [...passing(3), verdict('e', 'high', true)], 75, 'pass'],
    [
      'between the thresholds',
      [...passing(2), verdict('e', 'high', true)],
      (2 / 3) * 100,
      'inconclusive'
    ],
    [
      'exactly the marginal threshold',
      [...passing(1), verdict('e', 'high', true)],
      50,
      'inconclusive'
    ],
    [
      'below the marginal threshold',
      [...passing(1), verdict('e', 'high', true), verdict('f', 'low', true)],
      100 / 3,
      'fail'
    ],
    [
      'weights',
      [verdict('a', 'pass', false, { weight: 3 }), verdict('e', 'high', true)],
      75,
      'pass'
    ],
    ['a high that is no failure', [...passing(1), verdict('h', 'high', false)], 100, 'pass'],
    ['nodata left out', [...passing(1), verdict('n', 'nodata', false, { weight: 9 })], 100, 'pass'],
    ['nodata failing', [...passing(1), verdict('n', 'nodata', true, { weight: 3 })], 25, 'fail'],
    ['nothing counted', [verdict('n', 'nodata', false)], 0, 'inconclusive'],
    ['no metrics', [], 0, 'inconclusive']
  ] as const)('%s', (_case, verdicts, expected, decision) => {
    const result = score(verdicts, thresholds)
    expect(result.score).toBeCloseTo(expected, 10)
    expect(result.decision).toBe(decision)
    expect(result.verdicts).toBe(verdicts)
  })

  it('fails on a failed critical metric whatever the score, naming it', () => {
    const verdicts = [
      verdict('ok', 'pass', false, { weight: 99 }),
      verdict('error-rate', 'high', true, { critical: true })
    ]
    expect(score(verdicts, thresholds)).toMatchObject({
      score: 99,
      decision: 'fail',
      reason: 'Critical metric error-rate failed (score 99; failed: error-rate (high)).'
    })
  })

  it('passes over a critical metric that did not fail', () => {
    const verdicts = [
      verdict('ok', 'pass', false),
      verdict('latency', 'low', false, { critical: true })
    ]
    expect(score(verdicts, thresholds).decision).toBe('pass')
  })

  it.each([
    [
      [verdict('a', 'pass', false), verdict('b', 'high', true), verdict('c', 'nodata', true)],
      'Score 33.33 is below the marginal threshold 50; failed: b (high), c (nodata).'
    ],
    [
      [...passing(2), verdict('b', 'low', true)],
      'Score 66.67 lies between the marginal 50 and pass 75 thresholds; failed: b (low).'
    ],
    [passing(2), 'Score 100 reaches the pass threshold 75.'],
    [[verdict('c', 'nodata', false)], 'No metric had data to judge, so there is no score.']
  ])('says why in one sentence: %#', (verdicts, reason) => {
    expect(score(verdicts, thresholds).reason).toBe(reason)
  })
})
