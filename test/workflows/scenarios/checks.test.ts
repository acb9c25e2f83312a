/**
 * pr.yml and integration.yml, played (their `if: always()` steps and jobs), and the rule that
 * makes these scenario files the workflows' specification: every workflow with an `if:` has one.
 */
import { beforeAll, describe, expect, it } from '@jest/globals'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT } from '../linters.js'
import { Workflow } from '../job-graph.js'

let pr: Workflow
let integration: Workflow
beforeAll(async () => {
  pr = await Workflow.load('workflows/pr.yml')
  integration = await Workflow.load('workflows/integration.yml')
})

describe('pr.yml', () => {
  const event = (sameRepository: boolean) => ({
    name: 'pull_request',
    ref: 'refs/pull/7/merge',
    payload: {
      pull_request: {
        number: 7,
        head: { repo: { full_name: sameRepository ? 'acme/app' : 'someone/app' } }
      }
    }
  })

  it('pr-ready runs and sums up even when a check failed', () => {
    const runs = pr.play({
      event: event(true),
      steps: { 'unit-tests.Unit tests': { outcome: 'failure' } }
    })
    expect(runs['pr-ready'].ran).toBe(true)
    expect(runs['pr-ready'].steps['Every check passed'].with).toEqual({})
  })

  it('a fork’s build is not pushed and gets no registry credentials', () => {
    const fork = pr.play({ event: event(false) }).build.steps.build.with
    const own = pr.play({ event: event(true) }).build.steps.build.with
    expect(fork).toMatchObject({ push: 'false', 'registry-username': '', 'registry-password': '' })
    expect(own).toMatchObject({
      push: 'true',
      'registry-username': 'octocat',
      'registry-password': '<secrets.GITHUB_TOKEN>'
    })
  })
})

describe('integration.yml', () => {
  it('says the decision whether the tests passed or failed', () => {
    const inputs = { image: 'europe-docker.pkg.dev/acme/internal/app@sha256:' + 'e'.repeat(64) }
    for (const outcome of ['success', 'failure'] as const) {
      const runs = integration.play({
        event: { name: 'workflow_dispatch', inputs },
        steps: { 'integration.gate': { outcome, outputs: { decision: 'fail' } } }
      })
      expect(runs.integration.steps.Decision.outcome).toBe('success')
    }
  })
})

describe('the scenario files', () => {
  it('exist for every workflow with an if:', () => {
    const dirs = ['workflows', '.github/workflows']
    const withIf = dirs.flatMap((dir) =>
      readdirSync(join(ROOT, dir))
        .filter((name) => /\.ya?ml$/.test(name))
        .filter((name) => /^\s*if:/m.test(readFileSync(join(ROOT, dir, name), 'utf8')))
        .map((name) => name.replace(/\.ya?ml$/, ''))
    )
    expect(withIf.length).toBeGreaterThan(4)
    const covered = (name: string) =>
      existsSync(join(ROOT, 'test/workflows/scenarios', `${name}.test.ts`)) ||
      readFileSync(join(ROOT, 'test/workflows/scenarios/checks.test.ts'), 'utf8').includes(
        `workflows/${name}.yml')`
      )
    expect(withIf.filter((name) => !covered(name))).toEqual([])
  })
})

// last, once every scenario above has played: each explicit `if:` was seen true and false
it('plays every explicit if: both ways', () => {
  expect([...pr.uncovered(), ...integration.uncovered()]).toEqual([])
})
