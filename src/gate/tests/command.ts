/**
 * Runs a test command the way a workflow's `run:` step does (`bash --noprofile --norc -eo pipefail`),
 * in its own process group so that a timeout ends it with everything it started.
 *
 * Hand-written on node:child_process rather than @actions/exec: exec cannot start the child
 * detached (a process group of its own) nor kill a group, and its timeout-free promise would wait
 * for grandchildren that keep the output pipes open.
 */
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'

/** How to run a command. */
export interface CommandOptions {
  readonly cwd: string
  /** Variables over the inherited environment. */
  readonly env?: Readonly<Record<string, string>>
  readonly timeoutMs: number
  /** Receives each output line (stdout and stderr) as it comes. */
  readonly onOutput?: (line: string) => void
  /** How many of the last lines to keep; 40 unless set. */
  readonly tailLines?: number
}

/** How a command ended. */
export interface CommandResult {
  /** The shell's exit code; absent when a signal ended it. */
  readonly exitCode?: number
  readonly signal?: string
  readonly timedOut: boolean
  /** The last lines of its output, stdout and stderr interleaved. */
  readonly outputTail: string
}

/** Grace between SIGTERM and SIGKILL for a timed-out process group. */
const KILL_GRACE_MS = 3000
/** How long to wait for the output pipes after the shell exits (a daemon may hold them open). */
const DRAIN_MS = 2000

/** Runs `command` with /bin/bash; kills its process group at timeout and after it exits. */
export async function runCommand(command: string, options: CommandOptions): Promise<CommandResult> {
  const child = spawn('/bin/bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', command], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  const tail = new Tail(options.tailLines ?? 40)
  const closed = Promise.all(
    [child.stdout, child.stderr].map(
      (stream) =>
        new Promise<void>((done) => {
          const lines = createInterface({ input: stream, crlfDelay: Infinity })
          lines.on('line', (line) => {
            tail.push(line)
            options.onOutput?.(line)
          })
          lines.on('close', done)
        })
    )
  )
  let timedOut = false
  let killTimer: NodeJS.Timeout | undefined
  const timer = setTimeout(() => {
    timedOut = true
    killGroup(child.pid, 'SIGTERM')
    killTimer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), KILL_GRACE_MS)
  }, options.timeoutMs)
  try {
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>(
      (done, fail) => {
        child.once('error', fail)
        child.once('exit', (exitCode, exitSignal) => done([exitCode, exitSignal]))
      }
    )
    // whatever the shell left running in its group (servers started with `&`) ends with it
    killGroup(child.pid, 'SIGKILL')
    await Promise.race([closed, new Promise((done) => setTimeout(done, DRAIN_MS).unref())])
    return {
      ...(code !== null ? { exitCode: code } : {}),
      ...(signal !== null ? { signal } : {}),
      timedOut,
      outputTail: tail.text()
    }
  } finally {
    clearTimeout(timer)
    clearTimeout(killTimer)
    child.stdout.destroy()
    child.stderr.destroy()
  }
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return
  try {
    process.kill(-pid, signal)
  } catch {
    // ESRCH: the group has already gone, which is what killing it is for
  }
}

/** The last `size` lines seen. */
class Tail {
  private readonly lines: string[] = []

  constructor(private readonly size: number) {}

  push(line: string): void {
    this.lines.push(line)
    if (this.lines.length > this.size) this.lines.shift()
  }

  text(): string {
    return this.lines.join('\n')
  }
}
