import * as core from '@actions/core'
import { bytes, code, writeSummary } from '../../../action/summary.js'
import {
  onSide,
  pinnedReference,
  RegistryError,
  repositoryName,
  type CopyResult,
  type Digest,
  type ImageRef,
  type RegistryClient
} from '../../../registry/index.js'
import type { ReleaseInputs } from './inputs.js'

/** Credentials per registry; on one registry the destination's win, as they must also mount. */

/** `registry/repository@digest`. */
export function pinned(ref: ImageRef & { digest: Digest }): string {
  return pinnedReference(ref, ref.digest)
}

/** The source by digest: a tag is resolved once, and that digest is what moves on. */
export async function resolveSource(
  client: RegistryClient,
  source: ImageRef
): Promise<ImageRef & { digest: Digest }> {
  try {
    const digest = source.digest ?? (await client.resolveDigest(source))
    const resolved = { registry: source.registry, repository: source.repository, digest }
    if (source.digest === undefined)
      core.info(`${repositoryName(source)}:${source.tag} is ${digest}`)
    else await client.headManifest(resolved) // the digest must exist before anything else happens
    return resolved
  } catch (error) {
    throw onSide(error, 'source', source.registry)
  }
}

/** One line on what the copy did, saying so when there was nothing to do. */
export function describeCopy(result: CopyResult, dryRun: boolean): string {
  const c = result.copied
  if (c.blobs === 0 && c.mounted === 0 && c.manifests === 0) {
    return `Nothing to copy: ${result.pinned} already holds every blob and manifest (${c.skipped} blobs checked)`
  }
  const verb = dryRun ? 'Would copy' : 'Copied'
  return `${verb} ${c.blobs} blobs (${bytes(c.bytes)}), mounted ${c.mounted}, skipped ${c.skipped}, ${c.manifests} manifests, ${result.referrers.length} referrers`
}

/** The destination tags as full references, as build-image outputs them. */
export function fullTags(inputs: ReleaseInputs, result: CopyResult): string[] {
  return result.tags.map((tag) => `${repositoryName(inputs.destination)}:${tag}`)
}

/** What the first destination tag points to now, or undefined when it does not exist. */
export async function previousImage(
  client: RegistryClient,
  inputs: ReleaseInputs
): Promise<string | undefined> {
  if (inputs.tags.length === 0) return undefined
  try {
    const head = await client.headManifest({ ...inputs.destination, tag: inputs.tags[0] })
    return pinnedReference(inputs.destination, head.digest)
  } catch (error) {
    if (error instanceof RegistryError && error.status === 404) return undefined
    throw error
  }
}

/** The job summary of a release. */
export async function writeReleaseSummary(
  inputs: ReleaseInputs,
  result: CopyResult,
  previous: string | undefined
): Promise<void> {
  const c = result.copied
  await writeSummary(
    inputs.dryRun ? 'Release planned (dry run)' : 'Released',
    [
      ['source', code(pinnedReference(inputs.source, result.digest))],
      ['destination', code(result.pinned)],
      ['tags', fullTags(inputs, result).map(code).join('<br>') || '—'],
      ['platforms', result.platforms.join(', ') || 'one'],
      ['evidence required', inputs.requireEvidence.join(', ') || 'none'],
      ['previous', previous ? code(previous) : '—'],
      [
        'blobs',
        `${c.blobs} copied (${bytes(c.bytes)}), ${c.mounted} mounted, ${c.skipped} already there`
      ],
      ['referrers', String(result.referrers.length)]
    ],
    [describeCopy(result, inputs.dryRun)]
  )
}
