/**
 * Writing blobs (https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pushing-blobs):
 * a monolithic upload (POST, then PUT `?digest=` with the whole body streamed), a chunked upload
 * (PATCH with Content-Range, then PUT) when the monolithic PUT is refused as too large, and the
 * cross-repository mount. A failed upload restarts from the source with a new session; before each
 * restart the destination is asked whether the blob arrived after all (a response lost on the way).
 * A session that will not be completed (a failed or aborted attempt) is cancelled with `DELETE`.
 */
import * as core from '@actions/core'
import { Readable } from 'node:stream'
import { messageOf } from '../action/errors.js'
import { withRetry } from '../retry/index.js'
import { RegistryError } from './errors.js'
import { digestOf } from './manifest.js'
import { parseDigest, type Digest, type ImageRef } from './reference.js'
import { uploadPath } from './request-parts.js'
import { mismatch, type AccessRequest, type Session } from './session.js'
import { classifyFailure } from './transient.js'

/** A blob's identity: digest and size. */
export interface BlobRef {
  readonly digest: Digest
  readonly size: number
}

/** How `uploadBlob` uploads. */
export interface UploadOptions {
  /** An upload session already opened (the `Location` of a declined mount); used first. */
  readonly location?: string
  /** Bytes per PATCH of a chunked upload (default 8 MiB). */
  readonly chunkSize?: number
  /** Ask first whether the repository holds the blob (default false: the caller asked). */
  readonly checkFirst?: boolean
}

const DEFAULT_CHUNK = 8 * 1024 * 1024

/** Uploads a small blob from memory unless the repository holds it. */
export async function pushBlob(session: Session, repo: ImageRef, data: Buffer): Promise<BlobRef> {
  const blob = { digest: digestOf(data), size: data.length }
  await uploadBlob(session, repo, blob, async () => Readable.from([data]), { checkFirst: true })
  return blob
}

/** Uploads a blob from `open` (called again for each attempt); `skipped` when it is there already. */
export async function uploadBlob(
  session: Session,
  repo: ImageRef,
  blob: BlobRef,
  open: () => Promise<Readable>,
  options: UploadOptions = {}
): Promise<'uploaded' | 'skipped'> {
  const digest = parseDigest(blob.digest)
  const access = session.access(repo, ['pull', 'push'], `PUT blob ${repo.repository}@${digest}`)
  const exists = () => blobThere(session, repo, digest)
  if (options.checkFirst === true && (await exists())) return 'skipped'
  return withRetry<'uploaded' | 'skipped'>(
    session.retry,
    async (n) => {
      if (n > 1 && (await exists())) return 'uploaded'
      const given = n === 1 ? options.location : undefined
      let pending: string | undefined = given ?? (await startUpload(session, access))
      const source = tracked(open)
      try {
        if (await putWhole(session, access, pending, blob, source.open)) return 'uploaded'
        core.info(
          `${access.operation}: monolithic upload refused as too large; uploading in chunks`
        )
        const refused = pending
        pending = undefined
        await cancelUpload(session, access, refused, core.info)
        pending = await startUpload(session, access)
        await putChunks(session, access, pending, blob, source.open, options.chunkSize, (next) => {
          pending = next
        })
        return 'uploaded'
      } catch (error) {
        if (pending !== undefined) await cancelUpload(session, access, pending, core.info)
        // The source failing midway surfaces as a failed request to the destination: report it.
        throw source.failure() ?? error
      }
    },
    (error) => classifyFailure(error, true),
    (reason, delay, n) =>
      core.info(
        `registry ${repo.registry}: ${access.operation} failed (${reason}); restarting the blob from the source in ${(delay / 1000).toFixed(1)}s (attempt ${n + 1} of ${session.retry.attempts})`
      )
  )
}

/** `POST ?mount=&from=`: true when mounted (201); a 202 opened an upload session instead. */
export async function mountBlob(
  session: Session,
  repo: ImageRef,
  digest: Digest,
  from: string
): Promise<{ mounted: true } | { mounted: false; location?: string }> {
  const operation = `mount blob ${digest} from ${from} to ${repo.repository}`
  const access = session.access(repo, ['pull', 'push'], operation, [
    { type: 'repository', name: from, actions: ['pull'] }
  ])
  const query = new URLSearchParams({ mount: parseDigest(digest), from })
  const response = await session.send(access, {
    method: 'POST',
    path: `/v2/${repo.repository}/blobs/uploads/?${query.toString()}`,
    headers: { 'content-length': '0' }
  })
  if (response.status === 201) return { mounted: true }
  if (response.status === 202) {
    const location = response.headers.location
    return { mounted: false, ...(location !== undefined && { location }) }
  }
  throw session.unexpected(access, response)
}

/** How long cancelling one upload session may take: it is tidying up, not the work. */
const CANCEL_TIMEOUT_MS = 10_000

/**
 * `DELETE <upload URL>`: ends an upload session that will not be completed, so that it does not
 * wait on the registry for its purge (distribution answers 204, and the URL then answers 404
 * BLOB_UPLOAD_UNKNOWN). Best effort: a failure is logged with `log`, never thrown. It carries its
 * own signal, as it must still go out after a stage's timeout aborted the upload. True when done.
 */
