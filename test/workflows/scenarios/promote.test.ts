/**
 * workflows/promote.yml, played: a person's dispatch of each stage, and the schedule that
 * finalizes blue-green switches; what promote is given in each case is read by promote's own
 * input parser, so a default that promote would refuse fails here.
 */
import { beforeAll, describe, expect, it } from '@jest/globals'
import { readWith } from '../action-inputs.js'
import { Workflow, type Scenario } from '../job-graph.js'

const IMAGE = 'ghcr.io/acme/app@sha256:' + 'c'.repeat(64)

let workflow: Workflow
beforeAll(async () => {
  workflow = await Workflow.load('workflows/promote.yml')
})

const dispatch = (inputs: Record<string, string>): Scenario => ({
  event: { name: 'workflow_dispatch', ref: 'refs/heads/master', inputs }
})

describe('promote.yml', () => {
  it('a canary by hand: the evidence is verified first, in production-ops, at the weight given', () => {
    const runs = workflow.play(dispatch({ image: IMAGE, stage: 'canary', weight: '25' }))
    expect(runs.finalize.ran).toBe(false)
    expect(runs.promote.environment).toBe('production-ops')
    expect(runs.promote.steps.evidence.outcome).toBe('success')
    expect(readWith('promote', runs.promote.steps.evidence.with)).toMatchObject({
      inputs: { stage: 'verify' }
    })
    expect(readWith('promote', runs.promote.steps.promote.with)).toMatchObject({
      inputs: { stage: 'canary', weight: 25, traffic: 'nginx', strategy: 'canary' }
    })
  })

  it('production by hand waits for the production environment’s reviewers', () => {
    const runs = workflow.play(dispatch({ image: IMAGE, stage: 'production' }))
    expect(runs.promote.environment).toBe('production')
    expect(readWith('promote', runs.promote.steps.promote.with)).toMatchObject({
      inputs: { stage: 'production', strategy: 'canary' }
    })
  })

  it('blue-green with the default traffic is something promote accepts (the Service selector)', () => {
    const runs = workflow.play(
      dispatch({ image: IMAGE, stage: 'production', strategy: 'blue-green' })
    )
    expect(readWith('promote', runs.promote.steps.promote.with)).toMatchObject({
      inputs: { stage: 'production', strategy: 'blue-green', traffic: 'replicas' }
    })
  })

  it('blue-green with nginx chosen by hand is refused by promote, with its reason', () => {
    const runs = workflow.play(
      dispatch({ image: IMAGE, stage: 'production', strategy: 'blue-green', traffic: 'nginx' })
    )
    expect(readWith('promote', runs.promote.steps.promote.with)).toEqual({
      error: expect.stringContaining('with strategy blue-green')
    })
  })

  it('a rollback takes no image and verifies nothing', () => {
    const runs = workflow.play(dispatch({ stage: 'rollback' }))
    expect(runs.promote.steps.evidence.outcome).toBe('skipped')
    expect(runs.promote.environment).toBe('production-ops')
    expect(readWith('promote', runs.promote.steps.promote.with)).toMatchObject({
      inputs: { stage: 'rollback' }
    })
  })

  it('a production without an image promotes the running canary: nothing to verify', () => {
    const runs = workflow.play(dispatch({ stage: 'production' }))
    expect(runs.promote.steps.evidence.outcome).toBe('skipped')
  })

  it('the schedule only finalizes, in production-ops, without a Deployment of GitHub’s own', () => {
    const runs = workflow.play({ event: { name: 'schedule' } })
    expect(runs.promote.ran).toBe(false)
    expect(runs.finalize.ran).toBe(true)
    expect(runs.finalize.environment).toBe('production-ops')
    // 48 runs a day: GitHub records no Deployment for them, promote only when it scales one down
    expect(runs.finalize.recordsDeployment).toBe(false)
    expect(readWith('promote', runs.finalize.steps.finalize.with)).toMatchObject({
      inputs: { stage: 'finalize' }
    })
  })

  it('finalize by hand runs the finalize job, not the promote job', () => {
    const runs = workflow.play(dispatch({ stage: 'finalize' }))
    expect(runs.promote.ran).toBe(false)
    expect(runs.finalize.ran).toBe(true)
  })
})

// last, once every scenario above has played: each explicit `if:` was seen true and false
it('plays every explicit if: both ways', () => {
  expect(workflow.uncovered()).toEqual([])
})
