/**
 * Commit statuses (https://docs.github.com/rest/commits/statuses): a gate's verdict on a commit, shown
 * beside it and usable as a required check. Octokit opened by client.ts on first use, and
 * transient answers retried by callGitHub, as in deployments.ts.
 */
import * as core from '@actions/core'
import type { RetryPolicy } from '../retry/index.js'
import { callGitHub, openGitHub, truncate } from './client.js'

/** The states a commit status can have. */
export type CommitState = 'pending' | 'success' | 'failure' | 'error'

/** What status to set on which commit, and with which credentials. */
export interface CommitStatusOptions {
  /** A token with `statuses: write` (GITHUB_TOKEN will do). */
  readonly token: string
  /** GITHUB_API_URL, e.g. `https://api.github.com` or `https://ghe.example.com/api/v3`. */
  readonly apiUrl: string
  /** `owner/name`. */
  readonly repository: string
  /** The commit's full sha. */
  readonly sha: string
  readonly state: CommitState
  /** The status's label, e.g. `rollout-kit/canary-gate`; a later status of it replaces this one. */
  readonly context: string
  /** Shown beside the status; cut to GitHub's 140 characters. */
  readonly description?: string
  /** Linked from the status, e.g. the workflow run's page. */
  readonly targetUrl?: string
  /** Retries of transient answers; DEFAULT_RETRY unless given (tests pass short delays). */
  readonly retry?: RetryPolicy
}

/** Sets a commit status; a GitHubError naming server, operation and status when GitHub refuses. */
export async function setCommitStatus(options: CommitStatusOptions): Promise<void> {
  const { octokit, owner, repo, server } = await openGitHub(options, 'set a commit status')
  const operation = `POST statuses/${options.sha} ${options.repository}`
  const { repository, token, retry } = options
  const call = { server, operation, repository, token, permission: 'statuses: write', retry }
  await callGitHub(call, () =>
    octokit.rest.repos.createCommitStatus({
      owner,
      repo,
      sha: options.sha,
      state: options.state,
      context: options.context,
      ...(options.description ? { description: truncate(options.description) } : {}),
      ...(options.targetUrl ? { target_url: options.targetUrl } : {})
    })
  )
  core.info(`Commit status ${options.context} of ${options.sha}: ${options.state}`)
}
