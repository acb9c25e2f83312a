/**
 * The OCI distribution client (https://github.com/opencontainers/distribution-spec/blob/main/spec.md).
 * Every call goes through `send`: authorization (challenge, credentials, cached bearer token), the
 * transport's scheme choice and retries, one token refresh on 401, and refusals worded for people.
 * Later operations (manifest and blob upload, cross-repository mount, copy) are built on `send` too.
 */
import type { Readable } from 'node:stream'
import { DEFAULT_RETRY, type RetryPolicy } from '../retry/index.js'
import { abortableRetry } from './abort.js'
import { Authenticator } from './auth.js'
import { fetchBlob, openBlob } from './blob-read.js'
import {
  cancelUpload,
  mountBlob,
  pushBlob,
  uploadBlob,
  type BlobRef,
  type UploadOptions
} from './blob-upload.js'
import {
  resolveCredentials,
  type CredentialOptions,
  type Credentials,
  type CredentialSource
} from './credentials.js'
import { RegistryError, type CopySide } from './errors.js'
import { Transport, type HttpResponse, type InFlightRequest, type RequestCounts } from './http.js'
import {
  digestOf,
  InvalidManifestError,
  parseManifest,
  type Descriptor,
  type ParsedManifest
} from './manifest.js'
import { deleteTag, putManifest, type WriteOptions } from './manifest-put.js'
import { contentType, reference, selector } from './request-parts.js'
import { MANIFEST_ACCEPT } from './media-types.js'
import { parseDigest, type Digest, type ImageRef } from './reference.js'
import { listReferrers, pushReferrer } from './referrers.js'
import { mismatch, Session, type AccessRequest } from './session.js'
import { listTags, type ListTagsOptions } from './tag-list.js'

/** How a RegistryClient finds credentials and talks to registries. */
export interface RegistryClientOptions {
  /** Credentials per registry (a map or a function); they win over config files. */
  readonly credentials?: CredentialSource
  /** Environment and home directory for the config-file lookup; `false` turns that lookup off. */
  readonly credentialLookup?: Pick<CredentialOptions, 'env' | 'homeDir'> | false
  /** Registries (`host[:port]`) spoken to over plain HTTP. */
  readonly insecure?: readonly string[]
  /** Extra CA certificate(s), PEM, for registries with a private CA. */
  readonly ca?: string
  /** Retries of transient failures; delays are injectable for tests. */
  readonly retry?: RetryPolicy
  /** User-Agent header; `rollout-kit` by default. */
  readonly userAgent?: string
  /**
   * Silence (no byte either way) after which a request fails; it counts as transient (ETIMEDOUT)
   * and is retried by `retry`. Default 60 s.
   */
  readonly idleTimeoutMs?: number
  /**
   * Aborts every request in flight and fails every later one at once (a stage's timeout); upload
   * sessions a failed blob upload leaves are still cancelled.
   */
  readonly signal?: AbortSignal
}

/** What `ping` learnt: the base URL in use and the authentication scheme asked for. */
export interface PingResult {
  readonly url: string
  readonly auth: string
}

/**
 * The client an action uses: each registry's credentials from the action's inputs (a pair whose
 * credentials are undefined is left out, so the config files answer for that registry), and the
 * registries spoken to over plain HTTP.
 */
export function registryClient(
  credentials: readonly (readonly [registry: string, credentials: Credentials | undefined])[],
  insecure: readonly string[],
  limits: Pick<RegistryClientOptions, 'idleTimeoutMs' | 'signal'> = {}
): RegistryClient {
  const map: Record<string, Credentials> = {}
  for (const [registry, given] of credentials) if (given) map[registry] = given
  return new RegistryClient({ credentials: map, insecure: [...insecure], ...limits })
}

/** A manifest's identity without its content. */
export interface ManifestHead {
  readonly digest: Digest
  readonly mediaType: string
  readonly size: number
}

/** A manifest fetched and verified against its digest. */
export type FetchedManifest = ParsedManifest & {
  readonly digest: Digest
  readonly size: number
  readonly bytes: Buffer
}

/** Reads from and writes to OCI registries. */
export class RegistryClient {
  private readonly session: Session

  constructor(options: RegistryClientOptions = {}) {
    const transport = new Transport(options)
    const lookup = options.credentialLookup
    const where = lookup === false ? { files: false } : lookup
    const auth = new Authenticator(transport, (registry) =>
      resolveCredentials(registry, { explicit: options.credentials, ...where })
    )
    const retry = abortableRetry(options.retry ?? DEFAULT_RETRY, options.signal)
    this.session = new Session(transport, auth, retry)
  }

