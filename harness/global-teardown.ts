import { readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

// jest loads this file without its module mapper, so it cannot import ./children.js
const RUN_DIR_VARIABLE = 'ROLLOUT_KIT_TEST_RUN_DIR'

/** Kills server processes a suite left running (noted by children.ts) and removes the run's directory. */
export default function globalTeardown(): void {
  const runDir = process.env[RUN_DIR_VARIABLE]
  sweepDeadProcessDirs()
  if (!runDir) return
  const reaped = reapChildren(runDir)
  if (reaped.length > 0) {
    console.warn(`global-teardown: killed servers a suite did not stop: ${reaped.join(', ')}`)
  }
  rmSync(runDir, { recursive: true, force: true })
  delete process.env[RUN_DIR_VARIABLE]
}

/** Kills (SIGKILL) the noted processes that are still running the noted command; returns them. */
export function reapChildren(runDir: string): string[] {
  const dir = join(runDir, 'pids')
  const reaped: string[] = []
  let pids: string[] = []
  try {
    pids = readdirSync(dir)
  } catch {
    // no directory: nothing was spawned
    return reaped
  }
  for (const pid of pids) {
    const note = JSON.parse(readFileSync(join(dir, pid), 'utf8')) as {
      command: string
      ownedDir?: string
    }
    let cmdline = ''
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8')
    } catch {
      // the process is gone already
    }
    // the id may have been reused by an unrelated process: only kill what we started
    if (cmdline.split('\0')[0]?.endsWith(note.command)) {
      process.kill(Number(pid), 'SIGKILL')
      reaped.push(`${note.command} (pid ${pid})`)
    }
    if (note.ownedDir) rmSync(note.ownedDir, { recursive: true, force: true })
  }
  return reaped
}

/** Removes the per-process dirs (tls.ts, buildah.ts) of workers that have exited. */
function sweepDeadProcessDirs(): void {
  for (const entry of readdirSync(tmpdir())) {
    const match = /^rollout-kit-(?:tls|containers)-(\d+)$/.exec(entry)
    if (match && !alive(Number(match[1])))
      rmSync(join(tmpdir(), entry), { recursive: true, force: true })
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it exists but is not ours to signal
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
