import type { ChildProcess } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * (global-setup.ts and global-teardown.ts repeat this name: jest loads them outside its module
 * mapper, so they cannot import `./children.js`.)
 *
 * Server processes that outlive a crashed or careless suite are reaped by global-teardown: each
 * jest run gets a directory (ROLLOUT_KIT_TEST_RUN_DIR, set by global-setup) where starters note the
 * ids of the processes they spawned, and stop() removes the note.
 */
export const RUN_DIR_VARIABLE = 'ROLLOUT_KIT_TEST_RUN_DIR'

/** Notes a spawned process and the temp dir it owns; returns a function that removes the note. */
export function trackChild(
  pid: number | undefined,
  command: string,
  ownedDir?: string
): () => void {
  const runDir = process.env[RUN_DIR_VARIABLE]
  if (!runDir || pid === undefined) return () => undefined
  const dir = join(runDir, 'pids')
  mkdirSync(dir, { recursive: true })
  const file = join(dir, String(pid))
  writeFileSync(file, JSON.stringify({ command, ownedDir }))
  return () => rmSync(file, { force: true })
}

/** Ends a child: SIGTERM, then SIGKILL after 5 s; resolves once it has exited. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
  await exited
  clearTimeout(timer)
}
