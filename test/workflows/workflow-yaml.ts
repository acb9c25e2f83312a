import { parse } from 'yaml'

/** A YAML mapping as parsed, keys to unknown values. */
export type Mapping = Readonly<Record<string, unknown>>

/** One step of a job, with the label problems name it by. */
export interface Step {
  readonly label: string
  readonly body: Mapping
}

/** One job of a workflow. */
export interface Job {
  readonly id: string
  readonly body: Mapping
  readonly steps: readonly Step[]
}

/** The value as a mapping, or an empty one when it is not a mapping. */
export function asMapping(value: unknown): Mapping {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Mapping)
    : {}
}

/** Parses a workflow's text into its top-level mapping and its jobs, steps labelled by id or name. */
export function parseWorkflow(text: string): { readonly top: Mapping; readonly jobs: Job[] } {
  const top = asMapping(parse(text))
  const jobs = Object.entries(asMapping(top.jobs)).map(([id, value]): Job => {
    const body = asMapping(value)
    const steps = (Array.isArray(body.steps) ? body.steps : []).map((raw: unknown, i): Step => {
      const step = asMapping(raw)
      const name = step.id ?? step.name
      return { label: typeof name === 'string' ? name : `#${i + 1}`, body: step }
    })
    return { id, body, steps }
  })
  return { top, jobs }
}

/** Every string inside a parsed YAML value (mapping values and sequence items, recursively). */
export function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value]
  if (Array.isArray(value)) return value.flatMap(stringsIn)
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(stringsIn)
  return []
}

const EXPRESSION = /\$\{\{([\s\S]*?)\}\}/g

/** The bodies of the `${{ … }}` expressions in a string. */
export function expressionsIn(text: string): string[] {
  return [...text.matchAll(EXPRESSION)].map((match) => match[1])
}

/** `<context>.<id>.outputs.<name>` references in expressions, in dot or `['name']` form. */
export function outputReferences(
  context: 'steps' | 'needs',
  expressions: readonly string[]
): { readonly id: string; readonly output: string }[] {
  const pattern = new RegExp(
    `\\b${context}\\.([A-Za-z_][\\w-]*)\\.outputs(?:\\.([A-Za-z_][\\w-]*)|\\[\\s*'([^']+)'\\s*\\])`,
    'g'
  )
  return expressions.flatMap((expression) =>
    [...expression.matchAll(pattern)].map((m) => ({ id: m[1], output: m[2] ?? m[3] }))
  )
}
