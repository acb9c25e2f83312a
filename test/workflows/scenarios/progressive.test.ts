/**
 * workflows/progressive.yml, played: 10 % → analysis → 50 % → analysis → production, and a
 * rollback only when a canary of this run is running and production did not take it.
 */
import { beforeAll, describe, expect, it } from '@jest/globals'
import { readWith } from '../action-inputs.js'
import { Workflow, type Scenario } from '../job-graph.js'

const IMAGE = 'ghcr.io/acme/app@sha256:' + 'd'.repeat(64)
const selectors = (track: string) =>
  `namespace="production",rollout_kit_workload="app",rollout_kit_track="${track}"`
const STARTED = {
  outputs: {
    started: 'true',
    'canary-selector': selectors('canary'),
    'baseline-selector': selectors('baseline')
  }
}

let workflow: Workflow
beforeAll(async () => {
  workflow = await Workflow.load('workflows/progressive.yml')
})

function run(steps: Scenario['steps'] = {}, more: Partial<Scenario> = {}): Scenario {
  return {
    event: { name: 'workflow_dispatch', ref: 'refs/heads/master', inputs: { image: IMAGE } },
    vars: { PROMETHEUS_URL: 'https://prometheus.example.com' },
    ...more,
    steps: {
      'canary.canary-10': STARTED,
      'canary.analysis-10': { outputs: { decision: 'pass' } },
      'canary.canary-50': STARTED,
      'canary.analysis-50': { outputs: { decision: 'pass' } },
      ...steps
    }
  }
}

const outcomes = (runs: ReturnType<Workflow['play']>) =>
  Object.fromEntries(Object.entries(runs.canary.steps).map(([key, step]) => [key, step.outcome]))

describe('progressive.yml', () => {
  it('both analyses pass: 10 %, 50 %, then production; no rollback', () => {
    const runs = workflow.play(run())
    expect(outcomes(runs)).toMatchObject({
      evidence: 'success',
      'canary-10': 'success',
      'analysis-10': 'success',
      'Stop unless the analysis at 10 % passed': 'skipped',
      'canary-50': 'success',
      'analysis-50': 'success',
      'Stop unless the analysis at 50 % passed': 'skipped'
    })
    expect(runs.production.result).toBe('success')
    expect(runs.rollback.ran).toBe(false)
    const at = (key: string) => readWith('promote', runs.canary.steps[key].with)
    expect(at('canary-10')).toMatchObject({ inputs: { stage: 'canary', weight: 10 } })
    expect(at('canary-50')).toMatchObject({ inputs: { stage: 'canary', weight: 50 } })
    expect(readWith('canary-gate', runs.canary.steps['analysis-50'].with)).toMatchObject({
      inputs: { canarySelector: selectors('canary'), baselineSelector: selectors('baseline') }
    })
  })

  it('the evidence is missing: no canary, no rollback', () => {
    const runs = workflow.play(run({ 'canary.evidence': { outcome: 'failure' } }))
    expect(outcomes(runs)['canary-10']).toBe('skipped')
    expect(runs.canary.outputs.started).toBe('false')
    expect(runs.rollback.ran).toBe(false)
  })

  it('the canary is refused at its start (the digest already runs): no rollback', () => {
    const runs = workflow.play(
      run({ 'canary.canary-10': { outcome: 'failure', outputs: { started: 'false' } } })
    )
    expect(runs.canary.result).toBe('failure')
    expect(runs.rollback.ran).toBe(false)
  })

  it('the analysis at 10 % does not pass: stop there, never 50 %, roll back', () => {
    const runs = workflow.play(run({ 'canary.analysis-10': { outputs: { decision: 'fail' } } }))
    expect(outcomes(runs)).toMatchObject({
      'Stop unless the analysis at 10 % passed': 'failure',
      'canary-50': 'skipped'
    })
    expect(runs.production.ran).toBe(false)
    expect(runs.rollback.result).toBe('success')
  })

  it('the step to 50 % fails and puts the canary back to 10 %: still rolled back (the 10 % canary runs)', () => {
    const runs = workflow.play(
      run({ 'canary.canary-50': { outcome: 'failure', outputs: { started: 'false' } } })
    )
    expect(runs.canary.outputs.started).toBe('true')
    expect(runs.rollback.result).toBe('success')
  })

  it('the analysis at 50 % does not pass: roll back', () => {
    const runs = workflow.play(run({ 'canary.analysis-50': { outputs: { decision: 'fail' } } }))
    expect(outcomes(runs)['Stop unless the analysis at 50 % passed']).toBe('failure')
    expect(runs.rollback.result).toBe('success')
  })

  it('the reviewers reject production: roll back', () => {
    const runs = workflow.play(run({}, { rejected: ['production'] }))
    expect(runs.rollback.result).toBe('success')
  })

  it('cancelled during the analyses: the canary still goes', () => {
    const runs = workflow.play(run({}, { cancelledDuring: 'canary' }))
    expect(runs.rollback.result).toBe('success')
  })
})

// last, once every scenario above has played: each explicit `if:` was seen true and false
it('plays every explicit if: both ways', () => {
  expect(workflow.uncovered()).toEqual([])
})
