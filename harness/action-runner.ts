import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

/** The repository root (harness/..). */
export const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..')

/** What a run of an action bundle left behind. */
export interface ActionResult {
  readonly exitCode: number
  readonly stdout: string
  readonly stderr: string
  /** From the `GITHUB_OUTPUT` file (`name<<delimiter` blocks and `name=value` lines). */
  readonly outputs: Record<string, string>
  /** The `GITHUB_STEP_SUMMARY` file's content. */
  readonly summary: string
  /** From the `GITHUB_STATE` file; pass as `STATE_<name>` env to a post step. */
  readonly state: Record<string, string>
  /** From the `GITHUB_ENV` file. */
  readonly exportedEnv: Record<string, string>
  /** Values masked with `::add-mask::`, in order. */
  readonly masks: string[]
  /** With `signalWhen`: milliseconds from the signal to the process's exit (undefined: not sent). */
  readonly exitAfterSignalMs?: number
  /** `::error::`, `::warning::` and `::notice::` lines, in order. */
  readonly annotations: {
    readonly level: 'error' | 'warning' | 'notice'
    readonly message: string
  }[]
}

/** Options for {@link runAction}. */
export interface RunActionOptions {
  /** The action's directory (default `actions/<name>` in the repository). */
  readonly actionDir?: string
  /** The workspace (`GITHUB_WORKSPACE`, also the working directory; default a fresh temp dir). */
  readonly workspace?: string
  /** Kill the action after this long (default 120 s). */
  readonly timeoutMs?: number
  /** Run the `post` entry instead of `main`. */
  readonly post?: boolean
  /**
   * Send `signal` to the action (as the runner does when it cancels) once its stdout so far matches
   * `after`, or once `after()` is true (asked every 50 ms).
   */
  readonly signalWhen?: {
    readonly signal: NodeJS.Signals
    readonly after: RegExp | (() => boolean)
  }
}

/**
 * Runs `node actions/<name>/dist/index.js` (the committed bundle) the way the runner does: INPUT_*
 * from `inputs` over the action.yml defaults, temp GITHUB_OUTPUT/STEP_SUMMARY/STATE/ENV/PATH files,
 * RUNNER_TEMP and GITHUB_WORKSPACE. GITHUB_*, RUNNER_* and INPUT_* of the calling process are not
 * passed on (nor jest's NODE_OPTIONS), so tests behave the same on a real runner.
 */
