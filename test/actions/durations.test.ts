/**
 * Durations beyond what a job can run are refused with one clear error, by every action that takes
 * one; the longest accepted still fits Node's timers (2^31-1 ms), which fired at once past it.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { setActionInputs } from '../../harness/action-runner.js'
import { MAX_DURATION_MS } from '../../src/action/inputs.js'
import { readInputs as canaryGateInputs } from '../../src/actions/canary-gate/inputs.js'
import { readInputs as deployDevInputs } from '../../src/actions/deploy-dev/inputs.js'
import { readInputs as promoteInputs } from '../../src/actions/promote/inputs.js'
import { parseWindow } from '../../src/gate/analysis/metrics-input.js'

let restore: () => void = () => undefined
afterEach(() => restore())

const TOO_LONG =
  'a duration at most 120h (5 days, the longest a self-hosted job runs; GitHub-hosted jobs end at 6h)'
const IMAGE = `ghcr.io/acme/web@sha256:${'c'.repeat(64)}`

type Reader = (value: string) => unknown
const readers: [string, string, Reader][] = [
  [
    'deploy-dev',
    'timeout',
    (timeout) => {
      restore = setActionInputs('deploy-dev', { manifests: 'k8s', images: IMAGE, timeout })
      return deployDevInputs()
    }
  ],
  [
    'promote canary',
    'timeout',
    (timeout) => {
      restore = setActionInputs('promote', {
        stage: 'canary',
        source: IMAGE,
        workload: 'deployment/web',
        weight: '10',
        timeout
      })
      return promoteInputs()
    }
  ],
  [
    'promote finalize',
    'scale-down-delay',
    (delay) => {
      restore = setActionInputs('promote', {
        stage: 'finalize',
        workload: 'deployment/web',
        strategy: 'blue-green',
        'scale-down-delay': delay
      })
      return promoteInputs()
    }
  ],
  [
    'canary-gate tests',
    'timeout',
    (timeout) => {
      restore = setActionInputs('canary-gate', {
        mode: 'tests',
        command: 'true',
        reports: 'r/*.xml',
        image: IMAGE,
        timeout
      })
      return canaryGateInputs()
    }
  ]
]

describe('durations a job cannot run', () => {
  it('the longest accepted fits a Node timer', () => {
    expect(MAX_DURATION_MS).toBe(432_000_000)
    expect(MAX_DURATION_MS).toBeLessThan(2 ** 31 - 1)
  })

  it.each(readers)('%s refuses %s: 600h and 121h, accepts 120h', (_action, name, read) => {
    for (const value of ['600h', '121h', '7260m', '597h']) {
      expect(() => read(value)).toThrow(`Input '${name}' is '${value}'; expected ${TOO_LONG}`)
    }
    expect(() => read('120h')).not.toThrow()
  })

  it('canary analysis refuses a window longer than a job', () => {
    expect(() => parseWindow('1m', '200h')).toThrow(
      `Input 'duration' is '200h'; expected ${TOO_LONG}`
    )
    expect(parseWindow('1m', '120h')).toEqual({ intervalMs: 60_000, durationMs: MAX_DURATION_MS })
  })
})
