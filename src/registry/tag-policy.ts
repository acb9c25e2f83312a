/**
 * Tag policies: which of a repository's tags deploy-dev's poll mode runs now.
 * - `semver:<range>`: the highest semver tag (a leading `v` allowed) in the range, with npm semver's
 *   rules: a pre-release only fits a range that names a pre-release of the same major.minor.patch
 *   (`>=1.0.0-0` admits `1.0.0-rc.1`, not `1.1.0-rc.1`); build metadata orders by compareBuild.
 * - `newest-build`: the tag whose image was built last (build-time.ts says from what).
 * - `digest:<tag>`: the digest a moving tag points to now, with one HEAD.
 * - `alphabetical`: the last tag in ascending byte order; `numerical`: the highest decimal number.
 *   Both as Flux's ImagePolicy (https://fluxcd.io/flux/components/image/imagepolicies/).
 * A tag filter (a JavaScript regex) keeps the tags it matches; with a capture group (the one named
 * `value`, else the first) the captured text is what is compared. Ties go to the greater tag name.
 * Tags of the referrers tag schema and cosign (`sha256-<hex>`, `sha256-<hex>.sig`) are never
 * selected by a listing policy: they name signatures and attestations, not images to run.
 */
import semver from 'semver'
import { InputError, messageOf } from '../action/errors.js'
import { buildTimes, type BuildTime } from './build-time.js'
import type { RegistryClient } from './client.js'
import { RegistryError } from './errors.js'
import { repositoryName, type Digest, type ImageRef } from './reference.js'

/** How the tag to run is chosen. */
export type TagPolicy =
  | { readonly kind: 'semver'; readonly range: string }
  | { readonly kind: 'newest-build' }
  | { readonly kind: 'digest'; readonly tag: string }
  | { readonly kind: 'alphabetical' }
  | { readonly kind: 'numerical' }

/** The policies `pickTag` decides from tag names alone. */
export type NamePolicy = Exclude<TagPolicy, { kind: 'digest' | 'newest-build' }>

/** What `selectTag` chose and what it cost. */
export interface TagSelection {
  readonly tag: string
  /** The digest behind the tag, when the policy fetched it (`digest`, `newest-build`). */
  readonly digest?: Digest
  /** Tags looked at: the repository's listing (`digest`: 1, the named tag). */
  readonly considered: number
  /**
   * HTTP requests answered by the registry: a first contact's ping, retries and 401 refreshes
   * included. Measured on the client's counters, so other work on the client meanwhile adds to it.
   */
  readonly requests: number
  /** Bearer-token requests answered by the token server (not in `requests`). */
  readonly tokenRequests: number
}

/** A policy that selected no tag; names the repository, policy, filter and what was there. */
export class NoTagSelectedError extends Error {
  constructor(
    readonly repository: string,
    readonly policy: string,
    readonly filter: string | undefined,
    readonly considered: number,
    readonly examples: readonly string[],
    why: string
  ) {
    const filtered = filter === undefined ? 'no tag-filter' : `tag-filter '${filter}'`
    const seen = examples.length === 0 ? '' : `; e.g. ${examples.join(', ')}`
    super(
      `No tag of ${repository} selected by policy '${policy}' (${filtered}): ${considered} ${considered === 1 ? 'tag' : 'tags'} considered, ${why}${seen}`
    )
    this.name = 'NoTagSelectedError'
  }
}

const ACCEPTED =
  'one of: semver:<range> (e.g. semver:^1.2), newest-build, digest:<tag> (e.g. digest:dev), alphabetical, numerical'
/** The tag grammar of reference.ts (distribution's reference.go). */
const TAG = /^\w[\w.-]{0,127}$/
const ARTIFACT_TAG = /^sha256-[0-9a-f]{64}(\.[a-z]+)?$/
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i
const EXAMPLES = 5

