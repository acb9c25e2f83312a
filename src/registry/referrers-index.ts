/**
 * The pure parts of referrers (https://github.com/opencontainers/distribution-spec/blob/main/spec.md#listing-referrers):
 * the descriptor a referrer is listed by, the `<alg>-<hex>` tag of the tag schema, adding a referrer
 * to that tag's index, filtering by artifact type, and the `Link` header of paginated answers.
 */
import type { Descriptor, ImageIndex, ParsedManifest } from './manifest.js'
import { OCI_INDEX } from './media-types.js'
import type { Digest } from './reference.js'

/** The tag of the referrers tag schema: `sha256:abc…` → `sha256-abc…` (at most 128 characters). */
export function referrersTag(subject: Digest): string {
  return subject.replace(':', '-').slice(0, 128)
}

/**
 * The descriptor that lists a referrer: its media type, digest and size, its artifact type (for an
 * image manifest without one, the config's media type, as the spec says) and its annotations.
 */
export function referrerDescriptor(
  parsed: ParsedManifest,
  digest: Digest,
  size: number
): Descriptor {
  const manifest = parsed.manifest
  const artifactType =
    manifest.artifactType ??
    (parsed.kind === 'image' ? parsed.manifest.config.mediaType : undefined)
  return {
    mediaType: parsed.mediaType,
    digest,
    size,
    ...(artifactType !== undefined && { artifactType }),
    ...(manifest.annotations !== undefined && { annotations: manifest.annotations })
  }
}

/** The tag-schema index with `referrer` in it; `changed` is false when it was listed already. */
export function addReferrer(
  index: ImageIndex | undefined,
  referrer: Descriptor
): { readonly index: ImageIndex; readonly changed: boolean } {
  const manifests = index?.manifests ?? []
  if (manifests.some((m) => m.digest === referrer.digest)) {
    return { index: index ?? emptyIndex(), changed: false }
  }
  return {
    index: {
      ...(index ?? emptyIndex()),
      mediaType: OCI_INDEX,
      manifests: [...manifests, referrer]
    },
    changed: true
  }
}

/** An index with no manifests. */
export function emptyIndex(): ImageIndex {
  return { schemaVersion: 2, mediaType: OCI_INDEX, manifests: [] }
}

/** The descriptors of `artifactType` (all when it is undefined). */
export function filterReferrers(
  descriptors: readonly Descriptor[],
  artifactType?: string
): Descriptor[] {
  return descriptors.filter((d) => artifactType === undefined || d.artifactType === artifactType)
}

/** The `rel="next"` target of a `Link` header (RFC 8288), or undefined. */
export function nextLink(header: string | undefined): string | undefined {
  for (const part of header?.split(',') ?? []) {
    const match = /^\s*<([^>]*)>\s*;(.*)$/.exec(part)
    if (match && /(^|;)\s*rel="?next"?\s*(;|$)/i.test(match[2] ?? '')) return match[1]
  }
  return undefined
}