  /** `GET /v2/`: settles HTTPS or HTTP and learns the authentication challenge. */
  async ping(registry: string): Promise<PingResult> {
    const auth = await this.session.ping(registry)
    return { url: this.session.baseUrl(registry), auth }
  }

  /** The digest, media type and size of a manifest (HEAD; GET when HEAD gives no digest). */
  async headManifest(ref: ImageRef): Promise<ManifestHead> {
    const access = this.access(ref, ['pull'], `HEAD manifest ${selector(ref)}`)
    const response = await this.send(access, {
      method: 'HEAD',
      path: `/v2/${ref.repository}/manifests/${reference(ref)}`,
      headers: { accept: MANIFEST_ACCEPT }
    })
    if (response.status !== 200) throw this.unexpected(access, response)
    const header = response.headers['docker-content-digest']
    const mediaType = contentType(response)
    const size = Number(response.headers['content-length'])
    if (!header || !mediaType || !Number.isSafeInteger(size)) {
      const { digest, mediaType: type, size: length } = await this.getManifest(ref)
      return { digest, mediaType: type, size: length }
    }
    const digest = this.headerDigest(access, header)
    if (ref.digest !== undefined && digest !== ref.digest) {
      throw mismatch(access, `reports digest ${digest} for ${ref.digest}`)
    }
    return { digest, mediaType, size }
  }

  /** Fetches a manifest and verifies its bytes against the digest asked for or reported. */
  async getManifest(ref: ImageRef): Promise<FetchedManifest> {
    const access = this.access(ref, ['pull'], `GET manifest ${selector(ref)}`)
    const response = await this.send(access, {
      method: 'GET',
      path: `/v2/${ref.repository}/manifests/${reference(ref)}`,
      headers: { accept: MANIFEST_ACCEPT }
    })
    if (response.status !== 200) throw this.unexpected(access, response)
    const bytes = response.body
    const header = response.headers['docker-content-digest']
    const reported = header ? this.headerDigest(access, header) : undefined
    const expected = ref.digest ?? reported
    const digest = expected ? digestOf(bytes, expected.split(':')[0]) : digestOf(bytes)
    if (ref.digest !== undefined && digest !== ref.digest) {
      throw mismatch(access, `returned content with digest ${digest}, expected ${ref.digest}`)
    }
    if (reported !== undefined && digest !== reported) {
      throw mismatch(access, `reports digest ${reported} but the content's digest is ${digest}`)
    }
    let parsed: ParsedManifest
    try {
      parsed = parseManifest(bytes, contentType(response))
    } catch (error) {
      if (!(error instanceof InvalidManifestError)) throw error
      throw new RegistryError({
        server: ref.registry,
        operation: access.operation,
        code: 'MANIFEST_INVALID',
        message: `registry ${ref.registry}: ${access.operation} returned an unusable manifest: ${error.message}`
      })
    }
    return { ...parsed, digest, size: bytes.length, bytes }
  }

  /** The digest a reference points to now (the registry confirms a written digest exists). */
  async resolveDigest(ref: ImageRef): Promise<Digest> {
    return (await this.headManifest(ref)).digest
  }

  /** Whether the repository holds a blob: HEAD, 404 is false. */
  async blobExists(ref: ImageRef, digest: string): Promise<boolean> {
    const blob = parseDigest(digest)
    const access = this.access(ref, ['pull'], `HEAD blob ${ref.repository}@${blob}`)
    const response = await this.send(access, {
      method: 'HEAD',
      path: `/v2/${ref.repository}/blobs/${blob}`
    })
    if (response.status === 404) return false
    // A redirect points at the blob's storage: it exists.
    if (response.status === 200 || (response.status >= 300 && response.status < 400)) return true
    throw this.unexpected(access, response)
  }

  /**
   * Checks that the credentials may push to the repository: starts a blob upload, then cancels it,
   * leaving nothing behind. Throws UNAUTHORIZED / DENIED RegistryErrors; returns when allowed.
   */
  async checkPushAccess(ref: ImageRef): Promise<void> {
    const access = this.access(ref, ['pull', 'push'], `POST blob upload ${ref.repository}`)
    const response = await this.send(access, {
      method: 'POST',
      path: `/v2/${ref.repository}/blobs/uploads/`,
      headers: { 'content-length': '0' }
    })
    if (response.status !== 202) throw this.unexpected(access, response)
    const location = response.headers.location
    // Tidiness: registries expire unfinished uploads, and push access is proven.
    if (location) await cancelUpload(this.session, access, location)
  }

