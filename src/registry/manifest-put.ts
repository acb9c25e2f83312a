/**
 * Writing manifests: `PUT /v2/<name>/manifests/<tag|digest>` with the manifest's media type, checking
 * that the digest the registry reports is the digest of the bytes sent.
 */
import { RegistryError } from './errors.js'
import type { HttpResponse } from './http.js'
import { digestOf } from './manifest.js'
import type { Digest, ImageRef } from './reference.js'
import { reference, selector } from './request-parts.js'
import { mismatch, type Session } from './session.js'

/** What a manifest PUT produced: the digest, and the response headers (`OCI-Subject`). */
export interface PutManifestResult {
  readonly digest: Digest
  readonly headers: HttpResponse['headers']
}

/** How a single write is sent. */
export interface WriteOptions {
  /** Aborts this write instead of the client's signal: a put-back that must outlive it. */
  readonly signal?: AbortSignal
}

/** Puts `bytes` to the tag or digest of `ref`; a digest in `ref` must be the bytes' digest. */
export async function putManifest(
  session: Session,
  ref: ImageRef,
  bytes: Buffer,
  mediaType: string,
  options: WriteOptions = {}
): Promise<PutManifestResult> {
  const algorithm = ref.digest?.split(':')[0] ?? 'sha256'
  const digest = digestOf(bytes, algorithm)
  const access = {
    ...session.access(ref, ['pull', 'push'], `PUT manifest ${selector(ref)}`),
    ...(options.signal && { signal: options.signal })
  }
  if (ref.digest !== undefined && ref.digest !== digest) {
    throw new RegistryError({
      server: ref.registry,
      operation: access.operation,
      code: 'DIGEST_INVALID',
      message: `registry ${ref.registry}: ${access.operation} not sent: the manifest's digest is ${digest}`
    })
  }
  const response = await session.send(access, {
    method: 'PUT',
    path: `/v2/${ref.repository}/manifests/${reference(ref)}`,
    headers: { 'content-type': mediaType, 'content-length': String(bytes.length) },
    body: bytes
  })
  if (response.status !== 201) throw session.unexpected(access, response)
  const reported = response.headers['docker-content-digest']
  if (reported !== undefined && session.headerDigest(access, reported) !== digest) {
    throw mismatch(access, `stored the manifest as ${reported}, but the bytes sent are ${digest}`)
  }
  return { digest, headers: response.headers }
}

/**
 * Deletes a tag (`DELETE /v2/<name>/manifests/<tag>`, OCI distribution 1.1): `deleted`, or `absent`
 * when the registry has no such tag. Registries that delete manifests only by digest (distribution
 * 2.x answers 400/405 UNSUPPORTED) fail with that status: deleting by digest would take every other
 * tag of the manifest with it, so it is never attempted instead.
 */
export async function deleteTag(
  session: Session,
  ref: ImageRef,
  options: WriteOptions = {}
): Promise<'deleted' | 'absent'> {
  const access = {
    ...session.access(ref, ['pull', 'push', 'delete'], `DELETE tag ${selector(ref)}`),
    ...(options.signal && { signal: options.signal })
  }
  const response = await session.send(access, {
    method: 'DELETE',
    path: `/v2/${ref.repository}/manifests/${reference(ref)}`
  })
  if (response.status === 202 || response.status === 200) return 'deleted'
  if (response.status === 404) return 'absent'
  throw session.unexpected(access, response)
}
