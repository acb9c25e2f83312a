/**
 * Image tags: the default set computed from the git context in the manner of docker/metadata-action,
 * and explicit tags checked against the reference grammar.
 * https://github.com/distribution/reference/blob/main/reference.go (tag, path component)
 */
import semver from 'semver'
import { InputError } from './errors.js'
import type { GitHubContext } from '../github/context.js'

/** The tag grammar, as users read it in an error message. */
export const TAG_GRAMMAR = '[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}'

const TAG = new RegExp(`^${TAG_GRAMMAR}$`)
const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*'
const HOST = '(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9-]+)*|\\[[0-9A-Fa-f:]+\\])'
const REPOSITORY = new RegExp(`^(?:${HOST}(?::[0-9]+)?/)?${COMPONENT}(?:/${COMPONENT})*$`)
const SCHEDULE_TAG = 'nightly'
const PULL_REQUEST_EVENTS = ['pull_request', 'pull_request_target']

/** A tag name from any text: invalid characters become `-`, a leading `.`/`-` goes, 128 at most. */
export function sanitizeTag(text: string): string {
  return text
    .replace(/[^A-Za-z0-9_.-]+/g, '-')
    .replace(/^[.-]+/, '')
    .slice(0, 128)
}

/** True for a valid tag name. */
export function isTag(text: string): boolean {
  return TAG.test(text)
}

/**
 * The tag names for a build when none are given, most specific first, then `sha-<7 hex>`, then
 * `latest` where it applies:
 * - pull request → `pr-<n>`; schedule → `nightly`;
 * - tag `v1.2.3` → `1.2.3`, `1.2`, `1` and `latest` (no `0` for `v0.x`: major zero is not stable,
 *   https://semver.org/#spec-item-4); a pre-release → only itself; another tag → its name and `latest`;
 * - a branch (push, workflow_dispatch, …) → its name, and `latest` on the default branch.
 */
export function defaultTagNames(context: GitHubContext): string[] {
  const names: string[] = []
  let latest = false
  const refName = context.refName ?? ''
  if (PULL_REQUEST_EVENTS.includes(context.eventName)) {
    if (context.prNumber !== undefined) names.push(`pr-${context.prNumber}`)
  } else if (context.eventName === 'schedule') {
    names.push(SCHEDULE_TAG)
  } else if (context.refType === 'tag') {
    const version = semver.parse(refName)
    if (version && version.prerelease.length > 0) {
      names.push(version.version)
    } else if (version) {
      names.push(version.version, `${version.major}.${version.minor}`)
      if (version.major > 0) names.push(String(version.major))
      latest = true
    } else {
      names.push(sanitizeTag(refName))
      latest = true
    }
  } else if (context.refType === 'branch') {
    names.push(sanitizeTag(refName))
    latest = context.defaultBranch !== undefined && refName === context.defaultBranch
  }
  names.push(`sha-${context.sha.slice(0, 7)}`)
  if (latest) names.push('latest')
  return unique(names.filter((name) => name !== ''))
}

/** A full tagged reference split into repository and tag. */
export interface TaggedRef {
  /** `registry/path` as given. */
  readonly repository: string
  /** The tag. */
  readonly tag: string
}

/**
 * Explicit `tags` entries as full references: a bare tag name is put on `image`; an entry with a `/`
 * or `:` must be a full `repository:tag` reference (another repository or registry is allowed).
 */
export function resolveTags(image: string, entries: readonly string[]): TaggedRef[] {
  checkImage(image)
  const refs = entries.map((entry) => resolveTag(image, entry.trim()))
  const seen = new Set<string>()
  return refs.filter((ref) => {
    const key = `${ref.repository}:${ref.tag}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

/** Throws a InputError naming `image` unless it is a repository without tag or digest. */
export function checkImage(image: string): void {
  if (!REPOSITORY.test(image)) {
    throw new InputError(
      'image',
      image,
      'a repository without tag or digest, lower case, such as ghcr.io/owner/app'
    )
  }
}

function resolveTag(image: string, entry: string): TaggedRef {
  const accepted = `a tag matching ${TAG_GRAMMAR}, or a full reference such as ghcr.io/owner/app:1.0`
  if (!/[/:@]/.test(entry)) {
    if (!isTag(entry)) throw new InputError('tags', entry, accepted)
    return { repository: image, tag: entry }
  }
  const colon = entry.lastIndexOf(':')
  const repository = entry.slice(0, colon)
  const tag = entry.slice(colon + 1)
  if (colon < 0 || tag.includes('/') || !isTag(tag) || !REPOSITORY.test(repository)) {
    throw new InputError('tags', entry, accepted)
  }
  return { repository, tag }
}

function unique(values: string[]): string[] {
  return [...new Set(values)]
}
