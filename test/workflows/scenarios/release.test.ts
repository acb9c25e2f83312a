/**
 * workflows/release.yml, played: which jobs run, what they give each other, and above all when
 * production is rolled back (only when this run started a canary that production did not take).
 */
import { beforeAll, describe, expect, it } from '@jest/globals'
import { readWith } from '../action-inputs.js'
import { Workflow, type Scenario } from '../job-graph.js'

const IMAGE = 'ghcr.io/acme/app@sha256:' + 'a'.repeat(64)
const CANARY = 'namespace="production",rollout_kit_workload="app",rollout_kit_track="canary"'
const BASELINE = 'namespace="production",rollout_kit_workload="app",rollout_kit_track="baseline"'

let workflow: Workflow
beforeAll(async () => {
  workflow = await Workflow.load('workflows/release.yml')
})

/** A push to master whose release passes, with the canary's and analysis' steps as given. */
function push(steps: Scenario['steps'] = {}, more: Partial<Scenario> = {}): Scenario {
  return {
    event: { name: 'push', ref: 'refs/heads/master' },
    vars: { PROMETHEUS_URL: 'https://prometheus.example.com' },
    ...more,
    steps: {
      'release.release': { outputs: { image: IMAGE } },
      'canary.canary': {
        outputs: { started: 'true', 'canary-selector': CANARY, 'baseline-selector': BASELINE }
      },
      'canary.analysis': { outputs: { decision: 'pass', score: '100' } },
      ...steps
    }
  }
}

const results = (runs: ReturnType<Workflow['play']>) =>
  Object.fromEntries(Object.entries(runs).map(([job, run]) => [job, run.result]))

