/** Running the build tools: failures decided by exit code, reported with the end of stderr. */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as exec from '@actions/exec'
import type { BuildSecret } from './builder.js'
import { ToolError } from './errors.js'

/** How to run one tool command. */
export interface ToolOptions {
  /** Environment over the current process's. */
  readonly env?: Readonly<Record<string, string>>
  /** Text for stdin, e.g. a password for `--password-stdin`. */
  readonly input?: string
  /** Keep the tool's output out of the log. */
  readonly silent?: boolean
}

/** A finished command's output. */
export interface ToolOutput {
  readonly stdout: string
  readonly stderr: string
}

/** Runs `command args`; throws a ToolError named `label` (e.g. `buildah bud`) on a non-zero exit. */
export async function runTool(
  label: string,
  command: string,
  args: readonly string[],
  options: ToolOptions = {}
): Promise<ToolOutput> {
  const result = await exec.getExecOutput(command, [...args], {
    ignoreReturnCode: true,
    silent: options.silent ?? false,
    env: toolEnv(options.env),
    input: options.input === undefined ? undefined : Buffer.from(options.input)
  })
  if (result.exitCode !== 0) {
    throw new ToolError(label, result.exitCode, lastLines(result.stderr || result.stdout))
  }
  return { stdout: result.stdout, stderr: result.stderr }
}

/**
 * The end of a tool's output: from its last `Error:` line (buildah, docker and buildx start the
 * final error so, after any retry chatter), else the last lines; `count` non-blank lines at most.
 */
export function lastLines(text: string, count = 8): string {
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== '')
  const error = lines.findLastIndex((line) => /^error\b/i.test(line))
  return lines
    .slice(error >= 0 ? error : 0)
    .slice(-count)
    .join('\n')
}

function toolEnv(extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined) env[key] = value
  }
  return { ...env, ...extra }
}

/** Runs `fn` with a private (0700) temporary directory in RUNNER_TEMP or the OS's, removed after. */
export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(process.env.RUNNER_TEMP || tmpdir(), 'rollout-kit-build-'))
  try {
    return await fn(dir)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/**
 * The build's secrets as files, by id: a value is written to a 0600 file in `dir` (the build's own
 * temporary folder, removed after it), a file is used where it is.
 */
export async function secretFiles(
  dir: string,
  secrets: readonly BuildSecret[] = []
): Promise<[string, string][]> {
  const files: [string, string][] = []
  for (const [index, secret] of secrets.entries()) {
    if ('file' in secret) {
      files.push([secret.id, secret.file])
      continue
    }
    const path = join(dir, `secret-${index}`)
    await writeFile(path, secret.value, { mode: 0o600 })
    files.push([secret.id, path])
  }
  return files
}

/** A file's text, or undefined when it cannot be read. */
export async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8')
  } catch {
    // Absent is a normal state for the files read here (system configs, earlier logins, reports).
    return undefined
  }
}
