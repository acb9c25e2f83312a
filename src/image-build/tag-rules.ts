/**
 * Tag rules in docker/metadata-action's syntax, so that a team's `tags:` and `flavor:` can be pasted
 * into build-image: `type=ref,event=branch`, `type=semver,pattern={{major}}.{{minor}}`,
 * `type=sha,format=long`, `type=raw,value=…,enable={{is_default_branch}}`, `type=schedule,pattern=…`,
 * each with `enable`, `priority`, `prefix` and `suffix`; and `latest=auto|true|false`, `prefix=`,
 * `suffix=` as the flavor. https://github.com/docker/metadata-action#tags-input
 *
 * Hand-written: metadata-action is an action, not a library (its logic is not published for reuse),
 * and the part needed here is a small interpreter of its rule lines over the git context we read.
 * `type=match` and `type=edge` are not supported (refused with the list of what is).
 */
import semver from 'semver'
import { InputError } from './errors.js'
import type { GitHubContext } from '../github/context.js'
import { sanitizeTag } from './tags.js'

/** The rule types supported. */
export const RULE_TYPES = ['schedule', 'semver', 'ref', 'raw', 'sha'] as const
export type RuleType = (typeof RULE_TYPES)[number]

/** metadata-action's default priorities: the highest comes first and gives the version label. */
const PRIORITY: Record<RuleType, number> = {
  schedule: 1000,
  semver: 900,
  ref: 600,
  raw: 200,
  sha: 100
}

const ATTRIBUTES: Record<RuleType, readonly string[]> = {
  schedule: ['pattern'],
  semver: ['pattern', 'value'],
  ref: ['event'],
  raw: ['value'],
  sha: ['format']
}
const COMMON = ['type', 'enable', 'priority', 'prefix', 'suffix']

/** One line of the `tags` input. */
export interface TagRule {
  readonly type: RuleType
  readonly attrs: Readonly<Record<string, string>>
  readonly priority: number
  /** The line as written, for messages. */
  readonly line: string
}

/** The `flavor` input. */
export interface Flavor {
  readonly latest: 'auto' | 'true' | 'false'
  readonly prefix: string
  readonly suffix: string
}

/** Whether the lines of a `tags` input are rules (any line starting with `type=`). */
export function hasTagRules(lines: readonly string[]): boolean {
  return lines.some((line) => /^\s*type=/.test(line))
}

/**
 * Parses the lines of a `tags` input as rules; a line without `type=` is `type=raw` with that
 * value, as in metadata-action. Throws one InputError naming the line and what is accepted.
 */
export function parseTagRules(lines: readonly string[], input = 'tags'): TagRule[] {
  const rules: TagRule[] = []
  for (const raw of lines) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) continue
    rules.push(parseRule(line, input))
  }
  return rules
}

function parseRule(line: string, input: string): TagRule {
  const fail = (problem: string): never => {
    throw new InputError(input, line, `a tag rule such as type=ref,event=branch (${problem})`)
  }
  if (!line.startsWith('type=')) {
    return { type: 'raw', attrs: { value: line }, priority: PRIORITY.raw, line }
  }
  const attrs: Record<string, string> = {}
  for (const part of line.split(',')) {
    const eq = part.indexOf('=')
    // `type=raw,foo` is `type=raw,value=foo`
    const [key, value] = eq === -1 ? ['value', part] : [part.slice(0, eq), part.slice(eq + 1)]
    attrs[key.trim()] = value.trim()
  }
  const type = attrs.type as RuleType
  if (!RULE_TYPES.includes(type)) {
    fail(`type '${attrs.type}' is not one of ${RULE_TYPES.join(', ')}`)
  }
  const known = [...COMMON, ...ATTRIBUTES[type]]
  const unknown = Object.keys(attrs).filter((key) => !known.includes(key))
  if (unknown.length > 0) {
    fail(
      `type=${type} takes ${known.filter((k) => k !== 'type').join(', ')}; not ${unknown.join(', ')}`
    )
  }
  if (type === 'ref' && !['branch', 'tag', 'pr'].includes(attrs.event ?? '')) {
    fail('type=ref needs event=branch, event=tag or event=pr')
  }
  if (type === 'semver' && !attrs.pattern) fail('type=semver needs a pattern such as {{version}}')
  if (type === 'raw' && !attrs.value) fail('type=raw needs a value')
  if (type === 'sha' && !['short', 'long', undefined].includes(attrs.format)) {
    fail('format is short or long')
  }
  let priority = PRIORITY[type]
  if (attrs.priority !== undefined) {
    priority = Number(attrs.priority)
    if (!Number.isInteger(priority)) fail('priority is an integer')
  }
  return { type, attrs, priority, line }
}

/** Parses the lines of a `flavor` input (`latest=`, `prefix=`, `suffix=`). */
export function parseFlavor(lines: readonly string[], input = 'flavor'): Flavor {
  const flavor = { latest: 'auto' as Flavor['latest'], prefix: '', suffix: '' }
  for (const raw of lines) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) continue
    const eq = line.indexOf('=')
    const key = line.slice(0, eq).trim()
    const value = line.slice(eq + 1).trim()
    if (eq === -1 || !['latest', 'prefix', 'suffix'].includes(key)) {
      throw new InputError(input, line, 'latest=auto|true|false, prefix=<text> or suffix=<text>')
    }
    if (key === 'latest') {
      if (value !== 'auto' && value !== 'true' && value !== 'false') {
        throw new InputError(input, line, 'latest=auto, latest=true or latest=false')
      }
      flavor.latest = value
    } else {
      flavor[key as 'prefix' | 'suffix'] = value
    }
  }
  return flavor
}