describe('release.yml', () => {
  it('all passes: release, canary, production; no rollback', () => {
    const runs = workflow.play(push())
    expect(results(runs)).toEqual({
      release: 'success',
      canary: 'success',
      production: 'success',
      rollback: 'skipped'
    })
    expect(runs.canary.steps['Refuse a canary that did not pass'].outcome).toBe('skipped')
  })

  it('wires the canary’s selectors from promote into the analysis, not guessed', () => {
    const analysis = workflow.play(push()).canary.steps.analysis.with
    expect(analysis).toMatchObject({
      'canary-selector': CANARY,
      'baseline-selector': BASELINE,
      image: IMAGE
    })
    const read = readWith('canary-gate', analysis)
    expect(read).toMatchObject({
      inputs: { mode: 'analysis', canarySelector: CANARY, baselineSelector: BASELINE }
    })
  })

  it('a canary refused before it started (a re-run of a commit in production, the workload claimed): no rollback', () => {
    const runs = workflow.play(
      push({ 'canary.canary': { outcome: 'failure', outputs: { started: 'false' } } })
    )
    expect(results(runs)).toEqual({
      release: 'success',
      canary: 'failure',
      production: 'skipped',
      rollback: 'skipped'
    })
    expect(runs.canary.steps.analysis.outcome).toBe('skipped')
  })

  it('a canary that failed and could not undo itself (started stays true): rollback', () => {
    const runs = workflow.play(
      push({ 'canary.canary': { outcome: 'failure', outputs: { started: 'true' } } })
    )
    expect(results(runs)).toMatchObject({ canary: 'failure', rollback: 'success' })
  })

  it('the canary started, the analysis fails: rollback, and production is never reached', () => {
    const runs = workflow.play(
      push({ 'canary.analysis': { outcome: 'failure', outputs: { decision: 'fail' } } })
    )
    expect(results(runs)).toEqual({
      release: 'success',
      canary: 'failure',
      production: 'skipped',
      rollback: 'success'
    })
  })

  it('an analysis that ends inconclusive is refused by the workflow: rollback', () => {
    const runs = workflow.play(
      push({ 'canary.analysis': { outputs: { decision: 'inconclusive', score: '60' } } })
    )
    expect(runs.canary.steps['Refuse a canary that did not pass'].outcome).toBe('failure')
    expect(results(runs)).toMatchObject({ canary: 'failure', rollback: 'success' })
  })

  it('the reviewers reject production: rollback', () => {
    const runs = workflow.play(push({}, { rejected: ['production'] }))
    expect(results(runs)).toMatchObject({ production: 'failure', rollback: 'success' })
    expect(runs.production.steps).toEqual({})
  })

  it('the production rollout fails (it leaves the canary as it was): rollback', () => {
    const runs = workflow.play(push({ 'production.production': { outcome: 'failure' } }))
    expect(results(runs)).toMatchObject({ production: 'failure', rollback: 'success' })
  })

  it('the run is cancelled during the analysis: the canary still goes', () => {
    const runs = workflow.play(push({}, { cancelledDuring: 'canary' }))
    expect(results(runs)).toMatchObject({
      canary: 'cancelled',
      production: 'skipped',
      rollback: 'success'
    })
  })

  it('the release fails: no cluster job runs', () => {
    const runs = workflow.play(push({ 'release.release': { outcome: 'failure' } }))
    expect(results(runs)).toEqual({
      release: 'failure',
      canary: 'skipped',
      production: 'skipped',
      rollback: 'skipped'
    })
  })

  it('every job that changes production runs in an environment holding its kubeconfig', () => {
    const failing = workflow.play(
      push({ 'canary.analysis': { outcome: 'failure', outputs: { decision: 'fail' } } })
    )
    const passing = workflow.play(push())
    expect(passing.canary.environment).toBe('production-canary')
    expect(passing.production.environment).toBe('production')
    // promote records the canary's and the rollback's Deployments, GitHub the reviewed production one
    expect(passing.canary.recordsDeployment).toBe(false)
    expect(failing.rollback.recordsDeployment).toBe(false)
    expect(passing.production.recordsDeployment).toBe(true)
    expect(failing.rollback.environment).toBe('production-canary')
    for (const run of [passing.canary, passing.production, failing.rollback]) {
      const promote = Object.values(run.steps).find((step) => 'kubeconfig' in step.with)
      expect(promote?.with.kubeconfig).toBe('<secrets.PRODUCTION_KUBECONFIG>')
    }
  })

  it('releases only on evidence signed by dev.yml on the dev branch, never by integration.yml', () => {
    const identity = new RegExp(
      workflow.play(push()).release.steps.release.with['evidence-identity']
    )
    const signer = (file: string, ref: string) =>
      `https://github.com/acme/app/.github/workflows/${file}@${ref}`
    expect(identity.test(signer('dev.yml', 'refs/heads/dev'))).toBe(true)
    expect(identity.test(signer('integration.yml', 'refs/heads/dev'))).toBe(false)
    expect(identity.test(signer('dev.yml', 'refs/heads/feature'))).toBe(false)
    expect(identity.test(signer('dev.yml', 'refs/heads/dev-evil'))).toBe(false)
    expect(
      identity.test(signer('dev.yml', 'refs/heads/dev').replace('acme/app', 'acme/app-fork'))
    ).toBe(false)
  })

  it('gives promote inputs it accepts, at every cluster stage', () => {
    const passing = workflow.play(push())
    const failing = workflow.play(push({ 'canary.analysis': { outcome: 'failure' } }))
    const canary = readWith('promote', passing.canary.steps.canary.with)
    const production = readWith('promote', passing.production.steps.production.with)
    const rollback = readWith('promote', failing.rollback.steps.rollback.with)
    expect(canary).toMatchObject({
      inputs: { stage: 'canary', traffic: 'nginx', weight: 20, baseline: true }
    })
    expect(production).toMatchObject({ inputs: { stage: 'production' } })
    expect(rollback).toMatchObject({ inputs: { stage: 'rollback' } })
  })
})

// last, once every scenario above has played: each explicit `if:` was seen true and false
it('plays every explicit if: both ways', () => {
  expect(workflow.uncovered()).toEqual([])
})
