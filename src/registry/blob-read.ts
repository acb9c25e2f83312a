/**
 * Reading blobs: `GET /v2/<name>/blobs/<digest>` as a stream (storage redirects followed by the
 * transport), hashed as it flows so that a stream whose digest or size is wrong fails at its end.
 */
import { createHash } from 'node:crypto'
import { Transform, type Readable, type TransformCallback } from 'node:stream'
import { withRetry } from '../retry/index.js'
import { onSide, RegistryError, unreachableError, type CopySide } from './errors.js'
import { readAll } from './http-exchange.js'
import type { Descriptor } from './manifest.js'
import { parseDigest, type Digest, type ImageRef } from './reference.js'
import { mismatch, type AccessRequest, type Session } from './session.js'
import { classifyFailure } from './transient.js'
import { youngCollector } from './young-collector.js'

/** The most `fetchBlob` reads into memory; larger blobs are for `openBlob`. */
export const FETCH_LIMIT_BYTES = 32 * 1024 * 1024

/** What to read: a digest, and the size when it is known. */
export type BlobSelector = Pick<Descriptor, 'digest'> & { readonly size?: number }

/** How `openBlob` reads. */
export interface OpenBlobOptions {
  /** Fail once more than this many bytes arrive. */
  readonly limit?: number
  /** The side of a copy the registry is, named in the stream's errors. */
  readonly side?: CopySide
}

/** Opens a blob as a stream; it errors at its end when the content's digest or size do not match. */
export async function openBlob(
  session: Session,
  repo: ImageRef,
  blob: BlobSelector,
  options: OpenBlobOptions = {}
): Promise<Readable> {
  const digest = parseDigest(blob.digest)
  const access = session.access(repo, ['pull'], `GET blob ${repo.repository}@${digest}`)
  const response = await session.stream(access, {
    method: 'GET',
    path: `/v2/${repo.repository}/blobs/${digest}`
  })
  if (response.status !== 200) {
    const body = await readAll(response.body).catch(() => Buffer.alloc(0))
    throw session.unexpected(access, { ...response, body })
  }
  const verifier = new DigestVerifier(access, digest, blob.size, options.limit, options.side)
  response.body.on('error', (error) =>
    verifier.destroy(unreachableError(access.registry, access.operation, error))
  )
  verifier.on('close', () => response.body.destroy())
  return response.body.pipe(verifier)
}

/** A small blob read in full and verified; a body cut off midway is read again. */
export function fetchBlob(session: Session, repo: ImageRef, digest: Digest): Promise<Buffer> {
  return withRetry(
    session.retry,
    async () => readAll(await openBlob(session, repo, { digest }, { limit: FETCH_LIMIT_BYTES })),
    (error) => classifyFailure(error, true)
  )
}

/**
 * Bytes a verifier holds before it stops reading: a few of the socket's 64 KiB reads, so that a
 * reader and a writer of different pace do not stop and start each other on every read (16 KiB,
 * the default, is less than one read).
 */
const VERIFIER_BUFFER = 256 * 1024

/**
 * Passes bytes through while hashing them; fails on a wrong digest, size or a blob over `limit`.
 * Its errors, and those it is destroyed with, name `side` when given.
 */
export class DigestVerifier extends Transform {
  private readonly hash
  private readonly collector = youngCollector()
  private bytes = 0

  constructor(
    private readonly access: AccessRequest,
    private readonly digest: Digest,
    private readonly size?: number,
    private readonly limit?: number,
    private readonly side?: CopySide
  ) {
    super({ highWaterMark: VERIFIER_BUFFER })
    this.hash = createHash(digest.split(':')[0] ?? 'sha256')
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length
    if (this.limit !== undefined && this.bytes > this.limit) {
      done(tooLarge(this.access, this.limit))
      return
    }
    if (this.size !== undefined && this.bytes > this.size) {
      done(mismatch(this.access, `returned more than the ${this.size} bytes the descriptor names`))
      return
    }
    this.hash.update(chunk)
    this.collector.streamed(chunk.length)
    done(null, chunk)
  }

  override _flush(done: TransformCallback): void {
    const actual = `${this.digest.split(':')[0]}:${this.hash.digest('hex')}`
    if (this.size !== undefined && this.bytes !== this.size) {
      done(mismatch(this.access, `returned ${this.bytes} bytes, the descriptor names ${this.size}`))
    } else if (actual !== this.digest) {
      done(mismatch(this.access, `returned content with digest ${actual}, expected ${this.digest}`))
    } else {
      done()
    }
  }

  override _destroy(error: Error | null, done: (error?: Error | null) => void): void {
    done(error && this.side ? (onSide(error, this.side, this.access.registry) as Error) : error)
  }
}

function tooLarge(access: AccessRequest, limit: number): RegistryError {
  return new RegistryError({
    server: access.registry,
    operation: access.operation,
    code: 'SIZE_INVALID',
    message: `registry ${access.registry}: ${access.operation} returned more than ${limit} bytes, too large to read into memory`
  })
}
