/**
 * Media types of the OCI image spec (media-types.md) and Docker's image manifest v2 schema 2.
 * https://github.com/opencontainers/image-spec/blob/main/media-types.md
 */

/** OCI image manifest. */
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json'
/** OCI image index (multi-platform image or artifact list). */
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json'
/** OCI image configuration. */
export const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json'
/** OCI empty descriptor content (`{}`), the config of artifacts. */
export const OCI_EMPTY = 'application/vnd.oci.empty.v1+json'
/** OCI uncompressed layer. */
export const OCI_LAYER = 'application/vnd.oci.image.layer.v1.tar'
/** OCI gzip-compressed layer. */
export const OCI_LAYER_GZIP = 'application/vnd.oci.image.layer.v1.tar+gzip'
/** OCI zstd-compressed layer. */
export const OCI_LAYER_ZSTD = 'application/vnd.oci.image.layer.v1.tar+zstd'

/** Docker image manifest v2 schema 2. */
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json'
/** Docker manifest list (multi-platform). */
export const DOCKER_MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json'
/** Docker image configuration. */
export const DOCKER_CONFIG = 'application/vnd.docker.container.image.v1+json'
/** Docker gzip-compressed layer. */
export const DOCKER_LAYER = 'application/vnd.docker.image.rootfs.diff.tar.gzip'
/** Docker foreign (non-distributable) layer. */
export const DOCKER_FOREIGN_LAYER = 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip'
/** Docker schema 1 manifest, unsigned; deprecated and not supported here. */
export const DOCKER_SCHEMA1 = 'application/vnd.docker.distribution.manifest.v1+json'
/** Docker schema 1 manifest, signed; deprecated and not supported here. */
export const DOCKER_SCHEMA1_SIGNED = 'application/vnd.docker.distribution.manifest.v1+prettyjws'

/** Media types of single-platform manifests. */
export const IMAGE_MANIFEST_TYPES: readonly string[] = [OCI_MANIFEST, DOCKER_MANIFEST]
/** Media types of indexes / manifest lists. */
export const INDEX_TYPES: readonly string[] = [OCI_INDEX, DOCKER_MANIFEST_LIST]
/** The Accept header value for manifest requests: every type this client understands. */
export const MANIFEST_ACCEPT = [
  OCI_INDEX,
  OCI_MANIFEST,
  DOCKER_MANIFEST_LIST,
  DOCKER_MANIFEST
].join(', ')
