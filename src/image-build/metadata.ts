/**
 * Image metadata from the git context: tags, and OCI labels and annotations in the manner of
 * docker/metadata-action. https://github.com/opencontainers/image-spec/blob/main/annotations.md
 */
import { InputError } from './errors.js'
import type { GitHubContext } from '../github/context.js'
import { tagNamesFromRules, type Flavor, type TagRule } from './tag-rules.js'
import { TAG_GRAMMAR, defaultTagNames, resolveTags } from './tags.js'

/** What metadata is computed from. */
export interface MetadataOptions {
  /** The workflow run's git context. */
  readonly context: GitHubContext
  /** The repository to tag, without tag or digest: `ghcr.io/owner/app`. */
  readonly image: string
  /** Explicit tags (names or full references); they replace the computed ones when non-empty. */
  readonly tags?: readonly string[]
  /** Tag rules in metadata-action's syntax and its flavor; they replace `tags` when given. */
  readonly rules?: { readonly rules: readonly TagRule[]; readonly flavor: Flavor }
  /** Explicit labels as `KEY=value` pairs; they override the computed ones of the same key. */
  readonly labels?: readonly (readonly [string, string])[]
  /** The build time, for `org.opencontainers.image.created`. */
  readonly now: Date
  /** The version label; the first tag name when not given. */
  readonly version?: string
}

/** An image's tags, version, labels and annotations. */
export interface ImageMetadata {
  /** Full references `repository:tag`, deduplicated, in order. */
  readonly tags: string[]
  /** The tag names alone, deduplicated, in order. */
  readonly tagNames: string[]
  /** The version the labels carry. */
  readonly version: string
  /** Image config labels. */
  readonly labels: Record<string, string>
  /** Manifest annotations: the same keys and values as the labels. */
  readonly annotations: Record<string, string>
}

const OCI = 'org.opencontainers.image'

/** Computes tags, labels and annotations; throws a InputError when no tag results. */
export function computeMetadata(options: MetadataOptions): ImageMetadata {
  const { context, image } = options
  const explicit = options.tags ?? []
  const names = options.rules
    ? tagNamesFromRules(options.rules.rules, options.rules.flavor, context, options.now)
    : explicit.length > 0
      ? explicit
      : defaultTagNames(context)
  const refs = resolveTags(image, names)
  if (refs.length === 0) {
    throw new InputError(
      'tags',
      '',
      `tags matching ${TAG_GRAMMAR}: the ${context.eventName} event on '${context.ref}' yields none`
    )
  }
  const tagNames = [...new Set(refs.map((ref) => ref.tag))]
  const version = options.version ?? tagNames[0]
  const labels = { ...ociLabels(context, version, options.now) }
  for (const [key, value] of options.labels ?? []) {
    if (key.trim() === '')
      throw new InputError('labels', `=${value}`, 'lines of the form KEY=value')
    labels[key.trim()] = value
  }
  return {
    tags: refs.map((ref) => `${ref.repository}:${ref.tag}`),
    tagNames,
    version,
    labels,
    annotations: { ...labels }
  }
}

/** The OCI labels metadata-action writes, leaving out the ones the context has no value for. */
export function ociLabels(
  context: GitHubContext,
  version: string,
  now: Date
): Record<string, string> {
  const entries: [string, string | undefined][] = [
    ['title', context.repository.split('/').pop()],
    ['description', context.description],
    ['url', context.repositoryUrl],
    ['source', context.repositoryUrl],
    ['version', version],
    ['created', now.toISOString()],
    ['revision', context.sha],
    ['licenses', context.license]
  ]
  const labels: Record<string, string> = {}
  for (const [key, value] of entries) {
    if (value) labels[`${OCI}.${key}`] = value
  }
  return labels
}
