/**
 * An octokit for one repository, opened the same way for every GitHub call the actions make: the
 * token masked first, the repository and API URL checked before any request, octokit loaded on first
 * use.
 *
 * Octokit is built from @octokit/core and its REST endpoint plugin, as @actions/github builds it,
 * rather than taken from @actions/github: that package imports @actions/http-client (with undici)
 * for its proxy agent, and so would every action's bundle at start-up through @actions/core, which
 * imports it too (for OIDC tokens no action here asks for); leaving it out takes about 0.1 s off
 * each action's start (scripts/bundle.js, LEFT_OUT). The runner's proxy settings (`https_proxy`,
 * `http_proxy`, `no_proxy`, upper case too) are honoured as @actions/github honours them, through
 * undici's EnvHttpProxyAgent, loaded only when one is set.
 */
import * as core from '@actions/core'
import type { Octokit as OctokitCore } from '@octokit/core'
import type { Api } from '@octokit/plugin-rest-endpoint-methods'
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from '../retry/index.js'
import { classifyGitHub, gitHubError, type GitHubCall } from './errors.js'

/** Octokit with the REST endpoint methods (`octokit.rest.repos.…`). */
export type Octokit = OctokitCore & Api

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

const PROXY_VARIABLES = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY']

/** Checks the target and opens octokit on it; `purpose` names what the token is for in errors. */
export async function openGitHub(
  target: GitHubTarget,
  purpose: string,
  env: Readonly<Record<string, string | undefined>> = process.env
): Promise<GitHubRepo> {
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
  const [{ Octokit }, { restEndpointMethods }] = await Promise.all([
    import('@octokit/core'),
    import('@octokit/plugin-rest-endpoint-methods')
  ])
  const GitHub = Octokit.plugin(restEndpointMethods)
  const fetch = await proxyFetch(env)
  const octokit = new GitHub({
    auth: target.token,
    baseUrl: target.apiUrl.replace(/\/+$/, ''),
    userAgent: 'rollout-kit',
    log: { debug: core.debug, info: core.debug, warn: core.warning, error: core.error },
    ...(fetch ? { request: { fetch } } : {})
  })
  return { octokit, owner, repo, server }
}

/** A fetch through the proxy the environment names, or undefined (global fetch) when none is set. */
async function proxyFetch(
  env: Readonly<Record<string, string | undefined>>
): Promise<typeof globalThis.fetch | undefined> {
  const proxy = PROXY_VARIABLES.map((name) => env[name]).find(Boolean)
  if (!proxy) return undefined
  const undici = await import('undici')
  const dispatcher = new undici.EnvHttpProxyAgent({
    httpProxy: env.http_proxy || env.HTTP_PROXY,
    httpsProxy: env.https_proxy || env.HTTPS_PROXY,
    noProxy: env.no_proxy || env.NO_PROXY
  })
  return ((url: string | URL, init?: RequestInit) =>
    undici.fetch(url, { ...init, dispatcher } as Parameters<
      typeof undici.fetch
    >[1])) as typeof globalThis.fetch
}

/**
 * One API call: retried while transient (each retry said in the log), any failure turned into a
 * GitHubError naming the server, the operation and the permission the token may lack.
 */
export async function callGitHub<R extends { data: unknown }>(
  call: GitHubCall & { readonly retry?: RetryPolicy },
  request: () => Promise<R>
): Promise<R['data']> {
  return withRetry(
    call.retry ?? DEFAULT_RETRY,
    async () => {
      try {
        return (await request()).data
      } catch (error) {
        throw gitHubError(error, call)
      }
    },
    classifyGitHub,
    (reason, delay, n) =>
      core.info(`${call.operation} on ${call.server}: ${reason}; retry ${n} in ${delay} ms`)
  )
}

/** GitHub's limit for descriptions of deployment and commit statuses. */
const MAX_DESCRIPTION = 140

/** Cuts a description to GitHub's 140 characters (code points, not UTF-16 units), ending in `…`. */
export function truncate(text: string | undefined): string | undefined {
  if (text === undefined) return undefined
  const chars = [...text]
  return chars.length <= MAX_DESCRIPTION ? text : chars.slice(0, MAX_DESCRIPTION - 1).join('') + '…'
}
