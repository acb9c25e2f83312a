/**
 * When the image behind a tag was built, for the `newest-build` tag policy. The first of:
 * 1. the `org.opencontainers.image.created` annotation of the tag's manifest (image or index): it
 *    needs no further request, and the image spec defines it as the build time (annotations.md);
 * 2. for an index, the same for its first platform's manifest: the first image entry whose platform is
 *    not `unknown/unknown` (BuildKit lists attestations under that platform), as `docker pull` and
 *    Flux pick one image of a multi-platform tag rather than mixing platforms' times;
 * 3. the image config's `created` (config.md), fetched once per config digest.
 * Tags whose manifest is gone (404) or unusable (schema 1, not a manifest) have no build time, nor do
 * artifacts (a config that is not an image config); they are skipped, not failed on.
 *
 * Fetches run at most `concurrency` at a time. The pool is written here: it is ten lines, and p-limit
 * would be a new dependency for it.
 */
import * as core from '@actions/core'
import type { FetchedManifest, RegistryClient } from './client.js'
import { RegistryError } from './errors.js'
import type { Descriptor } from './manifest.js'
import { DOCKER_CONFIG, IMAGE_MANIFEST_TYPES, OCI_CONFIG } from './media-types.js'
import type { Digest, ImageRef } from './reference.js'

/** The annotation holding an image's build time (RFC 3339). */
export const CREATED_ANNOTATION = 'org.opencontainers.image.created'

/** A tag, the digest behind it, and when its image was built (ns since the epoch) when known. */
export interface BuildTime {
  readonly tag: string
  readonly digest: Digest
  readonly created?: bigint
}

type Repo = Pick<ImageRef, 'registry' | 'repository'>

/** The build time of each tag that still names a manifest, in the order of `tags`. */
export async function buildTimes(
  client: RegistryClient,
  repo: Repo,
  tags: readonly string[],
  concurrency = 4
): Promise<BuildTime[]> {
  const configs = new Map<Digest, Promise<bigint | undefined>>()
  const children = new Map<Digest, Promise<bigint | undefined>>()
  const configTime = (config: Descriptor): Promise<bigint | undefined> => {
    let known = configs.get(config.digest)
    if (!known) {
      known = client.fetchBlob(repo, config.digest).then(createdOfConfig)
      configs.set(config.digest, known)
    }
    return known
  }
  const imageTime = (fetched: FetchedManifest): Promise<bigint | undefined> => {
    const annotated = parseCreated(fetched.manifest.annotations?.[CREATED_ANNOTATION])
    if (annotated !== undefined) return Promise.resolve(annotated)
    if (fetched.kind === 'image') {
      const config = fetched.manifest.config
      const isImage = config.mediaType === OCI_CONFIG || config.mediaType === DOCKER_CONFIG
      return isImage ? configTime(config) : Promise.resolve(undefined)
    }
    const entry = firstPlatform(fetched.manifest.manifests)
    if (!entry) return Promise.resolve(undefined)
    let known = children.get(entry.digest)
    if (!known) {
      known = client.getManifest({ ...repo, digest: entry.digest }).then(imageTime)
      children.set(entry.digest, known)
    }
    return known
  }
  const times = await inPool(tags, concurrency, async (tag) => {
    const fetched = await manifestOf(client, { ...repo, tag })
    if (!fetched) return undefined
    const created = await imageTime(fetched)
    return { tag, digest: fetched.digest, ...(created !== undefined && { created }) }
  })
  return times.filter((time) => time !== undefined)
}

/** The tag's manifest, or undefined when it was removed since the listing or is unusable. */
async function manifestOf(
  client: RegistryClient,
  ref: ImageRef
): Promise<FetchedManifest | undefined> {
  try {
    return await client.getManifest(ref)
  } catch (error) {
    const skip =
      error instanceof RegistryError && (error.status === 404 || error.code === 'MANIFEST_INVALID')
    if (!skip) throw error
    core.debug(`tag ${ref.tag} skipped for newest-build: ${error.message}`)
    return undefined
  }
}

/** The first single-platform image of an index that is not an attestation (`unknown/unknown`). */
function firstPlatform(entries: readonly Descriptor[]): Descriptor | undefined {
  return entries.find(
    (entry) =>
      IMAGE_MANIFEST_TYPES.includes(entry.mediaType) &&
      !(entry.platform?.os === 'unknown' && entry.platform.architecture === 'unknown')
  )
}

function createdOfConfig(bytes: Buffer): bigint | undefined {
  try {
    const config: unknown = JSON.parse(bytes.toString('utf8'))
    const created = (config as { created?: unknown } | null)?.created
    return typeof created === 'string' ? parseCreated(created) : undefined
  } catch {
    // A config that is not JSON gives no build time; the tag is skipped like an artifact.
    return undefined
  }
}

const RFC3339 = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9})\d*)?(Z|[+-]\d\d:\d\d)$/i

/**
 * An RFC 3339 time as nanoseconds since the epoch. Nanoseconds, not Date's milliseconds: Go writes
 * `created` with up to nine fractional digits, and builds a few hundred µs apart must still order.
 */
export function parseCreated(text: string | undefined): bigint | undefined {
  const match = text === undefined ? null : RFC3339.exec(text)
  if (!match) return undefined
  const [, seconds = '', fraction = '', zone = ''] = match
  const ms = Date.parse(`${seconds}${zone}`.toUpperCase())
  if (Number.isNaN(ms)) return undefined
  return BigInt(ms) * 1_000_000n + BigInt(fraction.padEnd(9, '0'))
}

/** `fn` over `items`, at most `limit` at a time; results in the order of `items`. */
async function inPool<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>
): Promise<R[]> {
  const results: R[] = []
  let next = 0
  let failed = false
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const index = next++
      try {
        results[index] = await fn(items[index] as T)
      } catch (error) {
        failed = true // no new fetches once one has failed: the selection fails anyway
        throw error
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return results
}
