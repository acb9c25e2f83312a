/**
 * Image manifests and indexes (OCI image-spec manifest.md / image-index.md, Docker schema 2): their
 * types, a validating parser and content digests.
 */
import { createHash } from 'node:crypto'
import {
  DOCKER_SCHEMA1,
  DOCKER_SCHEMA1_SIGNED,
  IMAGE_MANIFEST_TYPES,
  INDEX_TYPES,
  OCI_INDEX,
  OCI_MANIFEST
} from './media-types.js'
import { parseDigest, type Digest } from './reference.js'

/** The platform an index entry is built for. */
export interface Platform {
  readonly architecture: string
  readonly os: string
  readonly 'os.version'?: string
  readonly 'os.features'?: readonly string[]
  readonly variant?: string
  readonly features?: readonly string[]
}

/** A content descriptor: what a manifest points to. */
export interface Descriptor {
  readonly mediaType: string
  readonly digest: Digest
  readonly size: number
  readonly urls?: readonly string[]
  readonly annotations?: Readonly<Record<string, string>>
  readonly data?: string
  readonly artifactType?: string
  readonly platform?: Platform
}

/** A single-platform image (or artifact) manifest. */
export interface ImageManifest {
  readonly schemaVersion: 2
  readonly mediaType?: string
  readonly artifactType?: string
  readonly config: Descriptor
  readonly layers: readonly Descriptor[]
  readonly subject?: Descriptor
  readonly annotations?: Readonly<Record<string, string>>
}

/** An image index or Docker manifest list. */
export interface ImageIndex {
  readonly schemaVersion: 2
  readonly mediaType?: string
  readonly artifactType?: string
  readonly manifests: readonly Descriptor[]
  readonly subject?: Descriptor
  readonly annotations?: Readonly<Record<string, string>>
}

/** A parsed manifest: `image` for one platform, `index` for several. */
export type ParsedManifest =
  | { readonly kind: 'image'; readonly mediaType: string; readonly manifest: ImageManifest }
  | { readonly kind: 'index'; readonly mediaType: string; readonly manifest: ImageIndex }

/** Manifest bytes that are not a supported, well-formed manifest. */
export class InvalidManifestError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'InvalidManifestError'
  }
}

/** The digest of some content: sha256 unless another supported algorithm is asked for. */
export function digestOf(bytes: Uint8Array | string, algorithm = 'sha256'): Digest {
  return `${algorithm}:${createHash(algorithm).update(bytes).digest('hex')}`
}

type Json = Record<string, unknown>

/** Parses manifest bytes served with `contentType`; validates the shape and schemaVersion 2. */
export function parseManifest(bytes: Uint8Array | string, contentType?: string): ParsedManifest {
  const headerType = contentType?.split(';')[0].trim().toLowerCase() ?? ''
  if (headerType === DOCKER_SCHEMA1 || headerType === DOCKER_SCHEMA1_SIGNED) throw schema1()
  let body: unknown
  try {
    body = JSON.parse(Buffer.from(bytes).toString('utf8'))
  } catch {
    throw new InvalidManifestError('manifest is not valid JSON')
  }
  if (!isObject(body)) throw new InvalidManifestError('manifest is not a JSON object')
  if (body.schemaVersion === 1) throw schema1()
  if (body.schemaVersion !== 2) {
    throw invalid('schemaVersion', body.schemaVersion, 'must be 2')
  }
  const mediaType = mediaTypeOf(body, headerType)
  if (INDEX_TYPES.includes(mediaType)) {
    return { kind: 'index', mediaType, manifest: indexOf(body) }
  }
  return { kind: 'image', mediaType, manifest: imageOf(body, mediaType) }
}

function schema1(): InvalidManifestError {
  return new InvalidManifestError(
    'manifest is Docker schema 1, which is deprecated and not supported; push the image again with a current builder'
  )
}

/** The media type: the body's, else the Content-Type's, else guessed from the fields present. */
function mediaTypeOf(body: Json, headerType: string): string {
  const known = [...IMAGE_MANIFEST_TYPES, ...INDEX_TYPES]
  const declared = body.mediaType
  if (declared !== undefined) {
    if (typeof declared !== 'string') throw invalid('mediaType', declared, 'must be a string')
    if (!known.includes(declared)) throw invalid('mediaType', declared, 'is not a manifest type')
    if (known.includes(headerType) && headerType !== declared) {
      throw new InvalidManifestError(
        `manifest mediaType '${declared}' disagrees with the Content-Type '${headerType}'`
      )
    }
    return declared
  }
  if (known.includes(headerType)) return headerType
  if (Array.isArray(body.manifests)) return OCI_INDEX
  if (isObject(body.config)) return OCI_MANIFEST
  throw new InvalidManifestError('manifest has neither config and layers nor manifests')
}

