/**
 * Sets a release's tags all-or-nothing as far as a registry allows: no registry API writes several
 * tags at once, so they are written one after another, each tag's previous manifest read first; when
 * one fails, every tag already written is put back (its previous manifest PUT again, or the tag
 * deleted when it is new) and the error names each tag's final state, so that a failed release never
 * leaves `1.0.0` on the new digest while `latest` keeps the old one without saying so.
 *
 * Tags that exist are moved first and new tags written last: a moved tag can always be put back,
 * but a new one only where the registry deletes tags (OCI distribution 1.1; distribution 2.x answers
 * 400), so a failure among the moves leaves no new tag anywhere.
 */
import type { RegistryClient } from './client.js'
import { messageOf } from '../action/errors.js'
import { RegistryError } from './errors.js'
import type { Digest, ImageRef } from './reference.js'

/** The manifest a tag will point at. */
export interface TagTarget {
  readonly digest: Digest
  readonly bytes: Buffer
  readonly mediaType: string
}

/** A failed tag write: the failed write's RegistryError, with where every tag points now. */
export class TagWriteError extends RegistryError {
  constructor(
    failed: RegistryError,
    /** One phrase per tag, e.g. `latest put back to sha256:…`, `1.0.0 not written, not created`. */
    readonly states: readonly string[],
    target: Digest
  ) {
    super({
      server: failed.server,
      operation: failed.operation,
      status: failed.status,
      code: failed.code,
      message: `${failed.message}; no tag moved to ${short(target)}: ${states.join('; ')}`,
      cause: failed
    })
    this.name = 'TagWriteError'
  }
}

interface Previous {
  readonly digest: Digest
  readonly bytes: Buffer
  readonly mediaType: string
}

/** How long putting one tag back may take. */
const PUT_BACK_TIMEOUT_MS = 30_000

function short(digest: string): string {
  return digest.slice(0, 'sha256:'.length + 12)
}

async function previousOf(
  client: RegistryClient,
  ref: ImageRef & { tag: string }
): Promise<Previous | undefined> {
  try {
    const fetched = await client.getManifest(ref)
    return { digest: fetched.digest, bytes: fetched.bytes, mediaType: fetched.mediaType }
  } catch (error) {
    if (error instanceof RegistryError && error.status === 404) return undefined
    throw error
  }
}

/**
 * Points each of `tags` of `repository` at `target`, in order; returns the tags written. On a
 * failure, puts back what was written and throws a RegistryError of the failed write whose message
 * ends with every tag's final state.
 */
export async function writeTags(
  client: RegistryClient,
  repository: ImageRef,
  tags: readonly string[],
  target: TagTarget,
  log: (line: string) => void = () => undefined
): Promise<string[]> {
  const at = (tag: string) => ({
    registry: repository.registry,
    repository: repository.repository,
    tag
  })
  const previous = await Promise.all(tags.map((tag) => previousOf(client, at(tag))))
  const written: number[] = []
  const order = [
    ...[...tags.keys()].filter((i) => previous[i] !== undefined),
    ...[...tags.keys()].filter((i) => previous[i] === undefined)
  ]
  for (const i of order) {
    const tag = tags[i]
    if (previous[i]?.digest === target.digest) continue
    try {
      await client.putManifest(at(tag), target.bytes, target.mediaType)
      written.push(i)
    } catch (error) {
      const states = await putBack(client, tags, previous, written, i, target, at)
      if (!(error instanceof RegistryError)) throw error
      throw new TagWriteError(error, states, target.digest)
    }
  }
  for (const tag of tags) log(`tag ${tag} points at ${target.digest}`)
  return tags.filter((_, i) => written.includes(i))
}

/** Undoes `written` (newest first) and says where every tag points now. */
async function putBack(
  client: RegistryClient,
  tags: readonly string[],
  previous: readonly (Previous | undefined)[],
  written: readonly number[],
  failed: number,
  target: TagTarget,
  at: (tag: string) => ImageRef & { tag: string }
): Promise<string[]> {
  const states = new Map<number, string>()
  for (const i of [...written].reverse()) {
    const tag = tags[i]
    const before = previous[i]
    // Its own bound, not the client's signal: after a stage's timeout the tags must still go back.
    const options = { signal: AbortSignal.timeout(PUT_BACK_TIMEOUT_MS) }
    try {
      if (before) {
        await client.putManifest(at(tag), before.bytes, before.mediaType, options)
        states.set(i, `${tag} put back to ${short(before.digest)}`)
      } else {
        await client.deleteTag(at(tag), options)
        states.set(i, `${tag} (new) deleted`)
      }
    } catch (error) {
      states.set(
        i,
        `${tag} STILL POINTS AT ${short(target.digest)} (${before ? `was ${short(before.digest)}` : 'new'}; putting it back failed: ${messageOf(error)})`
      )
    }
  }
  return tags.map((tag, i) => {
    const state = states.get(i)
    if (state) return state
    const before = previous[i]
    const where = before ? `still at ${short(before.digest)}` : 'not created'
    if (before?.digest === target.digest) return `${tag} already at ${short(target.digest)}`
    return i === failed ? `${tag} not written, ${where}` : `${tag} ${where}`
  })
}
