/**
 * Plays a workflow's job graph the way GitHub's runner service decides it, for scenario tests: the
 * workflow is parsed and converted by `@actions/workflow-parser` and every `if:`, job output,
 * environment name, concurrency group and step input is evaluated by `@actions/expressions`, the
 * evaluator GitHub's own tools use. What the simulation adds is only what those libraries leave to
 * the service: the order of jobs, the status functions (`success()`, `failure()`, `cancelled()`,
 * `always()`) over the jobs and steps that ran, skipping, required reviewers, and what a newer run
 * does to an older one in the same concurrency group.
 *
 * A scenario says what each step does (its outcome and outputs, default: success and none),
 * which environments' reviewers reject, and whether the run is cancelled; the play returns, for
 * each job, whether it ran and its result, outputs, environment and the inputs its steps got.
 * Every explicit `if:` records the values it took, so that a test file can require each to have
 * been both true and false across its scenarios.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { data, Evaluator, Lexer, Parser } from '@actions/expressions'
import type { FunctionDefinition } from '@actions/expressions/funcs/info'
import {
  convertWorkflowTemplate,
  isBasicExpression,
  isMapping,
  isString,
  NoOperationTraceWriter,
  parseWorkflow,
  type WorkflowTemplate
} from '@actions/workflow-parser'
import type { Job, Step } from '@actions/workflow-parser/model/workflow-template'
import type { MappingToken } from '@actions/workflow-parser/templates/tokens/mapping-token'
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token'
import { ROOT } from './linters.js'

export type Outcome = 'success' | 'failure' | 'cancelled' | 'skipped'

/** What one step does when it runs. */
export interface StepPlay {
  readonly outcome?: 'success' | 'failure'
  readonly outputs?: Readonly<Record<string, string>>
}

/** The event, what the steps do, and what people and the run do meanwhile. */
export interface Scenario {
  readonly event: {
    readonly name: string
    readonly ref?: string
    readonly inputs?: Readonly<Record<string, string | boolean>>
    readonly payload?: Readonly<Record<string, unknown>>
  }
  /** By `<job>.<step>`, the step named by its `id`, else its `name`. */
  readonly steps?: Readonly<Record<string, StepPlay>>
  /** Environments whose required reviewers reject the deployment (the job fails). */
  readonly rejected?: readonly string[]
  /** The run is cancelled while this job runs. */
  readonly cancelledDuring?: string
  readonly vars?: Readonly<Record<string, string>>
  readonly repository?: string
}

/** A step as it ran (or not). */
export interface StepRun {
  readonly outcome: Outcome
  /** Its `with:` inputs as evaluated (only when it ran). */
  readonly with: Readonly<Record<string, string>>
}

/** A job as it ran (or not). */
export interface JobRun {
  readonly result: Outcome
  readonly ran: boolean
  readonly outputs: Readonly<Record<string, string>>
  readonly environment?: string
  /** Whether GitHub records a Deployment of the environment for the job (`deployment: false` says no). */
  readonly recordsDeployment?: boolean
  readonly steps: Readonly<Record<string, StepRun>>
}

/** A concurrency setting as evaluated. */
export interface Concurrency {
  readonly group: string
  readonly cancelInProgress: boolean
}

interface LoadedJob {
  readonly job: Job
  readonly token: MappingToken
  readonly steps: readonly {
    readonly key: string
    readonly step: Step
    readonly token: MappingToken
  }[]
}

/** One workflow file, parsed and converted, with the values its explicit `if:`s have taken. */
export class Workflow {
  private readonly seen = new Map<string, Set<boolean>>()

  private constructor(
    readonly file: string,
    private readonly template: WorkflowTemplate,
    private readonly root: MappingToken,
    private readonly jobs: readonly LoadedJob[],
    private readonly names: { secrets: string[]; vars: string[] }
  ) {}

  /** Loads `file` (relative to the repository's root). */
  static async load(file: string): Promise<Workflow> {
    const content = readFileSync(join(ROOT, file), 'utf8')
    const parsed = parseWorkflow({ name: file, content }, new NoOperationTraceWriter())
    if (!parsed.value) throw new Error(`${file} does not parse`)
    const template = await convertWorkflowTemplate(parsed.context, parsed.value)
    const errors = parsed.context.errors.getErrors()
    if (errors.length > 0) {
      throw new Error(`${file}: ${errors.map((e) => e.message).join('; ')}`)
    }
    const root = parsed.value as MappingToken
    const jobTokens = valueOf(root, 'jobs') as MappingToken
    const jobs = (template.jobs as Job[]).map((job): LoadedJob => {
      const token = valueOf(jobTokens, job.id.value) as MappingToken
      const stepTokens = [...(valueOf(token, 'steps') as unknown as Iterable<MappingToken>)]
      const steps = job.steps.map((step, i) => ({
        key: step.id.startsWith('__') ? (step.name?.toString() ?? step.id) : step.id,
        step,
        token: stepTokens[i]
      }))
      return { job, token, steps }
    })
    const names = (prefix: string) => [
      ...new Set(
        [...content.matchAll(new RegExp(`${prefix}\\.([A-Za-z_][A-Za-z0-9_]*)`, 'g'))].map(
          (m) => m[1]
        )
      )
    ]
    return new Workflow(file, template, root, jobs, {
      secrets: names('secrets'),
      vars: names('vars')
    })
  }

