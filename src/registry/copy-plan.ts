/**
 * The plan of a copy, from manifests already fetched and parsed: which blobs to transfer (once each),
 * which manifests to put and in which order (everything a manifest names before the manifest), which
 * referrers follow, and the platforms the image is for. Pure, so that it is tested without registries.
 */
import type { Descriptor, ParsedManifest } from './manifest.js'
import { DOCKER_FOREIGN_LAYER } from './media-types.js'
import type { Digest } from './reference.js'

/** A manifest as fetched: digest, bytes as stored, and parsed. */
export interface ManifestNode {
  readonly digest: Digest
  readonly bytes: Buffer
  readonly parsed: ParsedManifest
}

/** What was read from the source. */
export interface SourceGraph {
  /** The image (or index) and, for an index, the manifests it names: each after those it names. */
  readonly manifests: readonly ManifestNode[]
  /** Referrers; each group ends with the referrer, after any manifests it names (a referrer index). */
  readonly referrers: readonly (readonly ManifestNode[])[]
}

/** One manifest to put: by digest, or as a referrer (which keeps the tag-schema index). */
export interface ManifestStep {
  readonly node: ManifestNode
  readonly referrer: boolean
}

/** What a copy transfers, in order: blobs, then manifests, then referrers; tags come last. */
export interface CopyPlan {
  /** The image's digest: the last of `graph.manifests`. */
  readonly root: ManifestNode
  /** Blobs to transfer, each once, in the order first named. */
  readonly blobs: readonly Descriptor[]
  /** Manifests to put, every one after those it names; referrers after their subjects. */
  readonly steps: readonly ManifestStep[]
}

/** Plans a copy of `graph`; throws when it holds no manifests. */
export function planCopy(graph: SourceGraph): CopyPlan {
  const root = graph.manifests.at(-1)
  if (root === undefined) throw new Error('nothing to copy: the source graph holds no manifests')
  const blobs = new Map<string, Descriptor>()
  const steps: ManifestStep[] = []
  const add = (node: ManifestNode, referrer: boolean): void => {
    for (const blob of blobsOf(node.parsed))
      if (!blobs.has(blob.digest)) blobs.set(blob.digest, blob)
    if (!steps.some((s) => s.node.digest === node.digest)) steps.push({ node, referrer })
  }
  for (const node of graph.manifests) add(node, false)
  for (const group of graph.referrers) {
    group.forEach((node, i) => add(node, i === group.length - 1))
  }
  return { root, blobs: [...blobs.values()], steps }
}

/** The blobs an image manifest names: config, then layers; foreign layers (kept elsewhere) are left out. */
export function blobsOf(parsed: ParsedManifest): Descriptor[] {
  if (parsed.kind === 'index') return []
  const { config, layers } = parsed.manifest
  return [config, ...layers].filter((d) => d.mediaType !== DOCKER_FOREIGN_LAYER && !d.urls?.length)
}

/** The manifests an index names (for an image: none). */
export function childrenOf(parsed: ParsedManifest): Descriptor[] {
  return parsed.kind === 'index' ? [...parsed.manifest.manifests] : []
}

/**
 * The platforms of an image: `os/architecture[/variant]` of each index entry, in index order, or of
 * the image's configuration for a single image (`config` is its JSON; undefined when unknown).
 */
export function platformsOf(parsed: ParsedManifest, config?: Buffer): string[] {
  if (parsed.kind === 'index') {
    return parsed.manifest.manifests.map((m) =>
      m.platform ? platformName(m.platform) : 'unknown/unknown'
    )
  }
  if (config === undefined) return []
  try {
    const { os, architecture, variant } = JSON.parse(config.toString('utf8')) as Record<
      string,
      unknown
    >
    if (typeof os !== 'string' || typeof architecture !== 'string') return []
    return [platformName({ os, architecture, ...(typeof variant === 'string' && { variant }) })]
  } catch {
    // Not an image configuration (an artifact's config): it is for no platform.
    return []
  }
}

function platformName(p: { os: string; architecture: string; variant?: string }): string {
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/')
}

/** The digests a destination lacks, from `present` (the referrers listed there). */
export function missingReferrers(source: readonly Digest[], present: readonly Digest[]): Digest[] {
  return source.filter((d) => !present.includes(d))
}
