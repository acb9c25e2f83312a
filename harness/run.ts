import { spawn } from 'node:child_process'

/** What a finished command left behind. */
export interface RunResult {
  readonly exitCode: number
  readonly stdout: string
  readonly stderr: string
}

/** Options for {@link run}. */
export interface RunOptions {
  /** Variables added to process.env for the child. */
  readonly env?: Record<string, string>
  readonly cwd?: string
  /** Data written to stdin (closed afterwards either way). */
  readonly input?: string
  /** Resolve with a non-zero exit code instead of throwing. */
  readonly allowFailure?: boolean
  /** Kill the command after this long (default 120 s). */
  readonly timeoutMs?: number
}

/** Runs a command without a shell; throws with the command line, exit code and stderr on failure. */
export async function run(
  cmd: string,
  args: readonly string[],
  options: RunOptions = {}
): Promise<RunResult> {
  const child = spawn(cmd, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
    timeout: options.timeoutMs ?? 120_000
  })
  const stdout: Buffer[] = []
  const stderr: Buffer[] = []
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk))
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk))
  // a child that exits before reading its stdin (openssl does) makes the write fail with EPIPE;
  // the exit code below is what decides the outcome
  child.stdin.on('error', () => undefined)
  child.stdin.end(options.input ?? '')
  const exitCode = await new Promise<number>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)))
  })
  const result = {
    exitCode,
    stdout: Buffer.concat(stdout).toString('utf8'),
    stderr: Buffer.concat(stderr).toString('utf8')
  }
  if (exitCode !== 0 && !options.allowFailure) {
    const shown = redact(args).join(' ')
    const output = result.stderr.trim() || result.stdout.trim()
    throw new Error(`${cmd} ${shown} exited with ${exitCode}:\n${output}`)
  }
  return result
}

/** Hides the value of every `--*creds` flag so test logs do not show passwords. */
function redact(args: readonly string[]): string[] {
  return args.map((arg, i) => {
    if (/^--[a-z-]*creds=/.test(arg)) return arg.replace(/=.*/, '=***')
    return i > 0 && /^--[a-z-]*creds$/.test(args[i - 1] ?? '') ? '***' : arg
  })
}