  /** The jobs' ids, in the file's order. */
  get jobIds(): string[] {
    return this.jobs.map((j) => j.job.id.value)
  }

  /** The explicit `if:`s (`<job>` or `<job>.<step>`) not yet seen both true and false. */
  uncovered(): string[] {
    // an `if: always()` can only be true: seeing it run is all there is to see
    const explicit: { key: string; values: number }[] = []
    const add = (key: string, token: TemplateToken | undefined) => {
      if (token === undefined) return
      explicit.push({ key, values: token.toString().trim() === 'always()' ? 1 : 2 })
    }
    for (const { job, token, steps } of this.jobs) {
      add(job.id.value, valueOf(token, 'if'))
      for (const step of steps) add(`${job.id.value}.${step.key}`, valueOf(step.token, 'if'))
    }
    return explicit
      .filter(({ key, values }) => (this.seen.get(key)?.size ?? 0) < values)
      .map(({ key }) => key)
      .map(
        (key) =>
          `${this.file}: if: of ${key} seen ${[...(this.seen.get(key) ?? [])].join(', ') || 'never'}`
      )
  }

  /** The workflow-level concurrency and each job's, evaluated for the scenario's event. */
  concurrency(scenario: Scenario): { workflow?: Concurrency; jobs: Record<string, Concurrency> } {
    const contexts = this.baseContexts(scenario)
    const jobs: Record<string, Concurrency> = {}
    for (const { job } of this.jobs) {
      const setting = this.concurrencyOf(job.concurrency, contexts)
      if (setting) jobs[job.id.value] = setting
    }
    return { workflow: this.concurrencyOf(this.template.concurrency, contexts), jobs }
  }

  private concurrencyOf(
    token: TemplateToken | undefined,
    contexts: Contexts
  ): Concurrency | undefined {
    if (!token) return undefined
    if (!isMapping(token)) return { group: this.text(token, contexts), cancelInProgress: false }
    const group = valueOf(token, 'group')
    const cancel = valueOf(token, 'cancel-in-progress')
    return {
      group: group ? this.text(group, contexts) : '',
      cancelInProgress: cancel ? this.text(cancel, contexts) === 'true' : false
    }
  }

  /** Plays the scenario through the job graph; every job, ran or skipped. */
  play(scenario: Scenario): Record<string, JobRun> {
    const known = new Set(
      this.jobs.flatMap(({ job, steps }) => steps.map((s) => `${job.id.value}.${s.key}`))
    )
    const unknown = Object.keys(scenario.steps ?? {}).filter((key) => !known.has(key))
    if (unknown.length > 0) {
      throw new Error(
        `${this.file} has no step ${unknown.join(', ')} (it has: ${[...known].join(', ')})`
      )
    }
    const runs: Record<string, JobRun> = {}
    let cancelled = false
    const pending = [...this.jobs]
    while (pending.length > 0) {
      const at = pending.findIndex(({ job }) => (job.needs ?? []).every((n) => n.value in runs))
      if (at < 0)
        throw new Error(
          `${this.file}: the needs of ${pending.map((j) => j.job.id.value)} make a circle`
        )
      const [loaded] = pending.splice(at, 1)
      const id = loaded.job.id.value
      runs[id] = this.playJob(loaded, scenario, runs, cancelled)
      if (scenario.cancelledDuring === id) cancelled = true
    }
    return runs
  }

