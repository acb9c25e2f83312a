/**
 * workflows/dev-poll.yml, played: which tags each trigger polls for, as deploy-dev reads them.
 */
import { beforeAll, describe, expect, it } from '@jest/globals'
import { readWith } from '../action-inputs.js'
import { Workflow, type Scenario } from '../job-graph.js'

let workflow: Workflow
beforeAll(async () => {
  workflow = await Workflow.load('workflows/dev-poll.yml')
})

/** deploy-dev's parsed inputs for the scenario's poll step. */
function poll(scenario: Scenario): Record<string, unknown> {
  const runs = workflow.play({
    ...scenario,
    steps: { 'poll.gcp': { outputs: { access_token: 'ya29.token' } } }
  })
  expect(runs.poll.ran).toBe(true)
  const read = readWith('deploy-dev', runs.poll.steps.deploy.with)
  if ('error' in read) throw new Error(read.error)
  return read.inputs as Record<string, unknown>
}

/** The tags deploy-dev's tag filter lets through, of those build-image and promote write. */
function candidates(inputs: Record<string, unknown>): string[] {
  const filter = inputs.tagFilter as RegExp
  return ['sha-0123abc', 'dev', 'pr-12', '1.4.0', 'latest'].filter((tag) => filter.test(tag))
}

describe('dev-poll.yml', () => {
  it('on its schedule: the newest commit build of the internal repository, never a release', () => {
    const inputs = poll({ event: { name: 'schedule' } })
    expect(inputs).toMatchObject({ mode: 'poll' })
    expect(inputs.policy).toEqual({ kind: 'newest-build' })
    expect(candidates(inputs)).toEqual(['sha-0123abc'])
  })

  it('on repository_dispatch image-pushed (another pipeline, an Artifact Registry notification): the same', () => {
    const inputs = poll({
      event: { name: 'repository_dispatch', payload: { action: 'image-pushed' } }
    })
    expect(inputs.policy).toEqual({ kind: 'newest-build' })
    expect(candidates(inputs)).toEqual(['sha-0123abc'])
  })

  it('by hand: the policy and filter the person gives', () => {
    const inputs = poll({
      event: {
        name: 'workflow_dispatch',
        inputs: { policy: 'semver:>=1.0.0', 'tag-filter': '^\\d+\\.\\d+\\.\\d+$' }
      }
    })
    expect(inputs.policy).toMatchObject({ kind: 'semver', range: '>=1.0.0' })
    expect(candidates(inputs)).toEqual(['1.4.0'])
  })

  it('by hand with the defaults: the newest commit build', () => {
    const inputs = poll({ event: { name: 'workflow_dispatch' } })
    expect(candidates(inputs)).toEqual(['sha-0123abc'])
  })

  it('watches a fixed, lower-case repository, not one derived from the GitHub repository’s name', () => {
    const runs = workflow.play({ event: { name: 'schedule' }, repository: 'Acme/App' })
    expect(runs.poll.steps.deploy.with.images).toBe('europe-docker.pkg.dev/acme/internal/app')
  })
})

// last, once every scenario above has played: each explicit `if:` was seen true and false
it('plays every explicit if: both ways', () => {
  expect(workflow.uncovered()).toEqual([])
})
