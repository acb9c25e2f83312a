/**
 * Referrers of a manifest: the OCI 1.1 referrers API where the registry has it, the referrers tag
 * schema (an index at tag `sha256-<hex>`) where it answers 404, as distribution 2.8 does.
 * https://github.com/opencontainers/distribution-spec/blob/main/spec.md#referrers-tag-schema
 */
import { RegistryError } from './errors.js'
import {
  InvalidManifestError,
  parseManifest,
  digestOf,
  type Descriptor,
  type ImageIndex
} from './manifest.js'
import { putManifest } from './manifest-put.js'
import { OCI_INDEX } from './media-types.js'
import type { Digest, ImageRef } from './reference.js'
import {
  addReferrer,
  filterReferrers,
  nextLink,
  referrerDescriptor,
  referrersTag
} from './referrers-index.js'
import { contentType, uploadPath } from './request-parts.js'
import type { AccessRequest, Session } from './session.js'

/** How often a tag-schema update is read, changed and written when another writer interferes. */
const UPDATE_ATTEMPTS = 5

/**
 * The referrers of `subject` (which must name a digest), of `artifactType` when given. The first
 * listing on a registry asks the referrers API and reads the tag-schema index at once, as either
 * may be the answer; once the API has answered (or 404ed) only the registry's own way is asked.
 */
export async function listReferrers(
  session: Session,
  subject: ImageRef,
  artifactType?: string
): Promise<Descriptor[]> {
  const digest = subjectDigest(subject)
  const known = session.referrersApi.get(subject.registry)
  if (known === false) {
    return filterReferrers(
      (await readTagIndex(session, subject, digest))?.manifests ?? [],
      artifactType
    )
  }
  const tagIndex = known === undefined ? readTagIndex(session, subject, digest) : undefined
  // Awaited below when the API is missing, and its failure is then the listing's; else unwanted.
  tagIndex?.catch(() => undefined)
  const listed = await fromApi(session, subject, digest, artifactType)
  session.referrersApi.set(subject.registry, listed !== undefined)
  if (listed !== undefined) return listed
  const index = await (tagIndex ?? readTagIndex(session, subject, digest))
  return filterReferrers(index?.manifests ?? [], artifactType)
}

/** The referrers API's listing, every page; undefined when the registry does not have the API. */
async function fromApi(
  session: Session,
  subject: ImageRef,
  digest: Digest,
  artifactType: string | undefined
): Promise<Descriptor[] | undefined> {
  const access = session.access(subject, ['pull'], `GET referrers ${subject.repository}@${digest}`)
  const query = artifactType === undefined ? '' : `?${new URLSearchParams({ artifactType })}`
  let path: string | undefined = `/v2/${subject.repository}/referrers/${digest}${query}`
  const found: Descriptor[] = []
  for (let page = 0; path !== undefined; page++) {
    const response = await session.send(access, {
      method: 'GET',
      path,
      headers: { accept: OCI_INDEX }
    })
    if (response.status === 404 && page === 0) return undefined
    if (response.status !== 200) throw session.unexpected(access, response)
    found.push(...indexOf(access, response.body, contentType(response)).manifests)
    const next = nextLink(response.headers.link)
    path = next === undefined ? undefined : uploadPath(next)
  }
  return filterReferrers(found, artifactType)
}

/**
 * Puts a manifest that has a `subject` by its digest. A registry that answers without `OCI-Subject`
 * did not index it, so the tag-schema index is read, extended and written back, then read again to
 * see that no other writer replaced it in between (distribution 2.8 has no If-Match on manifests).
 */
export async function pushReferrer(
  session: Session,
  repo: ImageRef,
  manifest: Buffer,
  mediaType: string
): Promise<Digest> {
  const parsed = parseManifest(manifest, mediaType)
  const subject = parsed.manifest.subject
  const digest = digestOf(manifest)
  const operation = `PUT referrer ${repo.repository}@${digest}`
  if (subject === undefined) {
    throw new RegistryError({
      server: repo.registry,
      operation,
      code: 'MANIFEST_INVALID',
      message: `registry ${repo.registry}: ${operation} not sent: the manifest has no subject`
    })
  }
  const target = { registry: repo.registry, repository: repo.repository }
  const put = await putManifest(session, { ...target, digest }, manifest, parsed.mediaType)
  if (put.headers['oci-subject'] !== undefined) return digest
  const descriptor = referrerDescriptor(parsed, digest, manifest.length)
  const tag = { ...target, tag: referrersTag(subject.digest) }
  for (let attempt = 1; attempt <= UPDATE_ATTEMPTS; attempt++) {
    const current = await readTagIndex(session, target, subject.digest)
    const { index, changed } = addReferrer(current, descriptor)
    if (!changed) return digest
    await putManifest(session, tag, Buffer.from(JSON.stringify(index)), OCI_INDEX)
    const after = await readTagIndex(session, target, subject.digest)
    if (after?.manifests.some((m) => m.digest === digest)) return digest
  }
  throw new RegistryError({
    server: repo.registry,
    operation,
    code: 'CONFLICT',
    message: `registry ${repo.registry}: ${operation}: the referrers index at tag ${tag.tag} kept changing under ${UPDATE_ATTEMPTS} attempts to add ${digest}`
  })
}

/** The index at the subject's tag-schema tag, or undefined when there is none. */
async function readTagIndex(
  session: Session,
  repo: Pick<ImageRef, 'registry' | 'repository'>,
  subject: Digest
): Promise<ImageIndex | undefined> {
  const tag = referrersTag(subject)
  const access = session.access(repo, ['pull'], `GET referrers tag ${repo.repository}:${tag}`)
  const response = await session.send(access, {
    method: 'GET',
    path: `/v2/${repo.repository}/manifests/${tag}`,
    headers: { accept: OCI_INDEX }
  })
  if (response.status === 404) return undefined
  if (response.status !== 200) throw session.unexpected(access, response)
  return indexOf(access, response.body, contentType(response))
}

function indexOf(access: AccessRequest, body: Buffer, type: string): ImageIndex {
  try {
    const parsed = parseManifest(body, type || OCI_INDEX)
    if (parsed.kind === 'index') return parsed.manifest
    throw new InvalidManifestError(`expected an image index, got ${parsed.mediaType}`)
  } catch (error) {
    if (!(error instanceof InvalidManifestError)) throw error
    throw new RegistryError({
      server: access.registry,
      operation: access.operation,
      code: 'MANIFEST_INVALID',
      message: `registry ${access.registry}: ${access.operation} returned an unusable index: ${error.message}`
    })
  }
}

function subjectDigest(subject: ImageRef): Digest {
  if (subject.digest !== undefined) return subject.digest
  throw new RegistryError({
    server: subject.registry,
    operation: `GET referrers ${subject.repository}`,
    code: 'DIGEST_INVALID',
    message: `registry ${subject.registry}: referrers are listed for a digest, and ${subject.repository}:${subject.tag ?? 'latest'} names none`
  })
}