  private playJob(
    { job, steps }: LoadedJob,
    scenario: Scenario,
    runs: Record<string, JobRun>,
    cancelled: boolean
  ): JobRun {
    const id = job.id.value
    const needs = (job.needs ?? []).map((n) => n.value)
    const ancestors = this.ancestors(id)
    const needsContext = Object.fromEntries(
      needs.map((n) => [n, { result: runs[n].result, outputs: runs[n].outputs }])
    )
    const status = {
      success: () =>
        !cancelled &&
        needs.every((n) => runs[n].result === 'success') &&
        ancestors.every((a) => runs[a].result !== 'failure' && runs[a].result !== 'cancelled'),
      failure: () => ancestors.some((a) => runs[a].result === 'failure'),
      cancelled: () => cancelled
    }
    const base = this.baseContexts(scenario)
    const contexts: Contexts = { ...base, needs: needsContext }
    const go = this.condition(id, job.if.expression, contexts, status)
    const skipped: JobRun = { result: 'skipped', ran: false, outputs: {}, steps: {} }
    if (!go) return skipped
    const environment = this.environmentOf(job, contexts)
    const deploymentToken =
      job.environment && isMapping(job.environment)
        ? valueOf(job.environment, 'deployment')
        : undefined
    const recordsDeployment = environment
      ? deploymentToken === undefined || this.text(deploymentToken, contexts) !== 'false'
      : undefined
    if (environment && scenario.rejected?.includes(environment)) {
      return {
        result: 'failure',
        ran: true,
        outputs: {},
        environment,
        recordsDeployment,
        steps: {}
      }
    }
    const jobEnv = { ...(base.env as Record<string, string>), ...this.mapping(job.env, contexts) }
    const stepRuns: Record<string, StepRun> = {}
    const stepsContext: Record<
      string,
      { outcome: string; conclusion: string; outputs: Record<string, string> }
    > = {}
    let failed = false
    for (const { key, step, token } of steps) {
      const stepContexts: Contexts = { ...contexts, env: jobEnv, steps: stepsContext }
      const stepStatus = {
        success: () => !failed && !cancelled,
        failure: () => failed,
        cancelled: () => cancelled
      }
      const runsNow = this.condition(
        `${id}.${key}`,
        step.if?.expression ?? 'success()',
        stepContexts,
        stepStatus
      )
      if (!runsNow) {
        stepRuns[key] = { outcome: 'skipped', with: {} }
        if (!step.id.startsWith('__')) {
          stepsContext[step.id] = { outcome: 'skipped', conclusion: 'skipped', outputs: {} }
        }
        continue
      }
      const env = { ...jobEnv, ...this.mapping(valueOf(token, 'env'), stepContexts) }
      const given = this.mapping(valueOf(token, 'with'), { ...stepContexts, env })
      const play = scenario.steps?.[`${id}.${key}`] ?? {}
      const outcome = play.outcome ?? (failsItself(step) ? 'failure' : 'success')
      const continueOnError = step['continue-on-error'] === true
      if (outcome === 'failure' && !continueOnError) failed = true
      stepRuns[key] = { outcome, with: given }
      if (!step.id.startsWith('__')) {
        stepsContext[step.id] = {
          outcome,
          conclusion: continueOnError ? 'success' : outcome,
          outputs: { ...play.outputs }
        }
      }
    }
    const outputs = this.mapping(job.outputs, { ...contexts, env: jobEnv, steps: stepsContext })
    const result: Outcome =
      scenario.cancelledDuring === id ? 'cancelled' : failed ? 'failure' : 'success'
    return { result, ran: true, outputs, environment, recordsDeployment, steps: stepRuns }
  }

  /** The jobs `id` needs, directly or through others. */
  private ancestors(id: string): string[] {
    const byId = new Map(this.jobs.map((j) => [j.job.id.value, j.job]))
    const found = new Set<string>()
    const visit = (job: string) => {
      for (const need of byId.get(job)?.needs ?? []) {
        if (!found.has(need.value)) {
          found.add(need.value)
          visit(need.value)
        }
      }
    }
    visit(id)
    return [...found]
  }

  private environmentOf(job: Job, contexts: Contexts): string | undefined {
    const token = job.environment
    if (!token) return undefined
    const name = isMapping(token) ? valueOf(token, 'name') : token
    return name ? this.text(name, contexts) : undefined
  }

  /** Evaluates an `if:` (already wrapped in `success() && (…)` by the converter when it has no status function). */
  private condition(
    key: string,
    expression: string,
    contexts: Contexts,
    status: { success(): boolean; failure(): boolean; cancelled(): boolean }
  ): boolean {
    const value = evaluate(expression, contexts, {
      success: status.success,
      failure: status.failure,
      cancelled: status.cancelled,
      always: () => true
    })
    const truthy = truthyOf(value)
    const seen = this.seen.get(key) ?? new Set<boolean>()
    seen.add(truthy)
    this.seen.set(key, seen)
    return truthy
  }

  private baseContexts(scenario: Scenario): Contexts {
    const repository = scenario.repository ?? 'acme/app'
    const dispatch = this.template.events.workflow_dispatch?.inputs ?? {}
    const inputs =
      scenario.event.name === 'workflow_dispatch'
        ? {
            ...Object.fromEntries(
              Object.entries(dispatch).map(([name, input]) => [
                name,
                input.default ?? (input.type === 'boolean' ? false : '')
              ])
            ),
            ...scenario.event.inputs
          }
        : {}
    const github = {
      event_name: scenario.event.name,
      ref: scenario.event.ref ?? 'refs/heads/main',
      sha: '0123456789abcdef0123456789abcdef01234567',
      repository,
      repository_owner: repository.split('/')[0],
      actor: 'octocat',
      server_url: 'https://github.com',
      run_id: '1',
      workflow: 'workflow',
      event: {
        ...scenario.event.payload,
        ...(scenario.event.name === 'workflow_dispatch' ? { inputs } : {})
      }
    }
    const secrets = Object.fromEntries(this.names.secrets.map((s) => [s, `<secrets.${s}>`]))
    const vars = {
      ...Object.fromEntries(this.names.vars.map((v) => [v, `<vars.${v}>`])),
      ...scenario.vars
    }
    const contexts: Contexts = { github, inputs, secrets, vars, env: {} }
    const env = this.mapping(valueOf(this.root, 'env'), contexts)
    return { ...contexts, env }
  }

