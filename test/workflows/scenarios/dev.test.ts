/**
 * workflows/dev.yml, played: the gate after the deploy, and what a newer push does to an older
 * run — it supersedes the older tests and build, never a deploy that is rolling out.
 */
import { beforeAll, describe, expect, it } from '@jest/globals'
import { readWith } from '../action-inputs.js'
import { newerRun, Workflow, type Scenario } from '../job-graph.js'

const IMAGE = 'europe-docker.pkg.dev/acme/internal/app@sha256:' + 'b'.repeat(64)

let workflow: Workflow
beforeAll(async () => {
  workflow = await Workflow.load('workflows/dev.yml')
})

function push(steps: Scenario['steps'] = {}): Scenario {
  return {
    event: { name: 'push', ref: 'refs/heads/dev' },
    steps: {
      'build.build': { outputs: { image: IMAGE } },
      'deploy.deploy': {
        outputs: { 'environment-url': 'https://dev.example.com', 'deployment-id': '42' }
      },
      ...steps
    }
  }
}

describe('dev.yml: the jobs', () => {
  it('all passes: tests, build, deploy of the built digest, integration; the Deployment is left alone', () => {
    const runs = workflow.play(push())
    expect(Object.values(runs).map((run) => run.result)).toEqual([
      'success',
      'success',
      'success',
      'success'
    ])
    expect(runs.deploy.steps.deploy.with).toMatchObject({ images: IMAGE, mode: 'apply' })
    expect(runs.integration.steps.gate.with).toMatchObject({
      image: IMAGE,
      'environment-url': 'https://dev.example.com'
    })
    expect(runs.integration.steps['Mark the dev Deployment failed'].outcome).toBe('skipped')
    expect(readWith('deploy-dev', runs.deploy.steps.deploy.with)).toMatchObject({
      inputs: { mode: 'apply' }
    })
  })

  it('the integration tests fail: the dev Deployment is marked failed', () => {
    const runs = workflow.play(push({ 'integration.gate': { outcome: 'failure' } }))
    expect(runs.integration.result).toBe('failure')
    expect(runs.integration.steps['Mark the dev Deployment failed'].outcome).toBe('success')
  })

  it('the tests fail before any Deployment was recorded (no id): nothing to mark', () => {
    const runs = workflow.play(
      push({
        'deploy.deploy': { outputs: { 'environment-url': 'https://dev.example.com' } },
        'integration.gate': { outcome: 'failure' }
      })
    )
    expect(runs.integration.steps['Mark the dev Deployment failed'].outcome).toBe('skipped')
  })

  it('a failed unit test stops everything after it', () => {
    const runs = workflow.play(push({ 'unit-tests.Unit tests': { outcome: 'failure' } }))
    expect(Object.values(runs).map((run) => run.result)).toEqual([
      'failure',
      'skipped',
      'skipped',
      'skipped'
    ])
  })

  it('the deploy job uses the dev environment (its kubeconfig) without a second Deployment record', () => {
    const runs = workflow.play(push())
    expect(runs.deploy.environment).toBe('dev')
    expect(runs.deploy.steps.deploy.with.kubeconfig).toBe('<secrets.DEV_KUBECONFIG>')
  })
})

describe('dev.yml: a newer push while an older run is going', () => {
  const older = push()
  const newer: Scenario = { ...push(), event: { name: 'push', ref: 'refs/heads/dev' } }

  it('starts at once: no workflow-level group holds it back or cancels the older run', () => {
    expect(workflow.concurrency(older).workflow).toBeUndefined()
    expect(
      newerRun(
        workflow,
        { scenario: older, running: ['deploy'] },
        { scenario: newer, reaching: 'start' }
      )
    ).toEqual({
      cancelled: [],
      waits: false
    })
  })

  it('its deploy waits for the older deploy to finish, which is not cancelled', () => {
    expect(
      newerRun(
        workflow,
        { scenario: older, running: ['deploy'] },
        { scenario: newer, reaching: 'deploy' }
      )
    ).toEqual({ cancelled: [], waits: true })
  })

  it('its tests and build cancel the older ones', () => {
    expect(
      newerRun(
        workflow,
        { scenario: older, running: ['unit-tests'] },
        { scenario: newer, reaching: 'unit-tests' }
      )
    ).toEqual({ cancelled: ['unit-tests'], waits: false })
    expect(
      newerRun(
        workflow,
        { scenario: older, running: ['build'] },
        { scenario: newer, reaching: 'build' }
      )
    ).toEqual({ cancelled: ['build'], waits: false })
  })

  it('an older run that reaches its build does not cancel the newer run’s unit tests', () => {
    expect(
      newerRun(
        workflow,
        { scenario: newer, running: ['unit-tests'] },
        { scenario: older, reaching: 'build' }
      )
    ).toEqual({ cancelled: [], waits: false })
  })

  it('its integration tests cancel the older commit’s, which are moot', () => {
    expect(
      newerRun(
        workflow,
        { scenario: older, running: ['integration'] },
        { scenario: newer, reaching: 'integration' }
      )
    ).toEqual({ cancelled: ['integration'], waits: false })
  })

  it('a dev-poll deploy and a dev.yml deploy never run at once', async () => {
    const poll = await Workflow.load('workflows/dev-poll.yml')
    const schedule: Scenario = { event: { name: 'schedule' } }
    expect(poll.concurrency(schedule).jobs.poll).toEqual(workflow.concurrency(older).jobs.deploy)
    expect(workflow.concurrency(older).jobs.deploy).toEqual({
      group: 'dev-environment',
      cancelInProgress: false
    })
  })
})

// last, once every scenario above has played: each explicit `if:` was seen true and false
it('plays every explicit if: both ways', () => {
  expect(workflow.uncovered()).toEqual([])
})
