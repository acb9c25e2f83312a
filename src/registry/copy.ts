/**
 * Copies an image by digest from one repository or registry to another: the source tag is resolved
 * once; blobs are skipped, mounted or streamed; manifests are put children first, the image (or
 * index) by digest, then its referrers; the destination tags are written last, so that a failure
 * anywhere leaves no new tag; and the result is checked against the destination afterwards.
 */
import type { RegistryClient } from './client.js'
import { copyBlobs, sided } from './copy-blobs.js'
import {
  childrenOf,
  missingReferrers,
  planCopy,
  platformsOf,
  type ManifestNode,
  type ManifestStep
} from './copy-plan.js'
import { RegistryError } from './errors.js'
import { pinnedReference, repositoryName, type Digest, type ImageRef } from './reference.js'

/** How to copy. */
export interface CopyOptions {
  /** Tags to point at the digest in the destination, written last (default: none). */
  readonly tags?: readonly string[]
  /** Copy the referrers of the image and of each of its manifests (default true). */
  readonly referrers?: boolean
  /** Blobs in flight at once (default 4). */
  readonly concurrency?: number
  /** Bytes per PATCH when a registry refuses a whole blob in one PUT (default 8 MiB). */
  readonly chunkSize?: number
  /** Resolve and report what would be copied, writing nothing. */
  readonly dryRun?: boolean
  /** Progress lines for people. */
  readonly log?: (line: string) => void
}

/** What a copy did (or, in a dry run, would do). */
export interface CopyResult {
  /** The digest copied: the source's, resolved once. */
  readonly digest: Digest
  readonly mediaType: string
  /** `registry/repository@digest` at the destination. */
  readonly pinned: string
  /** `os/architecture[/variant]` of each platform, in index order. */
  readonly platforms: string[]
  /** Destination tags now pointing at the digest. */
  readonly tags: string[]
  readonly copied: {
    /** Blobs streamed from the source. */
    readonly blobs: number
    /** Blobs mounted from the source repository (same registry). */
    readonly mounted: number
    /** Blobs the destination held already. */
    readonly skipped: number
    /** Bytes streamed. */
    readonly bytes: number
    /** Manifests put (images, indexes and referrers; tags not counted). */
    readonly manifests: number
  }
  /** Referrers of the source that the destination now lists. */
  readonly referrers: Digest[]
}

/** A copy asked for that cannot be done: the destination is the source. */
export class InvalidCopyError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'InvalidCopyError'
  }
}

/** Copies `source` (a digest, or a tag resolved once) to the repository of `destination`. */
export async function copyImage(
  client: RegistryClient,
  source: ImageRef,
  destination: ImageRef,
  options: CopyOptions = {}
): Promise<CopyResult> {
  const log = options.log ?? (() => undefined)
  const dest: ImageRef = { registry: destination.registry, repository: destination.repository }
  if (repositoryName(source) === repositoryName(dest)) {
    throw new InvalidCopyError(
      `destination ${repositoryName(dest)} is the source repository; copy to another repository or registry`
    )
  }
  const src = <T>(work: Promise<T>) => sided(work, 'source', source.registry)
  const dst = <T>(work: Promise<T>) => sided(work, 'destination', dest.registry)
  const digest = source.digest ?? (await src(client.resolveDigest(source)))
  const from: ImageRef = { registry: source.registry, repository: source.repository, digest }
  if (source.digest === undefined) log(`source ${source.repository}:${source.tag} is ${digest}`)
  const graph = await src(readSource(client, from, options.referrers ?? true))
  const plan = planCopy(graph)
  const root = plan.root
  const platforms = platformsOf(root.parsed, await src(configOf(client, from, root)))
  const dryRun = options.dryRun ?? false
  const blobs = await copyBlobs(
    {
      client,
      source: from,
      destination: dest,
      concurrency: options.concurrency ?? 4,
      dryRun,
      log,
      ...(options.chunkSize !== undefined && { chunkSize: options.chunkSize })
    },
    plan.blobs
  )
  let manifests = 0
  for (const step of plan.steps) {
    if (await dst(putStep(client, dest, step, dryRun))) manifests++
  }
  const tags = [...(options.tags ?? [])]
  for (const tag of tags) {
    if (!dryRun) await dst(client.putManifest({ ...dest, tag }, root.bytes, root.parsed.mediaType))
    log(`tag ${repositoryName(dest)}:${tag} ${dryRun ? 'would point' : 'points'} at ${digest}`)
  }
  const referrers = plan.steps.filter((s) => s.referrer).map((s) => s.node.digest)
  if (!dryRun) await dst(verify(client, { ...dest, digest }, tags, platforms, graph.subjects))
  return {
    digest,
    mediaType: root.parsed.mediaType,
    pinned: pinnedReference(dest, digest),
    platforms,
    tags,
    copied: { ...blobs, manifests },
    referrers
  }
}

