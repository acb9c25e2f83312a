/**
 * Listing a repository's tags: `GET /v2/<name>/tags/list`, page after page while the registry sends
 * `Link: <…>; rel="next"` (distribution paginates with `n` and `last`).
 * https://github.com/opencontainers/distribution-spec/blob/main/spec.md#listing-tags
 */
import { RegistryError, statusError } from './errors.js'
import type { ImageRef } from './reference.js'
import { nextLink } from './referrers-index.js'
import { uploadPath } from './request-parts.js'
import type { AccessRequest, Session } from './session.js'

/** How tags are listed. */
export interface ListTagsOptions {
  /** Tags per page (`?n=`); the registry's default when undefined (distribution 2.8: all at once). */
  readonly pageSize?: number
}

/** Every tag of the repository, in the registry's order, each once. */
export async function listTags(
  session: Session,
  repo: Pick<ImageRef, 'registry' | 'repository'>,
  options: ListTagsOptions = {}
): Promise<string[]> {
  const { pageSize } = options
  if (pageSize !== undefined && !(Number.isSafeInteger(pageSize) && pageSize > 0)) {
    throw new RangeError(`listTags: pageSize must be a positive integer, not ${pageSize}`)
  }
  const access = session.access(repo, ['pull'], `GET tags ${repo.repository}`)
  const query = pageSize === undefined ? '' : `?n=${pageSize}`
  const tags = new Set<string>()
  const seen = new Set<string>()
  let path: string | undefined = `/v2/${repo.repository}/tags/list${query}`
  while (path !== undefined && !seen.has(path)) {
    seen.add(path)
    const response = await session.send(access, { method: 'GET', path })
    if (response.status === 404) throw notFound(access, response.body)
    if (response.status !== 200) throw session.unexpected(access, response)
    for (const tag of tagsOf(access, response.body)) tags.add(tag)
    const next = nextLink(response.headers.link)
    // A next link seen before would loop forever; the pages so far are the whole listing.
    path = next === undefined ? undefined : uploadPath(next)
  }
  return [...tags]
}

/** 404: NAME_UNKNOWN says the repository does not exist; any other code is reported as it is. */
function notFound(access: AccessRequest, body: Buffer): RegistryError {
  const error = statusError(access.registry, access.operation, 404, body)
  if (error.code !== undefined && error.code !== 'NAME_UNKNOWN') return error
  return new RegistryError({
    server: access.registry,
    operation: access.operation,
    status: 404,
    code: error.code ?? 'NAME_UNKNOWN',
    message: `registry ${access.registry}: ${access.operation} failed: 404 ${error.code ?? 'Not Found'}: repository ${access.registry}/${access.repository} does not exist`
  })
}

/** The `tags` of a `{"name": …, "tags": […]}` body; `null` (no tags) is an empty list. */
function tagsOf(access: AccessRequest, body: Buffer): string[] {
  let parsed: unknown
  try {
    parsed = JSON.parse(body.toString('utf8'))
  } catch {
    throw unusable(access, 'is not JSON')
  }
  if (typeof parsed !== 'object' || parsed === null) throw unusable(access, 'is not an object')
  const tags = (parsed as { tags?: unknown }).tags
  if (tags === null || tags === undefined) return []
  if (!Array.isArray(tags) || !tags.every((tag) => typeof tag === 'string')) {
    throw unusable(access, 'has no list of strings in "tags"')
  }
  return tags
}

function unusable(access: AccessRequest, problem: string): RegistryError {
  return new RegistryError({
    server: access.registry,
    operation: access.operation,
    code: 'TAG_LIST_INVALID',
    message: `registry ${access.registry}: ${access.operation} returned a tag list that ${problem}`
  })
}
