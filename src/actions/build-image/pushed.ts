import * as core from '@actions/core'
import { messageOf } from '../../action/errors.js'
import { cacheSpec } from '../../image-build/index.js'
import {
  parseReference,
  pinnedReference,
  RegistryError,
  type ImageManifest,
  type RegistryClient
} from '../../registry/index.js'

/** What the registry serves for the pushed tags. */
export interface PushedImage {
  /** The one digest every tag resolves to. */
  readonly digest: string
  /** `repository@digest` of the first tag. */
  readonly pinned: string
  /** The manifest's media type: an image manifest or an index. */
  readonly mediaType: string
  /** Compressed size in bytes: config and layers, over every platform of an index. */
  readonly size: number
  /** `os/arch[/variant]` of each platform of an index; empty for a single image. */
  readonly platforms: readonly string[]
}

/**
 * Says before the build when a layer cache to read is not there yet or cannot be read: the build
 * then runs cold (the builders carry on without it), and the log should say why it was slow.
 * Only registry caches are asked; buildx's other kinds (`type=gha`, …) are its own business.
 */
export async function checkCaches(
  client: RegistryClient,
  entries: readonly string[]
): Promise<string[]> {
  const warnings: string[] = []
  for (const entry of entries) {
    const spec = cacheSpec(entry)
    if (spec.type !== 'registry' || !spec.ref) continue
    let warning: string | undefined
    try {
      const tags = await client.listTags(parseReference(spec.ref))
      if (tags.length === 0) warning = `The layer cache ${spec.ref} is empty: this build runs cold`
    } catch (error) {
      warning =
        error instanceof RegistryError && error.status === 404
          ? `No layer cache at ${spec.ref} yet: this build runs cold`
          : `The layer cache ${spec.ref} cannot be read (${messageOf(error)}): this build runs cold`
    }
    if (warning) {
      core.warning(warning)
      warnings.push(warning)
    }
  }
  return warnings
}

/** Fails before the build when any tag's repository refuses a push (or the registry is down). */
export async function checkPushAccess(
  client: RegistryClient,
  tags: readonly string[]
): Promise<void> {
  const repositories = new Map(
    tags.map((tag) => {
      const ref = parseReference(tag)
      return [`${ref.registry}/${ref.repository}`, ref] as const
    })
  )
  for (const [name, ref] of repositories) {
    await client.checkPushAccess(ref)
    core.info(`${name}: reachable, push allowed`)
  }
}

/**
 * Resolves every pushed tag at its registry and requires one digest for all of them, equal to the
 * builder's own report when it gave one: the output names what the registry serves, never a local id.
 */
export async function readBack(
  client: RegistryClient,
  tags: readonly string[],
  reported: string | undefined
): Promise<PushedImage> {
  const refs = tags.map((tag) => parseReference(tag))
  const heads = await Promise.all(refs.map((ref) => client.headManifest(ref)))
  const digests = new Set(heads.map((head) => head.digest))
  if (digests.size !== 1) {
    const listing = refs.map((ref, i) => `${ref.tag} → ${heads[i].digest}`).join(', ')
    throw new Error(
      `The pushed tags resolve to different digests (${listing}); another push raced this one`
    )
  }
  const digest = heads[0].digest
  if (reported !== undefined && reported !== digest) {
    throw new Error(
      `The builder reported ${reported} but ${tags[0]} serves ${digest}; another push raced this one`
    )
  }
  const fetched = await client.getManifest({ ...refs[0], tag: undefined, digest: heads[0].digest })
  let size = 0
  const platforms: string[] = []
  if (fetched.kind === 'index') {
    for (const entry of fetched.manifest.manifests) {
      const child = await client.getManifest({ ...refs[0], tag: undefined, digest: entry.digest })
      if (child.kind === 'image') size += imageSize(child.manifest)
      const p = entry.platform
      if (p) platforms.push([p.os, p.architecture, p.variant].filter(Boolean).join('/'))
    }
  } else {
    size = imageSize(fetched.manifest)
  }
  core.info(`${tags.length} tag(s) serve ${digest}`)
  return {
    digest,
    pinned: pinnedReference(refs[0], digest),
    mediaType: fetched.mediaType,
    size,
    platforms
  }
}

function imageSize(manifest: ImageManifest): number {
  return manifest.config.size + manifest.layers.reduce((sum, layer) => sum + layer.size, 0)
}
