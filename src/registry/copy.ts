/**
 * Copies an image by digest from one repository or registry to another: the source tag is resolved
 * once; blobs are skipped, mounted or streamed; manifests are put children first, the image (or
 * index) by digest, then its referrers; the destination tags are written last, so that a failure
 * anywhere leaves no new tag; and the result is checked against the destination afterwards.
 */
import type { RegistryClient } from './client.js'
import { writeTags } from './tag-write.js'
import { copyBlobs, mapLimited, sided } from './copy-blobs.js'
import { verifyCopy } from './copy-verify.js'
import {
  childrenOf,
  planCopy,
  platformsOf,
  type ManifestNode,
  type ManifestStep
} from './copy-plan.js'
import { later } from '../retry/index.js'
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
  /**
   * How often a line on bytes, blobs and rate is logged while blobs move; the first comes once the
   * copy has run that long (default 10 s).
   */
  readonly progressIntervalMs?: number
  /** Called once the tags are written, before the copy is verified. */
  readonly onTagged?: (tags: readonly string[]) => void
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

/** Manifests read from the source at once. */
const READ_CONCURRENCY = 8

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
  const from = { registry: source.registry, repository: source.repository, digest }
  if (source.digest === undefined) log(`source ${source.repository}:${source.tag} is ${digest}`)
  const graph = await src(readSource(client, from, options.referrers ?? true))
  const plan = planCopy(graph)
  const root = plan.root
  const dryRun = options.dryRun ?? false
  // Asked while the blobs move: which manifests the destination has, and the source's platforms.
  const present = new Map(
    plan.steps
      .filter((step) => !step.referrer)
      .map((step) => [
        step.node.digest,
        later(dst(manifestExists(client, { ...dest, digest: step.node.digest })))
      ])
  )
  const config = later(src(configOf(client, from, root)))
  const blobs = await copyBlobs(
    {
      client,
      source: from,
      destination: dest,
      concurrency: options.concurrency ?? 4,
      dryRun,
      log,
      ...(options.chunkSize !== undefined && { chunkSize: options.chunkSize }),
      ...(options.progressIntervalMs !== undefined && {
        progressIntervalMs: options.progressIntervalMs
      })
    },
    plan.blobs
  )
  const platforms = platformsOf(root.parsed, await config)
  const manifests = await dst(putSteps(client, dest, plan.steps, present, dryRun))
  const tags = [...(options.tags ?? [])]
  // one at a time, each put back when a later one fails (tag-write.ts)
  if (!dryRun) {
    await dst(
      writeTags(client, dest, tags, { digest, bytes: root.bytes, mediaType: root.parsed.mediaType })
    )
    options.onTagged?.(tags)
  }
  for (const tag of tags)
    log(`tag ${repositoryName(dest)}:${tag} ${dryRun ? 'would point' : 'points'} at ${digest}`)
  const referrers = plan.steps.filter((s) => s.referrer).map((s) => s.node.digest)
  const configDigest = root.parsed.kind === 'image' ? root.parsed.manifest.config.digest : undefined
  if (!dryRun) {
    await dst(
      verifyCopy(client, { ...dest, digest }, tags, platforms, graph.subjects, configDigest)
    )
  }
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
async function readSource(
  client: RegistryClient,
  image: ImageRef & { digest: Digest },
  withReferrers: boolean
) {
  const list = (digest: Digest) => client.listReferrers({ ...image, digest })
  // The image's referrers are listed while its manifest is read.
  const ofRoot = withReferrers ? later(list(image.digest)) : undefined
  const manifests = await readTree(client, image)
  const referrers: ManifestNode[][] = []
  const subjects = new Map<Digest, Digest[]>()
  if (ofRoot !== undefined) {
    const listed = await mapLimited(manifests, READ_CONCURRENCY, (m) =>
      m.digest === image.digest ? ofRoot : list(m.digest)
    )
    manifests.forEach((m, i) =>
      subjects.set(
        m.digest,
        listed[i].map((d) => d.digest)
      )
    )
    const all = listed.flat()
    referrers.push(
      ...(await mapLimited(all, READ_CONCURRENCY, (r) =>
        readTree(client, { ...image, digest: r.digest })
      ))
    )
  }
  return { manifests, referrers, subjects }
}

/** A manifest and everything it names, each after those it names. */
async function readTree(client: RegistryClient, ref: ImageRef): Promise<ManifestNode[]> {
  const fetched = await client.getManifest(ref)
  const node: ManifestNode = { digest: fetched.digest, bytes: fetched.bytes, parsed: fetched }
  const below = await mapLimited(childrenOf(fetched), READ_CONCURRENCY, (child) =>
    readTree(client, { ...ref, digest: child.digest })
  )
  return [...below.flat(), node]
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

/**
 * Puts the manifests, each once all it names (and, for a referrer, its subject) is put; manifests
 * that do not wait on each other go at once, but one subject's referrers go one at a time, as each
 * may rewrite the subject's tag-schema index. Returns how many were put.
 */
async function putSteps(
  client: RegistryClient,
  dest: ImageRef,
  steps: readonly ManifestStep[],
  present: ReadonlyMap<Digest, Promise<boolean>>,
  dryRun: boolean
): Promise<number> {
  const done = new Map<Digest, Promise<boolean>>()
  const lastReferrer = new Map<Digest, Promise<boolean>>()
  for (const step of steps) {
    const subject = step.referrer ? step.node.parsed.manifest.subject?.digest : undefined
    const before = [
      ...childrenOf(step.node.parsed).map((child) => done.get(child.digest)),
      ...(subject === undefined ? [] : [done.get(subject), lastReferrer.get(subject)])
    ]
    const put = later(
      Promise.all(before).then(() =>
        putStep(client, dest, step, dryRun, present.get(step.node.digest))
      )
    )
    done.set(step.node.digest, put)
    if (subject !== undefined) lastReferrer.set(subject, put)
  }
  return (await Promise.all(done.values())).filter(Boolean).length
}

/** Puts one manifest unless the destination has it (a referrer: unless it is listed); true when put. */
async function putStep(
  client: RegistryClient,
  dest: ImageRef,
  step: ManifestStep,
  dryRun: boolean,
  present: Promise<boolean> | undefined
): Promise<boolean> {
  const { node } = step
  const subject = node.parsed.manifest.subject
  if (step.referrer && subject !== undefined) {
    const listed = await client.listReferrers({ ...dest, digest: subject.digest })
    if (listed.some((d) => d.digest === node.digest)) return false
    if (!dryRun) await client.pushReferrer(dest, node.bytes, node.parsed.mediaType)
    return true
  }
  if (await (present ?? manifestExists(client, { ...dest, digest: node.digest }))) return false
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
