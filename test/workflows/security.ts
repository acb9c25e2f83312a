/**
 * Workflow hardening rules from GitHub's "Security hardening for GitHub Actions"
 * (https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions):
 * no expressions in scripts (script injection), third-party actions pinned to a full commit SHA,
 * an explicit top-level `permissions:`, and no `pull_request_target`. actionlint flags only
 * untrusted contexts in scripts and none of the rest, hence these few hand-written checks.
 */
import { asMapping, parseWorkflow, type Mapping } from './workflow-yaml.js'

const COMMIT_PINNED = /^[^@\s]+@[0-9a-f]{40}$/
const DIGEST_PINNED = /^docker:\/\/[^@\s]+@sha256:[0-9a-f]{64}$/

function triggers(on: unknown): string[] {
  if (typeof on === 'string') return [on]
  if (Array.isArray(on)) return on.filter((t): t is string => typeof t === 'string')
  return Object.keys(asMapping(on))
}

/** Why the `uses:` value is not pinned, or undefined when it is (or is a local action). */
function unpinned(uses: unknown): string | undefined {
  if (typeof uses !== 'string' || uses.startsWith('./')) return undefined
  if (uses.startsWith('docker://')) {
    return DIGEST_PINNED.test(uses) ? undefined : `uses: ${uses} is not pinned to a sha256 digest`
  }
  return COMMIT_PINNED.test(uses) ? undefined : `uses: ${uses} is not pinned to a full commit SHA`
}

function checkStep(where: string, step: Mapping): string[] {
  const problems: string[] = []
  if (typeof step.run === 'string' && step.run.includes('${{')) {
    problems.push(`${where}: run: contains a \${{ }} expression; pass the value through env:`)
  }
  const uses = unpinned(step.uses)
  if (uses) problems.push(`${where}: ${uses}`)
  return problems
}

/**
 * Problems with the workflow's security: `${{` inside a `run:` script, a third-party action or
 * reusable workflow not pinned to a 40-hex commit SHA (a `docker://` image: to a digest), no
 * top-level `permissions:` key, a `pull_request_target` trigger. Empty when there are none.
 */
export function checkWorkflowSecurity(workflowText: string): string[] {
  const { top, jobs } = parseWorkflow(workflowText)
  const problems: string[] = []
  if (!('permissions' in top)) problems.push('no top-level permissions: key')
  if (triggers(top.on).includes('pull_request_target')) {
    problems.push('triggered by pull_request_target; use pull_request')
  }
  for (const job of jobs) {
    const reusable = unpinned(job.body.uses)
    if (reusable) problems.push(`job ${job.id}: ${reusable}`)
    for (const step of job.steps) {
      problems.push(...checkStep(`job ${job.id}, step ${step.label}`, step.body))
    }
  }
  return problems
}
