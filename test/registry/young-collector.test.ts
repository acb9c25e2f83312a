import { describe, expect, it } from '@jest/globals'
import { YoungCollector, youngCollector } from '../../src/registry/young-collector.js'

describe('YoungCollector', () => {
  it.each([
    [[10], 0],
    [[99], 0],
    [[100], 1],
    [[60, 60], 1],
    [[60, 60, 60, 60], 2],
    [[250], 1],
    [[250, 100], 2]
  ])('after streaming %j bytes (every 100) collects %i times', (sizes, times) => {
    const calls: unknown[] = []
    const collector = new YoungCollector(() => (options) => calls.push(options), 100)
    for (const size of sizes) collector.streamed(size)
    expect(calls).toEqual(Array.from({ length: times }, () => ({ type: 'minor' })))
  })

  it('does nothing without a gc to call', () => {
    expect(() => new YoungCollector(() => undefined, 1).streamed(10)).not.toThrow()
  })

  // jest runs node without --expose-gc, as the runner does
  it("frees dropped Buffers with V8's gc, exposed at run time", () => {
    const before = process.memoryUsage().arrayBuffers
    const collector = youngCollector()
    for (let i = 0; i < 64; i++) {
      Buffer.allocUnsafeSlow(1024 * 1024).fill(1)
      collector.streamed(1024 * 1024)
    }
    // 64 MiB allocated and dropped; collected every 8 MiB, little of it is left
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(24 * 1024 * 1024)
  })
})
