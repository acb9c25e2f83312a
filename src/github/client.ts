/**
 * An octokit for one repository, opened the same way for every GitHub call the actions make: the
 * token masked first, the repository and API URL checked before any request, octokit loaded on first
 * use (@actions/github costs start-up time an action without a token should not pay).
 */
import * as core from '@actions/core'
import type { getOctokit } from '@actions/github'

/** The octokit @actions/github builds. */
export type Octokit = ReturnType<typeof getOctokit>

/** Where and as whom to call GitHub. */
export interface GitHubTarget {
  readonly token: string
  /** GITHUB_API_URL, e.g. `https://api.github.com`. */
  readonly apiUrl: string
  /** `owner/name`. */
  readonly repository: string
}

/** An opened client with the repository's parts and the API's host for messages. */
export interface GitHubRepo {
  readonly octokit: Octokit
  readonly owner: string
  readonly repo: string
  readonly server: string
}

/** Checks the target and opens octokit on it; `purpose` names what the token is for in errors. */
export async function openGitHub(target: GitHubTarget, purpose: string): Promise<GitHubRepo> {
  if (!target.token) throw new Error(`A GitHub token is needed to ${purpose}`)
  core.setSecret(target.token)
  const [owner, repo, ...rest] = target.repository.split('/')
  if (!owner || !repo || rest.length > 0) {
    throw new Error(`The repository '${target.repository}' is not of the form owner/name`)
  }
  let server: string
  try {
    server = new URL(target.apiUrl).host
  } catch {
    throw new Error(`The GitHub API URL '${target.apiUrl}' is not a URL`)
  }
  const { getOctokit } = await import('@actions/github')
  const octokit = getOctokit(target.token, {
    baseUrl: target.apiUrl.replace(/\/+$/, ''),
    log: { debug: core.debug, info: core.debug, warn: core.warning, error: core.error }
  })
  return { octokit, owner, repo, server }
}
