import { describe, expect, it } from '@jest/globals'
import {
  mannWhitney,
  median,
  normalCdf,
  normalQuantile,
  removeOutliers
} from '../../src/gate/analysis/mann-whitney.js'

// Reference values: R's wilcox.test(x, y, conf.int = TRUE, exact = FALSE, correct = TRUE), its
// p-value checked against scipy.stats.mannwhitneyu(method='asymptotic', use_continuity=True) and its
// interval against a re-implementation of R's root search (stats:::wilcox.test.default).
// 'r-doc' is the two-sample example of R's ?wilcox.test; 'ties' has ties within and across groups.
const R_DOC_X = [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46]
const R_DOC_Y = [1.15, 0.88, 0.9, 0.74, 1.21]
const TIES_X = [1, 2, 2, 3, 3, 3, 4, 5]
const TIES_Y = [2, 3, 4, 4, 5, 5, 6, 7]

describe('normal distribution', () => {
  it.each([
    [0, 0.5],
    [1, 0.8413447460685429],
    [-1, 0.15865525393145707],
    [1.96, 0.9750021048517795],
    [-3, 0.0013498980316300933],
    [3.5, 0.9997673709209645],
    [-6, 9.865876450376946e-10]
  ])('Φ(%p) = %p to seven digits', (x, p) => {
    expect(Math.abs(normalCdf(x) - p) / p).toBeLessThan(2e-7)
  })

  it.each([
    [0.5, 0],
    [0.975, 1.959963984540054],
    [0.995, 2.5758293035489004],
    [0.9, 1.2815515655446004],
    [0.05, -1.6448536269514729],
    [0.001, -3.090232306167813],
    [1e-6, -4.753424308822899]
  ])('Φ⁻¹(%p) = %p to nine digits', (p, x) => {
    expect(Math.abs(normalQuantile(p) - x)).toBeLessThan(1e-8 * Math.max(1, Math.abs(x)))
  })

  it('is infinite at 0 and 1', () => {
    expect([normalQuantile(0), normalQuantile(1)]).toEqual([-Infinity, Infinity])
  })
})

describe('mannWhitney', () => {
  it.each([
    ['r-doc', 0.95, R_DOC_X, R_DOC_Y, [35, 1.1635076278, 0.2446236051, 0.305, -0.15, 0.76]],
    ['r-doc', 0.9, R_DOC_X, R_DOC_Y, [35, 1.1635076278, 0.2446236051, 0.305, -0.08, 0.72]],
    ['ties', 0.95, TIES_X, TIES_Y, [13.5, -1.9217203539, 0.0546409547, -2, -3, 0]],
    ['kayenta', 0.95, [10, 20, 30, 40], [1, 2, 3, 4], [16, 2.1650635095, 0.030382822, 22.5, 6, 39]],
    ['kayenta', 0.9, [10, 20, 30, 40], [1, 2, 3, 4], [16, 2.1650635095, 0.030382822, 22.5, 7, 38]]
  ])('matches R on %s at confidence %p', (_name, confidence, x, y, expected) => {
    const r = mannWhitney(x, y, confidence)
    const [u, z, p, estimate, lower, upper] = expected
    expect(r.u).toBe(u)
    expect(r.z).toBeCloseTo(z, 9)
    expect(r.pValue).toBeCloseTo(p, 7)
    expect(r.estimate).toBeCloseTo(estimate, 12)
    expect(r.lower).toBeCloseTo(lower, 12)
    expect(r.upper).toBeCloseTo(upper, 12)
  })

  it('mirrors when canary and baseline swap', () => {
    const ab = mannWhitney(R_DOC_X, R_DOC_Y)
    const ba = mannWhitney(R_DOC_Y, R_DOC_X)
    expect(ba.u).toBe(R_DOC_X.length * R_DOC_Y.length - ab.u)
    expect(ba.z).toBeCloseTo(-ab.z, 12)
    expect(ba.pValue).toBeCloseTo(ab.pValue, 12)
    expect(ba.estimate).toBeCloseTo(-ab.estimate, 12)
    expect([ba.lower, ba.upper]).toEqual([-ab.upper, -ab.lower].map((v) => expect.closeTo(v, 12)))
  })

  it('moves the estimate and interval with a shift of the canary', () => {
    const plain = mannWhitney(TIES_X, TIES_Y)
    const moved = mannWhitney(
      TIES_X.map((v) => v + 10),
      TIES_Y
    )
    expect(moved.estimate).toBe(plain.estimate + 10)
    expect([moved.lower, moved.upper]).toEqual([plain.lower + 10, plain.upper + 10])
    expect(moved.pValue).toBeLessThan(0.001)
  })

  it('finds no shift between identical samples', () => {
    const r = mannWhitney(R_DOC_X, R_DOC_X)
    expect(r).toMatchObject({ u: 50, z: 0, pValue: 1, estimate: 0 })
    expect(r.lower).toBeLessThan(0)
    expect(r.upper).toBeGreaterThan(0)
  })

  it('finds no shift when every value is the same', () => {
    expect(mannWhitney([0, 0, 0], [0, 0, 0, 0])).toEqual({
      u: 6,
      z: 0,
      pValue: 1,
      estimate: 0,
      lower: 0,
      upper: 0
    })
  })

  it('narrows the interval as the confidence falls', () => {
    const wide = mannWhitney(R_DOC_X, R_DOC_Y, 0.99)
    const narrow = mannWhitney(R_DOC_X, R_DOC_Y, 0.5)
    expect(wide.lower).toBeLessThan(narrow.lower)
    expect(wide.upper).toBeGreaterThan(narrow.upper)
    expect(narrow.lower).toBeLessThanOrEqual(narrow.estimate)
    expect(narrow.upper).toBeGreaterThanOrEqual(narrow.estimate)
  })

  it.each([
    [[], [1, 2], 0.95, /at least one canary and one baseline/],
    [[1, NaN], [1, 2], 0.95, /finite values/],
    [[1, 2], [1, Infinity], 0.95, /finite values/],
    [[1, 2], [1, 2], 1, /between 0 and 1, not 1/]
  ])('refuses %p against %p at %p', (x, y, confidence, message) => {
    expect(() => mannWhitney(x, y, confidence)).toThrow(message)
  })
})

describe('removeOutliers', () => {
  it.each([
    [[1, 2, 3, 4, 5, 100], 3, [1, 2, 3, 4, 5]],
    [[1, 2, 3, 4, 5, 9], 3, [1, 2, 3, 4, 5, 9]],
    [[1, 2, 3, 4, 5, 9], 1.5, [1, 2, 3, 4, 5]],
    [[-50, 10, 11, 12, 13, 14], 3, [10, 11, 12, 13, 14]],
    [[7, 7, 7, 7], 3, [7, 7, 7, 7]],
    [[], 3, []]
  ])('keeps of %p within factor %p: %p', (values, factor, kept) => {
    expect(removeOutliers(values, factor)).toEqual(kept)
  })
})

describe('median', () => {
  it.each([
    [[3, 1, 2], 2],
    [[4, 1, 3, 2], 2.5],
    [[], NaN]
  ])('of %p is %p', (values, expected) => {
    expect(median(values)).toBe(expected)
  })
})