export async function cancelUpload(
  session: Session,
  access: AccessRequest,
  location: string,
  log: (line: string) => void = core.debug
): Promise<boolean> {
  const base = new URL(session.baseUrl(access.registry))
  const url = new URL(location, base)
  const operation = `DELETE blob upload ${access.repository}`
  if (url.origin !== base.origin) {
    log(`upload session at ${url.origin} left to expire: not the registry's own host`)
    return false
  }
  try {
    // distribution wants the `delete` action for any DELETE, an upload's too (appendAccessRecords
    // in https://github.com/distribution/distribution/blob/v2.8.2/registry/handlers/app.go)
    const response = await session.send(
      {
        ...access,
        actions: [...new Set([...access.actions, 'delete'])],
        operation,
        signal: AbortSignal.timeout(CANCEL_TIMEOUT_MS)
      },
      { method: 'DELETE', path: `${url.pathname}${url.search}` }
    )
    if (response.status < 300) return true
    log(
      `registry ${access.registry}: ${operation} answered ${response.status}; the session expires on its own`
    )
  } catch (error) {
    // Cancelling is tidiness: registries expire unfinished uploads; the failure that led here matters.
    log(
      `registry ${access.registry}: ${operation} failed (${messageOf(error)}); the session expires on its own`
    )
  }
  return false
}

async function blobThere(session: Session, repo: ImageRef, digest: Digest): Promise<boolean> {
  const access = session.access(repo, ['pull'], `HEAD blob ${repo.repository}@${digest}`)
  const response = await session.send(access, {
    method: 'HEAD',
    path: `/v2/${repo.repository}/blobs/${digest}`
  })
  if (response.status === 404) return false
  if (response.status === 200 || (response.status >= 300 && response.status < 400)) return true
  throw session.unexpected(access, response)
}

async function startUpload(session: Session, access: AccessRequest): Promise<string> {
  const post = { ...access, operation: `POST blob upload ${access.repository}` }
  const response = await session.send(post, {
    method: 'POST',
    path: `/v2/${access.repository}/blobs/uploads/`,
    headers: { 'content-length': '0' }
  })
  const location = response.headers.location
  if (response.status !== 202) throw session.unexpected(post, response)
  if (!location) throw invalid(post, 'answered 202 without a Location for the upload')
  return location
}

/** PUT of the whole blob; false when the registry refuses it as too large. */
async function putWhole(
  session: Session,
  access: AccessRequest,
  location: string,
  blob: BlobRef,
  open: () => Promise<Readable>
): Promise<boolean> {
  const response = await session.send(access, {
    method: 'PUT',
    path: uploadPath(location, { digest: blob.digest }),
    headers: {
      'content-type': 'application/octet-stream',
      'content-length': String(blob.size),
      expect: '100-continue'
    },
    body: open
  })
  if (refusedAsTooLarge(response.status, response.body)) return false
  checkCommitted(session, access, response, blob.digest)
  return true
}

/** PATCHes the stream in chunks of `chunkSize`, then commits with an empty PUT. */
async function putChunks(
  session: Session,
  access: AccessRequest,
  location: string,
  blob: BlobRef,
  open: () => Promise<Readable>,
  chunkSize = DEFAULT_CHUNK,
  moved: (location: string) => void = () => undefined
): Promise<void> {
  const patch = { ...access, operation: `PATCH blob ${access.repository}@${blob.digest}` }
  let offset = 0
  let next = location
  const send = async (chunk: Buffer): Promise<void> => {
    const response = await session.send(patch, {
      method: 'PATCH',
      path: uploadPath(next),
      headers: {
        'content-type': 'application/octet-stream',
        'content-length': String(chunk.length),
        'content-range': `${offset}-${offset + chunk.length - 1}`
      },
      body: chunk
    })
    if (response.status !== 202) throw session.unexpected(patch, response)
    next = response.headers.location ?? next
    moved(next)
    offset += chunk.length
  }
  let pending: Buffer[] = []
  let held = 0
  for await (const piece of await open()) {
    pending.push(piece as Buffer)
    held += (piece as Buffer).length
    while (held >= chunkSize) {
      const all = Buffer.concat(pending)
      await send(all.subarray(0, chunkSize))
      pending = [all.subarray(chunkSize)]
      held = all.length - chunkSize
    }
  }
  if (held > 0) await send(Buffer.concat(pending))
  const response = await session.send(access, {
    method: 'PUT',
    path: uploadPath(next, { digest: blob.digest }),
    headers: { 'content-length': '0' }
  })
  checkCommitted(session, access, response, blob.digest)
}

function checkCommitted(
  session: Session,
  access: AccessRequest,
  response: Awaited<ReturnType<Session['send']>>,
  digest: Digest
): void {
  if (response.status !== 201) throw session.unexpected(access, response)
  const reported = response.headers['docker-content-digest']
  if (reported !== undefined && session.headerDigest(access, reported) !== digest) {
    throw mismatch(access, `stored the blob as ${reported}`)
  }
}

/** 413, or a 400 whose distribution code says the size is the problem. */
function refusedAsTooLarge(status: number, body: Buffer): boolean {
  if (status === 413) return true
  return status === 400 && /"code"\s*:\s*"SIZE_INVALID"/.test(body.toString('utf8'))
}

/** Wraps `open` so that an error of the source stream can be told from one of the destination. */
function tracked(open: () => Promise<Readable>) {
  let failed: unknown
  return {
    open: async () => {
      const stream = await open()
      stream.once('error', (error) => {
        failed ??= error
      })
      return stream
    },
    failure: () => (failed instanceof RegistryError ? failed : undefined)
  }
}

function invalid(access: AccessRequest, what: string): RegistryError {
  return new RegistryError({
    server: access.registry,
    operation: access.operation,
    code: 'BLOB_UPLOAD_INVALID',
    message: `registry ${access.registry}: ${access.operation} ${what}`
  })
}
