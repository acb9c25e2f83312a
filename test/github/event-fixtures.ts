import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Env } from '../../src/github/index.js'

/** The fixture folder: `<name>.env` (GITHUB_* variables) beside `<name>.json` (the event payload). */
export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures')

/** The environment a runner would give for fixture `name`, GITHUB_EVENT_PATH included. */
export function fixtureEnv(name: string): Env {
  const env: Record<string, string> = { GITHUB_EVENT_PATH: join(FIXTURES, `${name}.json`) }
  for (const line of readFileSync(join(FIXTURES, `${name}.env`), 'utf8').split('\n')) {
    const at = line.indexOf('=')
    if (at > 0) env[line.slice(0, at)] = line.slice(at + 1)
  }
  return env
}