  /** A mapping token's values as evaluated strings. */
  private mapping(token: TemplateToken | undefined, contexts: Contexts): Record<string, string> {
    if (!token || !isMapping(token)) return {}
    const result: Record<string, string> = {}
    for (const { key, value } of token) result[key.toString()] = this.text(value, contexts)
    return result
  }

  /** A token's value as the string an action or script gets. */
  private text(token: TemplateToken, contexts: Contexts): string {
    if (isBasicExpression(token)) return stringOf(evaluate(token.expression, contexts, {}))
    if (isString(token)) return token.value
    return token.toString()
  }
}

type Contexts = Readonly<Record<string, unknown>>

function valueOf(mapping: TemplateToken, key: string): TemplateToken | undefined {
  if (!isMapping(mapping)) return undefined
  for (const pair of mapping) if (pair.key.toString() === key) return pair.value
  return undefined
}

function evaluate(
  expression: string,
  contexts: Contexts,
  functions: Readonly<Record<string, () => boolean>>
): data.ExpressionData {
  const definitions: FunctionDefinition[] = Object.entries(functions).map(([name, call]) => ({
    name,
    minArgs: 0,
    maxArgs: 0,
    call: () => new data.BooleanData(call())
  }))
  const lexed = new Lexer(expression).lex()
  const tree = new Parser(lexed.tokens, Object.keys(contexts), definitions).parse()
  const context = JSON.parse(JSON.stringify(contexts), data.reviver) as data.Dictionary
  return new Evaluator(
    tree,
    context,
    new Map(definitions.map((d) => [d.name.toLowerCase(), d]))
  ).evaluate()
}

/** A `run:` step whose script ends in an unconditional `exit 1`: it fails whenever it runs. */
function failsItself(step: Step): boolean {
  const script = 'run' in step ? step.run.toString() : ''
  return /(^|\n)\s*exit 1\s*$/.test(script.trim())
}

/** GitHub's truthiness: false, 0, '', null are false. */
function truthyOf(value: data.ExpressionData): boolean {
  switch (value.kind) {
    case data.Kind.Boolean:
      return (value as data.BooleanData).value
    case data.Kind.Null:
      return false
    case data.Kind.Number:
      return (value as data.NumberData).value !== 0
    case data.Kind.String:
      return (value as data.StringData).value !== ''
    default:
      return true
  }
}

/** The string a value becomes in a `with:`, `env:` or output: null is ''. */
function stringOf(value: data.ExpressionData): string {
  return value.kind === data.Kind.Null ? '' : value.coerceString()
}

/** An older run of a workflow, and the jobs it has running when a newer run gets somewhere. */
export interface OlderRun {
  readonly scenario: Scenario
  readonly running: readonly string[]
}

/**
 * What a newer run does to an older one when it starts (`reaching: 'start'`) or when one of its
 * jobs is about to start: in the same group, a `cancel-in-progress` newcomer cancels what holds the
 * group (the whole older run for a workflow-level group, the one job for a job-level group); one
 * without it waits for the group. Returns the older run's jobs cancelled and whether the newer waits.
 */
export function newerRun(
  workflow: Workflow,
  older: OlderRun,
  newer: { readonly scenario: Scenario; readonly reaching: string }
): { cancelled: string[]; waits: boolean } {
  const before = workflow.concurrency(older.scenario)
  const after = workflow.concurrency(newer.scenario)
  if (newer.reaching === 'start') {
    if (!before.workflow || !after.workflow || before.workflow.group !== after.workflow.group) {
      return { cancelled: [], waits: false }
    }
    return after.workflow.cancelInProgress
      ? { cancelled: [...older.running], waits: false }
      : { cancelled: [], waits: older.running.length > 0 }
  }
  const mine = after.jobs[newer.reaching]
  if (!mine) return { cancelled: [], waits: false }
  const holders = older.running.filter((job) => before.jobs[job]?.group === mine.group)
  if (holders.length === 0) return { cancelled: [], waits: false }
  return mine.cancelInProgress
    ? { cancelled: holders, waits: false }
    : { cancelled: [], waits: true }
}
