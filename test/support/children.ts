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
