/**
 * The OCI distribution client: references, credentials and authentication, manifests and blobs,
 * copies by digest (every platform, every referrer), tag writes that put back what they moved,
 * tag policies that pick the newest image, and the referrers API with its tag fallback.
 */

/** A parsed image reference {registry, repository, tag?, digest?}. */
export type { Digest, ImageRef } from './reference.js'
/** A reference, or a part of one, that does not follow the grammar; names the part and value. */
export { InvalidReferenceError } from './reference.js'
/** Parses `[registry/]repository[:tag][@digest]`, normalising Docker Hub names. */
export { parseReference } from './reference.js'
/** `registry/repository[:tag][@digest]`, fully qualified. */
export { formatReference } from './reference.js'
/** `registry/repository`, without tag or digest. */
export { repositoryName } from './reference.js'
/** `registry/repository@digest`: the reference that names exactly one image. */
export { pinnedReference } from './reference.js'
/** Whether a registry host is loopback (localhost, 127.0.0.0/8, [::1]), with or without port. */
export { isLoopbackRegistry } from './reference.js'
/** Validates `algorithm:hex` (sha256 with 64, sha512 with 128 lowercase hex digits). */
export { parseDigest } from './reference.js'
/** The host serving a registry's API: `registry-1.docker.io` for `docker.io`. */
export { registryApiHost } from './reference.js'

/** Media type constants of OCI and Docker schema 2 manifests, indexes, configs and layers. */
export * from './media-types.js'
/** Manifest, index, descriptor and platform types; the parsed-manifest union. */
export type { Descriptor, ImageIndex, ImageManifest, ParsedManifest, Platform } from './manifest.js'
/** Parses manifest bytes by Content-Type, validating shape and schemaVersion 2. */
export { parseManifest } from './manifest.js'
/** Manifest bytes that are not a supported, well-formed manifest. */
export { InvalidManifestError } from './manifest.js'
/** The digest of some content (sha256 by default). */
export { digestOf } from './manifest.js'

/** A remote failure naming server, operation, status, distribution error code and copy side. */
export { RegistryError } from './errors.js'
/** Names the side of a copy (source or destination) in a RegistryError's message. */
export { onSide } from './errors.js'
/** The end of a copy a registry is: `source` or `destination`. */
export type { CopySide } from './errors.js'
/** Parses every challenge of a `WWW-Authenticate` header. */
export { parseChallenges, type Challenge } from './challenge.js'
/** What a bearer token grants, and its `repository:<name>:<actions>` form. */
export { formatScope, type Scope } from './token.js'
/** Whether a failed registry call is worth another attempt. */
export { classifyFailure, isTransientStatus } from './transient.js'

/** Credentials: basic, identity token, where they come from and how they are looked up. */
export type {
  BasicCredentials,
  CredentialOptions,
  Credentials,
  CredentialSource,
  IdentityTokenCredentials
} from './credentials.js'
/** Finds credentials: explicit, containers auth.json, docker config (helpers, auths). */
export { resolveCredentials } from './credentials.js'
/** GCR / Artifact Registry credentials from an OAuth2 access token. */
export { gcpAccessToken } from './credentials.js'
/** A docker-credential helper failed for a reason other than "not found". */
export { CredentialHelperError } from './credential-helper.js'

/** The registry client and its options and results. */
export { RegistryClient, registryClient } from './client.js'
/** Options, ping result and manifest results of the RegistryClient. */
export type { FetchedManifest, ManifestHead, PingResult, RegistryClientOptions } from './client.js'
/** A blob's digest and size; how a streamed upload uploads. */
export type { BlobRef, UploadOptions } from './blob-upload.js'
/** How a single manifest write or tag deletion is sent (its own signal). */
export type { WriteOptions } from './manifest-put.js'
/** How tags are listed (page size). */
export type { ListTagsOptions } from './tag-list.js'
/** HTTP requests a client has had answered: registries' APIs and token servers. */
export type { InFlightRequest, RequestCounts } from './http.js'

/** Parses the `policy` input: semver:<range>, newest-build, digest:<tag>, alphabetical, numerical. */
export { parseTagPolicy } from './tag-policy.js'
/** Parses the `tag-filter` input (a JavaScript regex; empty is none). */
export { parseTagFilter } from './tag-policy.js'
/** A tag policy as it is written in the input. */
export { formatTagPolicy } from './tag-policy.js'
/** The tag a name-only policy (semver, alphabetical, numerical) picks from a list. Pure. */
export { pickTag } from './tag-policy.js'
/** Selects the tag (and, when fetched, its digest) a policy chooses in a repository now. */
export { selectTag } from './tag-policy.js'
/** A policy that selected no tag: names repository, policy, filter, tags considered, examples. */
export { NoTagSelectedError } from './tag-policy.js'
/** A tag policy, the name-only policies, and what selectTag chose at what cost. */
export type { NamePolicy, TagPolicy, TagSelection } from './tag-policy.js'
/** When the image behind each tag was built (annotation or config `created`), for newest-build. */
export { buildTimes, parseCreated, type BuildTime } from './build-time.js'

/** A failed tag write, with where every tag points now (`states`). */
export { TagWriteError } from './tag-write.js'
/** Copies an image by digest (all platforms, referrers) between repositories or registries, tags last. */
export { copyImage } from './copy.js'
/** Options and result of copyImage. */
export type { CopyOptions, CopyResult } from './copy.js'
/** A copy that cannot be done, such as to the source repository itself. */
export { InvalidCopyError } from './copy.js'
/** The pure plan of a copy: blobs once each, manifests children first, referrers after subjects. */
export { planCopy, platformsOf } from './copy-plan.js'
/** A fetched manifest, the source graph and the plan of a copy. */
export type { CopyPlan, ManifestNode, ManifestStep, SourceGraph } from './copy-plan.js'
/** Referrers tag schema: the `sha256-<hex>` tag, the listing descriptor, adding to the index. */
export { addReferrer, referrerDescriptor, referrersTag } from './referrers-index.js'
