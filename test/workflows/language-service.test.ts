import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  ActionCatalog,
  checkFiles,
  checkText,
  formatProblem,
  presentLocalActions
} from '../../scripts/workflows/language-service.js'
import { defaultFiles } from '../../scripts/workflows/files.js'
import { ROOT } from './linters.js'

const catalog = new ActionCatalog(ROOT)
const read = (file: string): string => readFileSync(join(ROOT, file), 'utf8')

/** The problems of a variant of `file` with each [from, to] replaced once. */
async function problemsOfVariant(
  file: string,
  ...edits: readonly (readonly [string, string])[]
): Promise<string[]> {
  let text = read(file)
  for (const [from, to] of edits) {
    expect(text).toContain(from)
    text = text.replace(from, to)
  }
  // lines are left out: they move as the workflows are edited, and the message names the thing
  return (await checkText(file, text, catalog)).map(
    (problem) => `${problem.file}: ${problem.message}`
  )
}

describe("GitHub's language service", () => {
  it('finds no problem in any workflow or action.yml of the tree', async () => {
    const files = defaultFiles(ROOT)
    expect(files).toEqual(
      expect.arrayContaining([
        'workflows/release.yml',
        '.github/workflows/ci.yml',
        'actions/promote/action.yml'
      ])
    )
    expect((await checkFiles(ROOT, files)).map(formatProblem)).toEqual([])
  })

  it('fails a job with a misspelt key', async () => {
    expect(
      await problemsOfVariant('workflows/pr.yml', [
        '    timeout-minutes: 15',
        '    timeout-minute: 15'
      ])
    ).toEqual(["workflows/pr.yml: Unexpected value 'timeout-minute'"])
  })

  it('fails a misspelt input of a local action and of a pinned third-party action', async () => {
    expect(
      await problemsOfVariant(
        'workflows/release.yml',
        ["          weight: '20'", "          wieght: '20'"],
        ['persist-credentials: false', 'persist-credential: false']
      )
    ).toEqual([
      "workflows/release.yml: Invalid action input 'persist-credential'",
      "workflows/release.yml: Invalid action input 'wieght'"
    ])
  })

  it('fails a misspelt output of a step, and of a job', async () => {
    expect(
      await problemsOfVariant(
        'workflows/dev.yml',
        ['steps.deploy.outputs.previous-image', 'steps.deploy.outputs.previous-imag'],
        ['needs.deploy.outputs.environment-url', 'needs.deploy.outputs.environment-ur']
      )
    ).toEqual([
      'workflows/dev.yml: Context access might be invalid: previous-imag',
      'workflows/dev.yml: Context access might be invalid: environment-ur'
    ])
  })

  it('leaves the outputs of a run: step open, as they are whatever its script writes', async () => {
    expect(
      await problemsOfVariant('workflows/release.yml', [
        'steps.version.outputs.tag',
        'steps.version.outputs.anything'
      ])
    ).toEqual([])
  })

  it('fails a local action that does not exist and a third-party commit not in the catalog', async () => {
    expect(
      await problemsOfVariant(
        'workflows/pr.yml',
        ['uses: ./actions/build-image', 'uses: ./actions/build-images'],
        [
          'actions/setup-node@49933ea5288caeca8642d1e84afbd3f7d6820020',
          'actions/setup-node@1d0ff469b7ec7b3cb9d8673fde0c81c44821de2a'
        ]
      )
    ).toEqual([
      'workflows/pr.yml: Unable to resolve action `actions/setup-node@1d0ff469b7ec7b3cb9d8673fde0c81c44821de2a`, repository or version not found',
      'workflows/pr.yml: Unable to resolve action `rollout-kit/rollout-kit/actions/build-images@local`, repository or version not found'
    ])
  })

  it('fails a missing required input, a bad context and a bad expression', async () => {
    expect(
      await problemsOfVariant('workflows/pr.yml', [
        '          image: ${{ steps.image.outputs.name }}\n',
        ''
      ])
    ).toEqual(['workflows/pr.yml: Missing required input `image`'])
    expect(
      await problemsOfVariant(
        'workflows/integration.yml',
        ['${{ inputs.environment-url }}', '${{ input.environment-url }}'],
        ['if: always()', 'if: always() &&']
      )
    ).toEqual([
      "workflows/integration.yml: Unrecognized named-value: 'input'",
      "workflows/integration.yml: Unexpected end of expression: '&&'"
    ])
  })

  it('accepts node24 in action.yml and fails a runtime GitHub does not know', async () => {
    const text = read('actions/deploy-dev/action.yml')
    expect(text).toContain('using: node24')
    expect(await checkText('actions/deploy-dev/action.yml', text, catalog)).toEqual([])
    const problems = await checkText(
      'actions/deploy-dev/action.yml',
      text.replace('using: node24', 'using: node99'),
      catalog
    )
    expect(problems.map((p) => p.message)).toEqual(["Unexpected value 'node99'"])
  })

  it('presents only ./actions/<name> uses as the catalog’s local references', () => {
    expect(
      presentLocalActions(
        [
          '      - uses: ./actions/promote',
          '        uses: ./actions/build-image/ # trailing slash',
          '      - uses: ./other/thing',
          '      - uses: actions/checkout@v4'
        ].join('\n')
      )
    ).toBe(
      [
        '      - uses: rollout-kit/rollout-kit/actions/promote@local',
        '        uses: rollout-kit/rollout-kit/actions/build-image@local # trailing slash',
        '      - uses: ./other/thing',
        '      - uses: actions/checkout@v4'
      ].join('\n')
    )
  })
})