/** Parses `semver:<range>`, `newest-build`, `digest:<tag>`, `alphabetical` or `numerical`. */
export function parseTagPolicy(value: string, input = 'policy'): TagPolicy {
  const text = value.trim()
  if (text === 'newest-build' || text === 'alphabetical' || text === 'numerical') {
    return { kind: text }
  }
  const colon = text.indexOf(':')
  const kind = text.slice(0, colon)
  const argument = text.slice(colon + 1).trim()
  if (colon !== -1 && kind === 'semver') {
    if (argument === '' || semver.validRange(argument) === null) {
      throw new InputError(
        input,
        value,
        "a valid semver range after 'semver:' in npm semver syntax, e.g. semver:^1.2, semver:>=1.0.0 <2, semver:* (any release)"
      )
    }
    return { kind: 'semver', range: argument }
  }
  if (colon !== -1 && kind === 'digest') {
    if (!TAG.test(argument)) {
      throw new InputError(
        input,
        value,
        "a tag after 'digest:' (up to 128 of A-Z a-z 0-9 _ . -, not starting with . or -), e.g. digest:dev"
      )
    }
    return { kind: 'digest', tag: argument }
  }
  throw new InputError(input, value, ACCEPTED)
}

/** The policy as it is written in the input. */
export function formatTagPolicy(policy: TagPolicy): string {
  if (policy.kind === 'semver') return `semver:${policy.range}`
  if (policy.kind === 'digest') return `digest:${policy.tag}`
  return policy.kind
}

/** A tag filter: a JavaScript regular expression; empty is no filter. */
export function parseTagFilter(value: string, input = 'tag-filter'): RegExp | undefined {
  if (value.trim() === '') return undefined
  try {
    return new RegExp(value)
  } catch (error) {
    throw new InputError(input, value, `a JavaScript regular expression (${messageOf(error)})`)
  }
}

/** The tag a name-only policy selects, or undefined when none fits. Pure. */
export function pickTag(
  tags: readonly string[],
  policy: NamePolicy,
  filter?: RegExp
): string | undefined {
  const candidates = candidatesOf(tags, filter)
  if (policy.kind === 'semver') {
    const ranked = candidates.flatMap(({ tag, value }) => {
      const version = semver.parse(value)
      return version && semver.satisfies(version, policy.range) ? [{ tag, key: version }] : []
    })
    return highest(ranked, semver.compareBuild)
  }
  if (policy.kind === 'numerical') {
    const ranked = candidates.flatMap(({ tag, value }) => {
      const key = NUMBER.test(value) ? Number(value) : NaN
      return Number.isFinite(key) ? [{ tag, key }] : []
    })
    return highest(ranked, (a, b) => a - b)
  }
  return highest(
    candidates.map(({ tag, value }) => ({ tag, key: value })),
    byName
  )
}

/** Selects a tag of `repository` (its tag and digest are ignored) with the registry's help. */
export async function selectTag(
  client: RegistryClient,
  repository: ImageRef,
  policy: TagPolicy,
  filter?: RegExp
): Promise<TagSelection> {
  const before = client.requestCounts()
  const cost = (): Pick<TagSelection, 'requests' | 'tokenRequests'> => {
    const after = client.requestCounts()
    return { requests: after.registry - before.registry, tokenRequests: after.token - before.token }
  }
  const repo = { registry: repository.registry, repository: repository.repository }
  const none = (tags: readonly string[], considered: number, why: string): never => {
    throw new NoTagSelectedError(
      repositoryName(repo),
      formatTagPolicy(policy),
      filter?.source,
      considered,
      examplesOf(tags, filter),
      why
    )
  }
  if (policy.kind === 'digest') {
    // The listing is read only to show examples when the tag is not there.
    if (filter && candidatesOf([policy.tag], filter).length === 0) {
      none(await client.listTags(repo), 1, `tag '${policy.tag}' does not match the tag-filter`)
    }
    const digest = await digestOf(client, { ...repo, tag: policy.tag })
    if (digest === undefined) {
      return none(await client.listTags(repo), 1, `tag '${policy.tag}' does not exist`)
    }
    return { tag: policy.tag, digest, considered: 1, ...cost() }
  }
  const tags = await client.listTags(repo)
  if (policy.kind === 'newest-build') {
    const names = candidatesOf(tags, filter).map(({ tag }) => tag)
    const newest = newestBuild(await buildTimes(client, repo, names))
    if (!newest) return none(tags, tags.length, whyNone(tags, filter, 'has a build time'))
    return { tag: newest.tag, digest: newest.digest, considered: tags.length, ...cost() }
  }
  const tag = pickTag(tags, policy, filter)
  if (tag === undefined) return none(tags, tags.length, whyNone(tags, filter, 'fits the policy'))
  return { tag, considered: tags.length, ...cost() }
}

