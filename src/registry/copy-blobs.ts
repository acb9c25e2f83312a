/**
 * The blob phase of a copy: each blob is skipped when the destination holds it, mounted from the
 * source repository within one registry, or streamed from the source to the destination, with a
 * bounded number in flight.
 */
import type { Readable } from 'node:stream'
import type { RegistryClient } from './client.js'
import { CopyProgress, DEFAULT_PROGRESS_INTERVAL_MS } from './copy-progress.js'
import { onSide, type CopySide } from './errors.js'
import type { Descriptor } from './manifest.js'
import type { ImageRef } from './reference.js'

/** What happened to one blob (or, in a dry run, would happen). */
export type BlobOutcome = 'skipped' | 'mounted' | 'uploaded'

/** Counts of the blob phase. */
export interface BlobCounts {
  blobs: number
  mounted: number
  skipped: number
  bytes: number
}

/** Where blobs come from and go to. */
export interface BlobCopyContext {
  readonly client: RegistryClient
  readonly source: ImageRef
  readonly destination: ImageRef
  readonly concurrency: number
  readonly dryRun: boolean
  /** Bytes per PATCH of a chunked upload. */
  readonly chunkSize?: number
  readonly log: (line: string) => void
  /** How often a progress line is logged while blobs move (default 10 s; none before then). */
  readonly progressIntervalMs?: number
}

/** Transfers `blobs`, at most `concurrency` at a time; the first failure stops the rest. */
export async function copyBlobs(
  ctx: BlobCopyContext,
  blobs: readonly Descriptor[]
): Promise<BlobCounts> {
  const counts: BlobCounts = { blobs: 0, mounted: 0, skipped: 0, bytes: 0 }
  const progress = new CopyProgress(
    blobs.reduce((sum, blob) => sum + blob.size, 0),
    blobs.length
  )
  const stop = ctx.dryRun
    ? () => undefined
    : progress.every(ctx.progressIntervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS, ctx.log)
  try {
    await eachLimited(blobs, ctx.concurrency, async (blob) => {
      const outcome = await copyBlob(ctx, blob, progress)
      progress.finished(blob.digest, blob.size)
      count(counts, outcome, blob.size)
      const verb = { skipped: 'present', mounted: 'mounted', uploaded: 'copied' }[outcome]
      ctx.log(`blob ${blob.digest} (${blob.size} bytes): ${ctx.dryRun ? `would be ${verb}` : verb}`)
    })
  } finally {
    stop()
  }
  return counts
}

function count(counts: BlobCounts, outcome: BlobOutcome, size: number): void {
  if (outcome === 'skipped') counts.skipped++
  if (outcome === 'mounted') counts.mounted++
  if (outcome === 'uploaded') {
    counts.blobs++
    counts.bytes += size
  }
}

async function copyBlob(
  ctx: BlobCopyContext,
  blob: Descriptor,
  progress: CopyProgress
): Promise<BlobOutcome> {
  const { client, source, destination } = ctx
  const dest = <T>(work: Promise<T>) => sided(work, 'destination', destination.registry)
  if (await dest(client.blobExists(destination, blob.digest))) return 'skipped'
  const sameRegistry = source.registry === destination.registry
  if (ctx.dryRun) return sameRegistry ? 'mounted' : 'uploaded'
  let location: string | undefined
  if (sameRegistry) {
    const mount = await dest(client.mountBlob(destination, blob.digest, source.repository))
    if (mount.mounted) return 'mounted'
    location = mount.location
  }
  const open = async () =>
    progress.counted(
      blob.digest,
      await sided(openSource(client, source, blob), 'source', source.registry)
    )
  const options = {
    ...(location !== undefined && { location }),
    ...(ctx.chunkSize !== undefined && { chunkSize: ctx.chunkSize })
  }
  await dest(client.uploadBlob(destination, blob, open, options))
  return 'uploaded'
}

/** The source blob as a stream whose errors name the source. */
function openSource(client: RegistryClient, source: ImageRef, blob: Descriptor): Promise<Readable> {
  return client.openBlob(source, blob, 'source')
}

/** `work`, its RegistryError naming `side` unless it names one already. */
export async function sided<T>(work: Promise<T>, side: CopySide, registry: string): Promise<T> {
  try {
    return await work
  } catch (error) {
    throw onSide(error, side, registry)
  }
}

/** Runs `fn` over `items` with at most `limit` at once; waits for those started, then throws the first failure. */
export async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>
): Promise<void> {
  let next = 0
  let failure: { error: unknown } | undefined
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < items.length) {
      const item = items[next++] as T
      try {
        await fn(item)
      } catch (error) {
        failure ??= { error }
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker))
  if (failure) throw failure.error
}

/** `fn` of each of `items`, at most `limit` at once, in the order of `items`; the first failure throws. */
export async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length)
  const indexed = items.map((item, i) => ({ item, i }))
  await eachLimited(indexed, limit, async ({ item, i }) => {
    results[i] = await fn(item)
  })
  return results
}