function imageOf(body: Json, mediaType: string): ImageManifest {
  if (!Array.isArray(body.layers)) throw invalid('layers', body.layers, 'must be an array')
  return {
    schemaVersion: 2,
    ...(body.mediaType !== undefined && { mediaType }),
    ...optionalFields(body),
    config: descriptorOf(body.config, 'config'),
    layers: body.layers.map((layer, i) => descriptorOf(layer, `layers[${i}]`))
  }
}

function indexOf(body: Json): ImageIndex {
  if (!Array.isArray(body.manifests)) {
    throw invalid('manifests', body.manifests, 'must be an array')
  }
  const manifests = body.manifests.map((entry, i) => descriptorOf(entry, `manifests[${i}]`))
  const mediaType = body.mediaType
  return {
    schemaVersion: 2,
    ...(typeof mediaType === 'string' && { mediaType }),
    ...optionalFields(body),
    manifests
  }
}

function optionalFields(
  body: Json
): Pick<ImageManifest, 'artifactType' | 'subject' | 'annotations'> {
  return {
    ...(body.artifactType !== undefined && {
      artifactType: stringField(body.artifactType, 'artifactType')
    }),
    ...(body.subject !== undefined && { subject: descriptorOf(body.subject, 'subject') }),
    ...(body.annotations !== undefined && {
      annotations: stringMap(body.annotations, 'annotations')
    })
  }
}

function descriptorOf(value: unknown, where: string): Descriptor {
  if (!isObject(value)) throw invalid(where, value, 'must be a descriptor object')
  const size = value.size
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
    throw invalid(`${where}.size`, size, 'must be a non-negative integer')
  }
  let digest: Digest
  try {
    digest = parseDigest(stringField(value.digest, `${where}.digest`))
  } catch (error) {
    if (error instanceof InvalidManifestError) throw error
    throw invalid(`${where}.digest`, value.digest, 'is not a valid digest')
  }
  return {
    mediaType: stringField(value.mediaType, `${where}.mediaType`),
    digest,
    size,
    ...(value.urls !== undefined && { urls: stringList(value.urls, `${where}.urls`) }),
    ...(value.annotations !== undefined && {
      annotations: stringMap(value.annotations, `${where}.annotations`)
    }),
    ...(value.data !== undefined && { data: stringField(value.data, `${where}.data`) }),
    ...(value.artifactType !== undefined && {
      artifactType: stringField(value.artifactType, `${where}.artifactType`)
    }),
    ...(value.platform !== undefined && { platform: platformOf(value.platform, where) })
  }
}

function platformOf(value: unknown, where: string): Platform {
  if (!isObject(value)) throw invalid(`${where}.platform`, value, 'must be an object')
  const field = (name: string) => stringField(value[name], `${where}.platform.${name}`)
  const list = (name: string) => stringList(value[name], `${where}.platform.${name}`)
  return {
    architecture: field('architecture'),
    os: field('os'),
    ...(value['os.version'] !== undefined && { 'os.version': field('os.version') }),
    ...(value['os.features'] !== undefined && { 'os.features': list('os.features') }),
    ...(value.variant !== undefined && { variant: field('variant') }),
    ...(value.features !== undefined && { features: list('features') })
  }
}

function stringField(value: unknown, where: string): string {
  if (typeof value !== 'string' || value === '') {
    throw invalid(where, value, 'must be a non-empty string')
  }
  return value
}

function stringList(value: unknown, where: string): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw invalid(where, value, 'must be a list of strings')
  }
  return value
}

function stringMap(value: unknown, where: string): Record<string, string> {
  if (!isObject(value) || !Object.values(value).every((v) => typeof v === 'string')) {
    throw invalid(where, value, 'must map strings to strings')
  }
  return value as Record<string, string>
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function invalid(where: string, value: unknown, problem: string): InvalidManifestError {
  const shown = value === undefined ? 'missing' : JSON.stringify(value)
  const short = shown.length > 80 ? `${shown.slice(0, 77)}...` : shown
  return new InvalidManifestError(`manifest is not valid: ${where} (${short}) ${problem}`)
}