/** The digest behind a tag (one HEAD), or undefined when the registry has no such manifest. */
async function digestOf(client: RegistryClient, ref: ImageRef): Promise<Digest | undefined> {
  try {
    return await client.resolveDigest(ref)
  } catch (error) {
    if (error instanceof RegistryError && error.status === 404) return undefined
    throw error
  }
}

interface Candidate {
  readonly tag: string
  /** What is compared: the tag, or the filter's captured text. */
  readonly value: string
}

/** Tags that are not artifact tags and match the filter, with the text each is compared by. */
function candidatesOf(tags: readonly string[], filter: RegExp | undefined): Candidate[] {
  // exec on a global or sticky regex starts at lastIndex; a copy without those flags does not.
  const pattern =
    filter && (filter.global || filter.sticky)
      ? new RegExp(filter.source, filter.flags.replace(/[gy]/g, ''))
      : filter
  return tags.flatMap((tag) => {
    if (ARTIFACT_TAG.test(tag)) return []
    if (!pattern) return [{ tag, value: tag }]
    const match = pattern.exec(tag)
    if (!match) return []
    const groups = match.groups
    const value = groups && 'value' in groups ? groups.value : match.length > 1 ? match[1] : tag
    // A group that took no part in the match leaves nothing to compare.
    return value === undefined ? [] : [{ tag, value }]
  })
}

/** The tag with the greatest key; equal keys go to the greater tag name. */
function highest<K>(
  ranked: readonly { tag: string; key: K }[],
  compare: (a: K, b: K) => number
): string | undefined {
  let best: { tag: string; key: K } | undefined
  for (const item of ranked) {
    if (!best) best = item
    else {
      const order = compare(item.key, best.key) || byName(item.tag, best.tag)
      if (order > 0) best = item
    }
  }
  return best?.tag
}

function newestBuild(times: readonly BuildTime[]): BuildTime | undefined {
  const known = times.flatMap((t) => (t.created === undefined ? [] : [{ ...t, key: t.created }]))
  const tag = highest(known, (a, b) => (a < b ? -1 : a > b ? 1 : 0))
  return known.find((t) => t.tag === tag)
}

/** Byte order (as Go's sort.Strings, which Flux uses), not the locale's. */
function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function whyNone(tags: readonly string[], filter: RegExp | undefined, fits: string): string {
  if (tags.length === 0) return 'the repository has no tags'
  const kept = candidatesOf(tags, filter).length
  if (filter) {
    return kept === 0
      ? 'none matched the tag-filter'
      : `${kept} matched the tag-filter, none ${fits}`
  }
  const ignored = tags.length - kept
  return `none ${fits}${ignored > 0 ? ` (${ignored} signature/attestation tags ignored)` : ''}`
}

/** A few tags to show: the greatest names among the filter's matches, else among all tags. */
function examplesOf(tags: readonly string[], filter: RegExp | undefined): string[] {
  const matched = candidatesOf(tags, filter).map(({ tag }) => tag)
  const pool = matched.length > 0 ? matched : [...tags]
  return pool.sort(byName).slice(-EXAMPLES)
}
