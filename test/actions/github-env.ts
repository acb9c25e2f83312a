import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** The GITHUB_* variables and event file of a push to `branch` of acme/app, as the runner sets them. */
export function pushEvent(
  branch: string,
  sha: string,
  defaultBranch = 'main'
): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'rollout-kit-event-'))
  const eventPath = join(dir, 'event.json')
  writeFileSync(
    eventPath,
    JSON.stringify({
      ref: `refs/heads/${branch}`,
      after: sha,
      repository: {
        full_name: 'acme/app',
        html_url: 'https://github.com/acme/app',
        default_branch: defaultBranch,
        description: 'The acme app'
      }
    })
  )
  return {
    GITHUB_EVENT_NAME: 'push',
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REF: `refs/heads/${branch}`,
    GITHUB_REF_NAME: branch,
    GITHUB_REF_TYPE: 'branch',
    GITHUB_SHA: sha,
    GITHUB_REPOSITORY: 'acme/app',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: '4242',
    GITHUB_ACTOR: 'octocat'
  }
}
