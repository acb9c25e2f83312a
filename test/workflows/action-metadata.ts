/**
 * Checks an action.yml against GitHub's "Metadata syntax reference"
 * (https://docs.github.com/en/actions/reference/workflows-and-actions/metadata-syntax) for a
 * JavaScript action on node24, plus the project's style (branding present, every default quoted,
 * never `required: true` with a default). The schema itself (node24 included) is checked by GitHub's
 * language service (`npm run check:workflows`); these are the rules it does not have.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { isScalar, parseDocument, Scalar } from 'yaml'
import { BRANDING_COLORS, BRANDING_ICONS } from './branding.js'
import { asMapping, type Mapping } from './workflow-yaml.js'

const TOP_KEYS = ['name', 'author', 'description', 'inputs', 'outputs', 'runs', 'branding']
const INPUT_KEYS = ['description', 'required', 'default', 'deprecationMessage']
const RUNS_KEYS = ['using', 'main', 'pre', 'pre-if', 'post', 'post-if']
const QUOTED: readonly unknown[] = [
  Scalar.QUOTE_SINGLE,
  Scalar.QUOTE_DOUBLE,
  Scalar.BLOCK_FOLDED,
  Scalar.BLOCK_LITERAL
]

function text(value: unknown): boolean {
  return typeof value === 'string' && value.trim() !== ''
}

function unknownKeys(where: string, value: Mapping, allowed: readonly string[]): string[] {
  return Object.keys(value)
    .filter((key) => !allowed.includes(key))
    .map((key) => `${where}: unknown key '${key}' (allowed: ${allowed.join(', ')})`)
}

function checkRuns(dir: string, runs: Mapping): string[] {
  const problems = unknownKeys('runs', runs, RUNS_KEYS)
  if (runs.using !== 'node24') problems.push(`runs.using is ${String(runs.using)}; expected node24`)
  for (const key of ['main', 'pre', 'post']) {
    const file = runs[key]
    if (key === 'main' && !text(file)) problems.push('runs.main is missing')
    else if (typeof file === 'string' && !existsSync(join(dir, file))) {
      problems.push(`runs.${key}: ${file} does not exist in ${dir}`)
    }
  }
  return problems
}

function checkInputs(doc: ReturnType<typeof parseDocument>, inputs: Mapping): string[] {
  return Object.entries(inputs).flatMap(([id, raw]) => {
    const input = asMapping(raw)
    const where = `inputs.${id}`
    const problems = unknownKeys(where, input, INPUT_KEYS)
    if (!text(input.description)) problems.push(`${where} has no description`)
    if ('default' in input) {
      const node = doc.getIn(['inputs', id, 'default'], true)
      if (typeof input.default !== 'string' || !isScalar(node) || !QUOTED.includes(node.type)) {
        problems.push(
          `${where}.default is ${JSON.stringify(input.default)}; expected a quoted string`
        )
      }
      if (input.required === true) problems.push(`${where} is required and has a default`)
    }
    return problems
  })
}

function checkBranding(branding: Mapping): string[] {
  const problems: string[] = []
  const { icon, color } = branding
  if (typeof icon !== 'string' || !BRANDING_ICONS.has(icon)) {
    problems.push(
      `branding.icon is ${String(icon)}; expected one of the Feather icons GitHub lists`
    )
  }
  if (typeof color !== 'string' || !BRANDING_COLORS.has(color)) {
    problems.push(
      `branding.color is ${String(color)}; expected one of: ${[...BRANDING_COLORS].join(', ')}`
    )
  }
  return problems
}

/** Problems with `<dir>/action.yml` as the metadata of a node24 action; empty when there are none. */
export function checkActionMetadata(dir: string): string[] {
  const doc = parseDocument(readFileSync(join(dir, 'action.yml'), 'utf8'))
  if (doc.errors.length > 0) return doc.errors.map((error) => error.message)
  const action = asMapping(doc.toJS())
  const problems = unknownKeys('action.yml', action, TOP_KEYS)
  if (!text(action.name)) problems.push('name is missing')
  if (!text(action.description)) problems.push('description is missing')
  problems.push(...checkRuns(dir, asMapping(action.runs)))
  problems.push(...checkInputs(doc, asMapping(action.inputs)))
  for (const [id, output] of Object.entries(asMapping(action.outputs))) {
    if (!text(asMapping(output).description)) problems.push(`outputs.${id} has no description`)
    problems.push(...unknownKeys(`outputs.${id}`, asMapping(output), ['description']))
  }
  if (!('branding' in action)) problems.push('branding is missing')
  else problems.push(...checkBranding(asMapping(action.branding)))
  return problems
}
