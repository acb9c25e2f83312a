/**
 * Reads a step's evaluated `with:` the way the runner hands it to the action (`INPUT_<NAME>`, the
 * action.yml defaults for what is not given) through the action's own input parser: what a
 * workflow passes is checked against what the action accepts, not only against input names.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { readInputs as buildImageInputs } from '../../src/actions/build-image/inputs.js'
import { readInputs as canaryGateInputs } from '../../src/actions/canary-gate/inputs.js'
import { readInputs as deployDevInputs } from '../../src/actions/deploy-dev/inputs.js'
import { readInputs as promoteInputs } from '../../src/actions/promote/inputs.js'
import { ROOT } from './linters.js'

const READERS = {
  'build-image': buildImageInputs,
  'canary-gate': canaryGateInputs,
  'deploy-dev': deployDevInputs,
  promote: promoteInputs
} as const

export type ActionName = keyof typeof READERS

const variable = (name: string) => `INPUT_${name.replace(/ /g, '_').toUpperCase()}`

/**
 * The action's parsed inputs for `given` (its `with:`), or the error its parser throws. The
 * process's INPUT_ variables are put back as they were. `core.setSecret` lines go to stdout as in
 * a run; nothing else is done.
 */
export function readWith(
  action: ActionName,
  given: Readonly<Record<string, string>>
): { inputs: unknown } | { error: string } {
  const metadata = parse(readFileSync(join(ROOT, 'actions', action, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default?: string }>
  }
  const saved = Object.fromEntries(
    Object.keys(process.env)
      .filter((key) => key.startsWith('INPUT_'))
      .map((key) => [key, process.env[key]])
  )
  for (const key of Object.keys(saved)) delete process.env[key]
  const write = process.stdout.write
  try {
    for (const [name, input] of Object.entries(metadata.inputs)) {
      const value = given[name] ?? input.default ?? ''
      process.env[variable(name)] = value
    }
    // the mask commands the parsers issue are the runner's business, not the test log's
    process.stdout.write = () => true
    return { inputs: READERS[action]() }
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) }
  } finally {
    process.stdout.write = write
    for (const key of Object.keys(process.env))
      if (key.startsWith('INPUT_')) delete process.env[key]
    Object.assign(process.env, saved)
  }
}