  /** Uploads a small blob (POST, then PUT `?digest=`) unless the repository holds it. */
  pushBlob(repo: ImageRef, data: Buffer): Promise<BlobRef> {
    return pushBlob(this.session, repo, data)
  }

  /** A small blob (a config, an evidence record), read in full and verified against its digest. */
  fetchBlob(repo: ImageRef, digest: Digest): Promise<Buffer> {
    return fetchBlob(this.session, repo, digest)
  }

  /**
   * A blob as a stream (storage redirects followed), failing at its end unless digest and size
   * match; its errors name `side` of a copy when given.
   */
  openBlob(
    repo: ImageRef,
    blob: Pick<Descriptor, 'digest'> & { size?: number },
    side?: CopySide
  ): Promise<Readable> {
    return openBlob(this.session, repo, blob, side === undefined ? {} : { side })
  }

  /**
   * Uploads a blob from a stream, restarting from `open` on a transient failure; falls back to a
   * chunked upload when a monolithic PUT is refused as too large. `skipped` when the blob is there.
   */
  uploadBlob(
    repo: ImageRef,
    blob: BlobRef,
    open: () => Promise<Readable>,
    options?: UploadOptions
  ): Promise<'uploaded' | 'skipped'> {
    return uploadBlob(this.session, repo, blob, open, options)
  }

  /** Cross-repository mount; `{ mounted: false, location }` when the registry opened an upload instead. */
  mountBlob(
    repo: ImageRef,
    digest: Digest,
    from: string
  ): Promise<{ mounted: true } | { mounted: false; location?: string }> {
    return mountBlob(this.session, repo, digest, from)
  }

  /** Puts a manifest to a tag or digest; checks the digest the registry reports. */
  async putManifest(
    ref: ImageRef,
    bytes: Buffer,
    mediaType: string,
    options?: WriteOptions
  ): Promise<Digest> {
    return (await putManifest(this.session, ref, bytes, mediaType, options)).digest
  }

  /** Deletes a tag where the registry allows it (see deleteTag in manifest-put). */
  deleteTag(
    ref: ImageRef & { tag: string },
    options?: WriteOptions
  ): Promise<'deleted' | 'absent'> {
    return deleteTag(this.session, ref, options)
  }

  /** Referrers of `subject` (by digest): the referrers API, else the `sha256-<hex>` tag schema. */
  listReferrers(subject: ImageRef, artifactType?: string): Promise<Descriptor[]> {
    return listReferrers(this.session, subject, artifactType)
  }

  /** Puts a manifest with a `subject`; keeps the tag-schema index when the registry does not. */
  pushReferrer(repo: ImageRef, manifest: Buffer, mediaType: string): Promise<Digest> {
    return pushReferrer(this.session, repo, manifest, mediaType)
  }

  /**
   * Every tag of a repository (`GET tags/list`), following `Link: rel="next"` pages; a 404
   * NAME_UNKNOWN says the repository does not exist.
   */
  listTags(repo: ImageRef, options?: ListTagsOptions): Promise<string[]> {
    return listTags(this.session, repo, options)
  }

  /** Requests sent and not yet answered: what a timeout would interrupt now. */
  inFlight(): InFlightRequest[] {
    return this.session.transport.inFlight()
  }

  /** HTTP requests answered so far (registries' APIs and token servers); measure by difference. */
  requestCounts(): RequestCounts {
    return this.session.transport.requestCounts()
  }

  /** Closes kept-alive connections. */
  close(): Promise<void> {
    return this.session.transport.close()
  }

  private send(access: AccessRequest, req: Parameters<Session['send']>[1]): Promise<HttpResponse> {
    return this.session.send(access, req)
  }

  private access(ref: ImageRef, actions: string[], operation: string): AccessRequest {
    return this.session.access(ref, actions, operation)
  }

  private headerDigest(access: AccessRequest, header: string): Digest {
    return this.session.headerDigest(access, header)
  }

  private unexpected(access: AccessRequest, response: HttpResponse): RegistryError {
    return this.session.unexpected(access, response)
  }
}