/**
 * The tag names the rules give for a build in `context`: each enabled rule that applies gives
 * `<flavor prefix><prefix><value><suffix><flavor suffix>`, highest priority first; `latest` is
 * added last when the flavor says so (auto: for a tag ref, or a released semver version).
 */
export function tagNamesFromRules(
  rules: readonly TagRule[],
  flavor: Flavor,
  context: GitHubContext,
  now: Date
): string[] {
  const made: { name: string; priority: number; latest: boolean }[] = []
  for (const rule of rules) {
    const expand = (text: string): string => globalExpressions(text, context)
    const enable = expand(rule.attrs.enable ?? 'true')
    if (enable !== 'true' && enable !== 'false') {
      throw new InputError(
        'tags',
        rule.line,
        `enable=true or enable=false (it came to '${enable}')`
      )
    }
    if (enable === 'false') continue
    const value = valueOf(rule, context, now)
    if (value === undefined) continue
    const prefix = expand(
      rule.attrs.prefix ??
        (rule.type === 'sha'
          ? 'sha-'
          : rule.type === 'ref' && rule.attrs.event === 'pr'
            ? 'pr-'
            : '')
    )
    const suffix = expand(rule.attrs.suffix ?? '')
    const name = sanitizeTag(`${flavor.prefix}${prefix}${value.text}${suffix}${flavor.suffix}`)
    if (name) made.push({ name, priority: rule.priority, latest: value.latest })
  }
  made.sort((a, b) => b.priority - a.priority)
  const names = made.map((m) => m.name)
  const latest =
    flavor.latest === 'true' || (flavor.latest === 'auto' && made.some((m) => m.latest))
  if (latest) names.push('latest')
  return [...new Set(names)]
}

/** A rule's value for this build, and whether it asks for `latest`; undefined when it does not apply. */
function valueOf(
  rule: TagRule,
  context: GitHubContext,
  now: Date
): { text: string; latest: boolean } | undefined {
  const { attrs } = rule
  switch (rule.type) {
    case 'schedule':
      if (context.eventName !== 'schedule') return undefined
      return { text: dates(attrs.pattern || 'nightly', now), latest: false }
    case 'ref':
      if (attrs.event === 'branch' && context.refType === 'branch') {
        return { text: context.refName ?? '', latest: false }
      }
      if (attrs.event === 'tag' && context.refType === 'tag') {
        return { text: context.refName ?? '', latest: true }
      }
      if (attrs.event === 'pr' && context.prNumber !== undefined) {
        return { text: String(context.prNumber), latest: false }
      }
      return undefined
    case 'semver': {
      const raw = attrs.value
        ? globalExpressions(attrs.value, context)
        : context.refType === 'tag'
          ? (context.refName ?? '')
          : ''
      const version = semver.parse(raw.replace(/^v(?=\d)/, ''))
      if (!version) return undefined
      // a pre-release only ever gives its full version (metadata-action's rule)
      if (version.prerelease.length > 0) return { text: version.version, latest: false }
      const text = attrs.pattern
        .replace(/\{\{\s*raw\s*\}\}/g, raw)
        .replace(/\{\{\s*version\s*\}\}/g, version.version)
        .replace(/\{\{\s*major\s*\}\}/g, String(version.major))
        .replace(/\{\{\s*minor\s*\}\}/g, String(version.minor))
        .replace(/\{\{\s*patch\s*\}\}/g, String(version.patch))
      return { text, latest: true }
    }
    case 'raw':
      return { text: globalExpressions(attrs.value, context), latest: false }
    case 'sha':
      return {
        text: attrs.format === 'long' ? context.sha : context.sha.slice(0, 7),
        latest: false
      }
  }
}

/** `{{branch}}`, `{{tag}}`, `{{sha}}`, `{{base_ref}}`, `{{is_default_branch}}` in a value. */
function globalExpressions(text: string, context: GitHubContext): string {
  const branch = context.refType === 'branch' ? (context.refName ?? '') : (context.headRef ?? '')
  const values: Record<string, string> = {
    branch,
    tag: context.refType === 'tag' ? (context.refName ?? '') : '',
    sha: context.sha.slice(0, 7),
    base_ref: context.baseRef ?? '',
    is_default_branch: String(
      context.refType === 'branch' &&
        context.defaultBranch !== undefined &&
        context.refName === context.defaultBranch
    )
  }
  return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => values[name] ?? whole)
}

/** `{{date 'YYYYMMDD'}}` (moment's YYYY, MM, DD, HH, mm, ss; UTC) in a schedule pattern. */
function dates(pattern: string, now: Date): string {
  const two = (n: number) => String(n).padStart(2, '0')
  return pattern.replace(/\{\{\s*date\s+'([^']*)'\s*\}\}/g, (_, format: string) =>
    format
      .replace(/YYYY/g, String(now.getUTCFullYear()))
      .replace(/MM/g, two(now.getUTCMonth() + 1))
      .replace(/DD/g, two(now.getUTCDate()))
      .replace(/HH/g, two(now.getUTCHours()))
      .replace(/mm/g, two(now.getUTCMinutes()))
      .replace(/ss/g, two(now.getUTCSeconds()))
  )
}