export async function runAction(
  name: string,
  inputs: Record<string, string>,
  env: Record<string, string> = {},
  options: RunActionOptions = {}
): Promise<ActionResult> {
  const actionDir = options.actionDir ?? join(REPO_ROOT, 'actions', name)
  const metadata = readActionMetadata(actionDir)
  const entry = options.post ? metadata.runs?.post : metadata.runs?.main
  if (!entry)
    throw new Error(`${actionDir}/action.yml has no runs.${options.post ? 'post' : 'main'}`)
  const dir = mkdtempSync(join(tmpdir(), `rollout-kit-action-${name}-`))
  try {
    const files = {
      GITHUB_OUTPUT: join(dir, 'output'),
      GITHUB_STEP_SUMMARY: join(dir, 'summary'),
      GITHUB_STATE: join(dir, 'state'),
      GITHUB_ENV: join(dir, 'env'),
      GITHUB_PATH: join(dir, 'path')
    }
    for (const file of Object.values(files)) writeFileSync(file, '')
    const workspace = options.workspace ?? join(dir, 'workspace')
    const runnerTemp = join(dir, 'runner-temp')
    mkdirSync(workspace, { recursive: true })
    mkdirSync(runnerTemp, { recursive: true })
    const context = { ...env, GITHUB_WORKSPACE: workspace, RUNNER_TEMP: runnerTemp }
    const childEnv = {
      ...inheritedEnv(),
      GITHUB_ACTIONS: 'true',
      CI: 'true',
      RUNNER_OS: 'Linux',
      RUNNER_ARCH: process.arch === 'arm64' ? 'ARM64' : 'X64',
      GITHUB_ACTION_PATH: actionDir,
      ...files,
      ...context,
      ...inputEnv({ ...actionDefaults(actionDir, context), ...inputs })
    }
    const { exitCode, stdout, stderr, exitAfterSignalMs } = await spawnNode(
      join(actionDir, entry),
      workspace,
      childEnv,
      options.timeoutMs,
      options.signalWhen
    )
    return {
      exitCode,
      stdout,
      stderr,
      outputs: parseCommandFile(readFileSync(files.GITHUB_OUTPUT, 'utf8')),
      summary: readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8'),
      state: parseCommandFile(readFileSync(files.GITHUB_STATE, 'utf8')),
      exportedEnv: parseCommandFile(readFileSync(files.GITHUB_ENV, 'utf8')),
      exitAfterSignalMs,
      ...parseWorkflowCommands(stdout)
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** `{ 'registry-username': 'x' }` → `{ 'INPUT_REGISTRY-USERNAME': 'x' }`: upper-cased, spaces → `_`. */
export function inputEnv(inputs: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(inputs).map(([key, value]) => [
      `INPUT_${key.replace(/ /g, '_').toUpperCase()}`,
      value
    ])
  )
}

/**
 * Sets INPUT_* in process.env for an in-process test of `readInputs()`: the action.yml defaults of
 * actions/<name>, then `inputs`. Returns a function that restores process.env.
 */
export function setActionInputs(
  name: string,
  inputs: Record<string, string>,
  actionDir?: string
): () => void {
  const vars = inputEnv({
    ...actionDefaults(actionDir ?? join(REPO_ROOT, 'actions', name), process.env),
    ...inputs
  })
  const saved = Object.fromEntries(
    Object.keys(process.env)
      .filter(isInput)
      .map((key) => [key, process.env[key]])
  )
  for (const key of Object.keys(saved)) delete process.env[key]
  Object.assign(process.env, vars)
  return () => {
    for (const key of Object.keys(process.env).filter(isInput)) delete process.env[key]
    Object.assign(process.env, saved)
  }
}

interface ActionMetadata {
  readonly inputs?: Record<string, { default?: unknown } | null>
  readonly runs?: { main?: string; post?: string }
}

function readActionMetadata(actionDir: string): ActionMetadata {
  return (parse(readFileSync(join(actionDir, 'action.yml'), 'utf8')) ?? {}) as ActionMetadata
}

/**
 * The defaults the runner would pass: every input with a `default`, as a string, with the few
 * `${{ github.* }}`/`${{ runner.* }}` expressions that action.yml defaults use evaluated from `context`.
 */
export function actionDefaults(
  actionDir: string,
  context: Record<string, string | undefined> = {}
): Record<string, string> {
  const defaults: Record<string, string> = {}
  for (const [name, input] of Object.entries(readActionMetadata(actionDir).inputs ?? {})) {
    if (input?.default === undefined || input.default === null) continue
    defaults[name] = String(input.default).replace(
      /\$\{\{\s*([\w.]+)\s*\}\}/g,
      (_match, expr: string) => evaluate(expr, context, actionDir)
    )
  }
  return defaults
}

const EXPRESSIONS: Record<string, string> = {
  'github.token': 'GITHUB_TOKEN',
  'github.workspace': 'GITHUB_WORKSPACE',
  'github.repository': 'GITHUB_REPOSITORY',
  'github.server_url': 'GITHUB_SERVER_URL',
  'github.api_url': 'GITHUB_API_URL',
  'github.sha': 'GITHUB_SHA',
  'github.ref': 'GITHUB_REF',
  'runner.temp': 'RUNNER_TEMP'
}

function evaluate(
  expr: string,
  context: Record<string, string | undefined>,
  actionDir: string
): string {
  const variable = EXPRESSIONS[expr]
  if (!variable)
    throw new Error(
      `${actionDir}/action.yml: default expression \${{ ${expr} }} is not supported by runAction`
    )
  return context[variable] ?? ''
}

/** Parses the runner's file-command format: `name<<delimiter\nvalue\ndelimiter` and `name=value`. */
export function parseCommandFile(text: string): Record<string, string> {
  const result: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? ''
    const heredoc = /^([^=]+?)<<(.+)$/.exec(line)
    if (heredoc?.[1] && heredoc[2]) {
      const end = lines.indexOf(heredoc[2], i + 1)
      if (end < 0)
        throw new Error(`command file: no closing delimiter ${heredoc[2]} for ${heredoc[1]}`)
      result[heredoc[1]] = lines.slice(i + 1, end).join('\n')
      i = end
    } else if (line.includes('=')) {
      result[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1)
    }
  }
  return result
}

function parseWorkflowCommands(stdout: string): Pick<ActionResult, 'masks' | 'annotations'> {
  const masks: string[] = []
  const annotations: ActionResult['annotations'] = []
  for (const line of stdout.split('\n')) {
    const match = /^::(add-mask|error|warning|notice)(?: [^:]*)?::(.*)$/.exec(
      line.replace(/\r$/, '')
    )
    if (!match?.[1]) continue
    const message = unescapeData(match[2] ?? '')
    if (match[1] === 'add-mask') masks.push(message)
    else annotations.push({ level: match[1] as 'error' | 'warning' | 'notice', message })
  }
  return { masks, annotations }
}

/** Reverses @actions/core's escapeData. */
function unescapeData(value: string): string {
  return value.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%')
}

function isInput(key: string): boolean {
  return key.startsWith('INPUT_')
}

function inheritedEnv(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] =>
        entry[1] !== undefined &&
        !/^(GITHUB_|RUNNER_|INPUT_|STATE_|ACTIONS_|NODE_OPTIONS$)/.test(entry[0])
    )
  )
}

function spawnNode(
  script: string,
  cwd: string,
  env: Record<string, string>,
  timeoutMs = 120_000,
  signalWhen?: RunActionOptions['signalWhen']
): Promise<{ exitCode: number; stdout: string; stderr: string; exitAfterSignalMs?: number }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [script], {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: timeoutMs
    })
    const stdout: Buffer[] = []
    const stderr: Buffer[] = []
    let signalledAt: number | undefined
    const signal = (): void => {
      if (!signalWhen || signalledAt !== undefined) return
      const { after } = signalWhen
      const due =
        typeof after === 'function' ? after() : after.test(Buffer.concat(stdout).toString('utf8'))
      if (!due) return
      signalledAt = performance.now()
      child.kill(signalWhen.signal)
    }
    const poll = typeof signalWhen?.after === 'function' ? setInterval(signal, 50) : undefined
    child.stdout.on('data', (chunk: Buffer) => {
      stdout.push(chunk)
      signal()
    })
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk))
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearInterval(poll)
      resolvePromise({
        exitCode: code ?? (signal ? 128 : 1),
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        exitAfterSignalMs:
          signalledAt === undefined ? undefined : Math.round(performance.now() - signalledAt)
      })
    })
  })
}
