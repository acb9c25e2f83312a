/**
 * The OCI distribution client (https://github.com/opencontainers/distribution-spec/blob/main/spec.md).
 * Every call goes through `send`: authorization (challenge, credentials, cached bearer token), the
 * transport's scheme choice and retries, one token refresh on 401, and refusals worded for people.
 * Later operations (manifest and blob upload, cross-repository mount, copy) are built on `send` too.
 */
import * as core from '@actions/core'
import type { RetryPolicy } from '../retry/index.js'
import { Authenticator, type AccessRequest } from './auth.js'
import { resolveCredentials, type CredentialOptions, type CredentialSource } from './credentials.js'
import { messageOf, RegistryError, statusError } from './errors.js'
import { Transport, type HttpRequest, type HttpResponse } from './http.js'
import { digestOf, InvalidManifestError, parseManifest, type ParsedManifest } from './manifest.js'
import { MANIFEST_ACCEPT } from './media-types.js'
import { parseDigest, type Digest, type ImageRef } from './reference.js'

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
}

/** What `ping` learnt: the base URL in use and the authentication scheme asked for. */
export interface PingResult {
  readonly url: string
  readonly auth: string
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

/** Reads from and checks access to OCI registries. */
export class RegistryClient {
  private readonly transport: Transport
  private readonly auth: Authenticator

  constructor(options: RegistryClientOptions = {}) {
    this.transport = new Transport(options)
    const lookup = options.credentialLookup
    const where = lookup === false ? { files: false } : lookup
    this.auth = new Authenticator(this.transport, (registry) =>
      resolveCredentials(registry, { explicit: options.credentials, ...where })
    )
  }

  /** `GET /v2/`: settles HTTPS or HTTP and learns the authentication challenge. */
  async ping(registry: string): Promise<PingResult> {
    const challenge = await this.auth.ping(registry)
    return { url: this.transport.baseUrl(registry), auth: challenge?.scheme ?? 'none' }
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
    if (location) await this.cancelUpload(access, location)
  }

  /** Closes kept-alive connections. */
  close(): Promise<void> {
    return this.transport.close()
  }

  /** One authorized request with retries; one token refresh on 401; 401/403 become refusals. */
  private async send(access: AccessRequest, req: HttpRequest): Promise<HttpResponse> {
    let auth = await this.auth.authorize(access)
    let response = await this.transport.send(
      access.registry,
      access.operation,
      authorized(req, auth.header)
    )
    if (response.status === 401 && !auth.fresh) {
      this.auth.learn(access.registry, response)
      auth = await this.auth.authorize(access, true)
      response = await this.transport.send(
        access.registry,
        access.operation,
        authorized(req, auth.header)
      )
    }
    if (response.status === 401 || response.status === 403) {
      throw await this.auth.failure(access, response)
    }
    return response
  }

  private async cancelUpload(access: AccessRequest, location: string): Promise<void> {
    const base = new URL(this.transport.baseUrl(access.registry))
    const url = new URL(location, base)
    if (url.origin !== base.origin) {
      core.debug(`upload session at ${url.origin} left to expire: not the registry's own host`)
      return
    }
    const operation = `DELETE blob upload ${access.repository}`
    try {
      // distribution wants the `delete` action for any DELETE, an upload's too (appendAccessRecords
      // in https://github.com/distribution/distribution/blob/v2.8.2/registry/handlers/app.go)
      const response = await this.send(
        { ...access, actions: [...access.actions, 'delete'], operation },
        { method: 'DELETE', path: `${url.pathname}${url.search}` }
      )
      if (response.status >= 300) {
        core.debug(`${operation} answered ${response.status}; the session expires on its own`)
      }
    } catch (error) {
      // Cancelling is tidiness: registries expire unfinished uploads, and push access is proven.
      core.debug(`${operation} failed (${messageOf(error)}); the session expires on its own`)
    }
  }

  private access(ref: ImageRef, actions: string[], operation: string): AccessRequest {
    return { registry: ref.registry, repository: ref.repository, actions, operation }
  }

  private headerDigest(access: AccessRequest, header: string): Digest {
    try {
      return parseDigest(header.trim())
    } catch {
      throw mismatch(access, `sent an invalid Docker-Content-Digest '${header}'`)
    }
  }

  private unexpected(access: AccessRequest, response: HttpResponse): RegistryError {
    return statusError(access.registry, access.operation, response.status, response.body)
  }
}

function authorized(req: HttpRequest, header: string | undefined): HttpRequest {
  return header ? { ...req, headers: { ...req.headers, authorization: header } } : req
}

/** The manifest reference in the URL: the digest wins over the tag; `latest` when neither. */
function reference(ref: ImageRef): string {
  return ref.digest ?? ref.tag ?? 'latest'
}

/** `repo:tag` or `repo@digest`, for messages. */
function selector(ref: ImageRef): string {
  return ref.digest ? `${ref.repository}@${ref.digest}` : `${ref.repository}:${ref.tag ?? 'latest'}`
}

function contentType(response: HttpResponse): string {
  return response.headers['content-type']?.split(';')[0].trim() ?? ''
}

function mismatch(access: AccessRequest, what: string): RegistryError {
  return new RegistryError({
    server: access.registry,
    operation: access.operation,
    code: 'DIGEST_INVALID',
    message: `registry ${access.registry}: ${access.operation} ${what}`
  })
}
