/**
 * The processes of one test control plane: spawned with their output in a log file, noted for
 * global-teardown, killed if the test process exits first, and waited for until they are ready —
 * with another try on fresh ports when one was taken between probe and bind.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { stopChild, trackChild } from './children.js'

/** The child processes of one control plane and their logs. */
export class ProcessGroup {
  /** Where the logs go; kept after stop(). */
  readonly logDir = join(tmpdir(), 'rollout-kit-logs')
  private readonly stamp = `${process.pid}-${Date.now()}`
  private readonly children: ChildProcess[] = []
  private readonly untracks: (() => void)[] = []
  private readonly killAll = (): void => {
    for (const child of this.children) child.kill('SIGKILL')
  }

  /** `ownedDir` is removed by global-teardown should this group's processes outlive the suite. */
  constructor(private readonly ownedDir?: string) {
    mkdirSync(this.logDir, { recursive: true })
    process.once('exit', this.killAll)
  }

  /** `<logDir>/<name>-<pid>-<time>.log`. */
  logFile(name: string): string {
    return join(this.logDir, `${name}-${this.stamp}.log`)
  }

  /** Spawns `command` with stdout and stderr appended to `logFile`. */
  spawn(command: string, name: string, args: string[], logFile: string): ChildProcess {
    const log = openSync(logFile, 'a')
    const child = spawn(command, args, { stdio: ['ignore', log, log] })
    closeSync(log)
    this.children.push(child)
    const untrack = trackChild(child.pid, name, this.ownedDir)
    this.untracks.push(untrack)
    child.once('exit', untrack)
    return child
  }

  /** No longer kills the processes when the test process exits. */
  release(): void {
    process.removeListener('exit', this.killAll)
  }

  /** Stops the processes, the last spawned first. */
  async stop(): Promise<void> {
    // controller-manager first, etcd last: each outlives its clients
    for (const child of [...this.children].reverse()) await stopChild(child)
    for (const untrack of this.untracks) untrack()
  }
}

/** A process that is ready, and its port. */
export interface Started {
  readonly child: ChildProcess
  readonly port: number
}

/** Spawns on free ports; retries when another process took a port between probe and bind. */
export async function startWithPortRetry(
  name: string,
  logFile: string,
  launch: () => Promise<Started & { ready: () => Promise<boolean> }>
): Promise<Started> {
  let lastError: unknown
  for (let attempt = 0; attempt < 3; attempt++) {
    const offset = existsSync(logFile) ? statSync(logFile).size : 0
    const { child, port, ready } = await launch()
    try {
      await waitReady(name, child, ready, logFile, 60_000)
      return { child, port }
    } catch (error) {
      await stopChild(child)
      lastError = error
      const log = readFileSync(logFile, 'utf8').slice(offset)
      if (!log.includes('address already in use')) break
    }
  }
  throw lastError
}

async function waitReady(
  name: string,
  child: ChildProcess,
  ready: () => Promise<boolean>,
  logFile: string,
  timeoutMs: number
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${name} exited (${child.exitCode ?? child.signalCode}):\n${tail(logFile)}`)
    }
    if (await ready()) return
    await sleep(100)
  }
  throw new Error(`${name} was not ready in ${timeoutMs / 1000} s:\n${tail(logFile)}`)
}

/** The last 30 lines of a log, for error messages. */
export function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-30).join('\n')
  } catch {
    return '(no log)'
  }
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
