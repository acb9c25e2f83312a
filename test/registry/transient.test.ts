import { describe, expect, it } from '@jest/globals'
import { withRetry, type RetryPolicy } from '../../src/retry/index.js'
import { classifyFailure, isTransientStatus, RegistryError } from '../../src/registry/index.js'

const status = (code: number, retryAfterMs?: number) =>
  new RegistryError({ server: 's', operation: 'op', status: code, message: 'm', retryAfterMs })
const network = (code: string) => Object.assign(new Error(`connect ${code}`), { code })
const wrapped = (code: string) =>
  new RegistryError({ server: 's', operation: 'op', code, message: 'm', cause: network(code) })

describe('isTransientStatus', () => {
  it.each([
    [408, true],
    [429, true],
    [500, true],
    [502, true],
    [503, true],
    [504, true],
    [501, false],
    [505, false],
    [400, false],
    [401, false],
    [403, false],
    [404, false],
    [200, false]
  ])('%i → %s', (code, transient) => {
    expect(isTransientStatus(code)).toBe(transient)
  })
})

describe('classifyFailure', () => {
  it.each([
    ['503', status(503), false, { retry: true, reason: '503' }],
    [
      '429 with Retry-After',
      status(429, 7000),
      false,
      { retry: true, reason: '429', afterMs: 7000 }
    ],
    ['408', status(408), false, { retry: true, reason: '408' }],
    ['404', status(404), false, { retry: false }],
    ['401', status(401), true, { retry: false }],
    ['ECONNRESET', network('ECONNRESET'), false, { retry: true, reason: 'ECONNRESET' }],
    ['wrapped ETIMEDOUT', wrapped('ETIMEDOUT'), false, { retry: true, reason: 'ETIMEDOUT' }],
    ['UND_ERR_SOCKET', network('UND_ERR_SOCKET'), false, { retry: true, reason: 'UND_ERR_SOCKET' }],
    ['ECONNREFUSED on first contact', wrapped('ECONNREFUSED'), false, { retry: false }],
    [
      'ECONNREFUSED after the server answered',
      wrapped('ECONNREFUSED'),
      true,
      { retry: true, reason: 'ECONNREFUSED' }
    ],
    ['ENOTFOUND', wrapped('ENOTFOUND'), false, { retry: false }],
    ['a certificate error', network('DEPTH_ZERO_SELF_SIGNED_CERT'), false, { retry: false }],
    ['a plain Error', new Error('boom'), false, { retry: false }]
  ])('%s', (_case, error, answeredBefore, verdict) => {
    expect(classifyFailure(error, answeredBefore)).toEqual(verdict)
  })
})

describe('backoff with the registry classification', () => {
  const policy = (delays: number[]): RetryPolicy => ({
    attempts: 4,
    baseDelayMs: 100,
    maxDelayMs: 5000,
    random: () => 0.5,
    sleep: async (ms) => {
      delays.push(ms)
    }
  })

  it('backs off exponentially with jitter, then succeeds', async () => {
    const delays: number[] = []
    const failures = [status(503), status(502)]
    const result = await withRetry(
      policy(delays),
      async () => {
        const next = failures.shift()
        if (next) throw next
        return 'ok'
      },
      (error) => classifyFailure(error, true)
    )
    expect(result).toBe('ok')
    expect(delays).toEqual([75, 150])
  })

  it('waits as long as Retry-After asks, capped by the policy', async () => {
    const delays: number[] = []
    const failures = [status(429, 2000), status(429, 60_000)]
    await withRetry(
      policy(delays),
      async () => {
        const next = failures.shift()
        if (next) throw next
      },
      (error) => classifyFailure(error, true)
    )
    expect(delays).toEqual([2000, 5000])
  })

  it('gives up after the last attempt with the last error', async () => {
    const delays: number[] = []
    let calls = 0
    const run = withRetry(
      policy(delays),
      async () => {
        calls++
        throw status(500)
      },
      (error) => classifyFailure(error, true)
    )
    await expect(run).rejects.toMatchObject({ status: 500 })
    expect(calls).toBe(4)
    expect(delays).toEqual([75, 150, 300])
  })

  it('makes no retry whose wait would end past the deadline, and throws the last error', async () => {
    const delays: number[] = []
    let calls = 0
    // waits of 75 and 150 ms (with the injected sleep, no time passes): the third, 300 ms, would
    // end past a deadline 250 ms away
    const deadline = performance.now() + 250
    const run = withRetry(
      { ...policy(delays), attempts: 10, deadline },
      async () => {
        calls++
        throw status(500)
      },
      (error) => classifyFailure(error, true)
    )
    await expect(run).rejects.toMatchObject({ status: 500 })
    expect(calls).toBe(3)
    expect(delays).toEqual([75, 150])
  })

  it('does not retry a 404', async () => {
    let calls = 0
    const run = withRetry(
      policy([]),
      async () => {
        calls++
        throw status(404)
      },
      (error) => classifyFailure(error, true)
    )
    await expect(run).rejects.toMatchObject({ status: 404 })
    expect(calls).toBe(1)
  })
})