/** The source's manifests (children first) and referrers, with each subject's referrer digests. */
async function readSource(client: RegistryClient, image: ImageRef, withReferrers: boolean) {
  const manifests = await readTree(client, image)
  const referrers: ManifestNode[][] = []
  const subjects = new Map<Digest, Digest[]>()
  if (withReferrers) {
    for (const subject of manifests) {
      const listed = await client.listReferrers({ ...image, digest: subject.digest })
      subjects.set(
        subject.digest,
        listed.map((d) => d.digest)
      )
      for (const referrer of listed) {
        referrers.push(await readTree(client, { ...image, digest: referrer.digest }))
      }
    }
  }
  return { manifests, referrers, subjects }
}

/** A manifest and everything it names, each after those it names. */
async function readTree(client: RegistryClient, ref: ImageRef): Promise<ManifestNode[]> {
  const fetched = await client.getManifest(ref)
  const node: ManifestNode = { digest: fetched.digest, bytes: fetched.bytes, parsed: fetched }
  const below: ManifestNode[] = []
  for (const child of childrenOf(fetched)) {
    below.push(...(await readTree(client, { ...ref, digest: child.digest })))
  }
  return [...below, node]
}

/** The image configuration of a single image, for its platform; undefined for an index. */
async function configOf(
  client: RegistryClient,
  image: ImageRef,
  root: ManifestNode
): Promise<Buffer | undefined> {
  if (root.parsed.kind !== 'image') return undefined
  return client.fetchBlob(image, root.parsed.manifest.config.digest)
}

/** Puts one manifest unless the destination has it (a referrer: unless it is listed); true when put. */
async function putStep(
  client: RegistryClient,
  dest: ImageRef,
  step: ManifestStep,
  dryRun: boolean
): Promise<boolean> {
  const { node } = step
  const subject = node.parsed.manifest.subject
  if (step.referrer && subject !== undefined) {
    const listed = await client.listReferrers({ ...dest, digest: subject.digest })
    if (listed.some((d) => d.digest === node.digest)) return false
    if (!dryRun) await client.pushReferrer(dest, node.bytes, node.parsed.mediaType)
    return true
  }
  if (await manifestExists(client, { ...dest, digest: node.digest })) return false
  if (!dryRun)
    await client.putManifest({ ...dest, digest: node.digest }, node.bytes, node.parsed.mediaType)
  return true
}

async function manifestExists(client: RegistryClient, ref: ImageRef): Promise<boolean> {
  try {
    await client.headManifest(ref)
    return true
  } catch (error) {
    if (error instanceof RegistryError && error.status === 404) return false
    throw error
  }
}

/** Checks the destination: each tag's digest, the platforms, and the referrers of each subject. */
async function verify(
  client: RegistryClient,
  image: ImageRef & { digest: Digest },
  tags: readonly string[],
  platforms: readonly string[],
  subjects: ReadonlyMap<Digest, readonly Digest[]>
): Promise<void> {
  const fail = (what: string) =>
    new RegistryError({
      server: image.registry,
      operation: 'verify copy',
      code: 'VERIFY_FAILED',
      message: `registry ${image.registry}: after the copy, ${what}`
    })
  for (const tag of tags) {
    const found = await client.resolveDigest({
      registry: image.registry,
      repository: image.repository,
      tag
    })
    if (found !== image.digest) throw fail(`tag ${tag} points at ${found}, not ${image.digest}`)
  }
  const copied = await client.getManifest(image)
  const config =
    copied.kind === 'image'
      ? await client.fetchBlob(image, copied.manifest.config.digest)
      : undefined
  const there = platformsOf(copied, config)
  if (there.join(',') !== platforms.join(',')) {
    throw fail(`the platforms are ${there.join(', ') || 'none'}, not ${platforms.join(', ')}`)
  }
  for (const [subject, wanted] of subjects) {
    const listed = await client.listReferrers({ ...image, digest: subject })
    const missing = missingReferrers(
      wanted,
      listed.map((d) => d.digest)
    )
    if (missing.length > 0) throw fail(`${subject} lacks the referrers ${missing.join(', ')}`)
  }
}
