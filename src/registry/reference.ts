/**
 * Image references in the grammar of github.com/distribution/reference (reference.go), with Docker
 * Hub's normalisation (normalize.go): `busybox` is `docker.io/library/busybox`.
 *
 * One deliberate difference: distribution treats an uppercase first component (`Foo/bar`) as a
 * registry host; here a first component is a host only when it holds `.` or `:`, is `localhost` or is
 * a bracketed IPv6 address, so `Foo/bar` is reported as a repository that must be lowercase.
 */

/** A content digest such as `sha256:<64 hex>`. */
export type Digest = `${string}:${string}`

/** A parsed image reference; the digest wins over the tag for pulls. */
export interface ImageRef {
  /** Registry host with optional port, `docker.io` for Docker Hub. */
  readonly registry: string
  /** Repository path inside the registry, `library/busybox` for official Docker Hub images. */
  readonly repository: string
  /** Tag, when one was written. */
  readonly tag?: string
  /** Digest, when one was written. */
  readonly digest?: Digest
}

/** A reference, or one of its parts, that does not follow the grammar. */
export class InvalidReferenceError extends Error {
  constructor(
    readonly reference: string,
    readonly part: 'reference' | 'registry' | 'repository' | 'name' | 'tag' | 'digest',
    readonly value: string,
    problem: string
  ) {
    super(`Invalid image reference '${reference}': ${part} '${value}' ${problem}`)
    this.name = 'InvalidReferenceError'
  }
}

export const DOCKER_HUB = 'docker.io'
const DOCKER_HUB_API = 'registry-1.docker.io'
const DOCKER_HUB_ALIASES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io'])
const NAME_MAX = 255

const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])'
const HOST = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])`
const DOMAIN = new RegExp(`^${HOST}(?::[0-9]+)?$`)
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*'
const PATH = new RegExp(`^${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`)
const TAG = /^[\w][\w.-]{0,127}$/
const ALGORITHM = /^[A-Za-z][A-Za-z0-9]*(?:[+._-][A-Za-z][A-Za-z0-9]*)*$/
const HEX_LENGTH: Record<string, number> = { sha256: 64, sha512: 128 }

/** Parses `[registry/]repository[:tag][@digest]`, normalising Docker Hub names. */
export function parseReference(text: string): ImageRef {
  const fail = (part: InvalidReferenceError['part'], value: string, problem: string): never => {
    throw new InvalidReferenceError(text, part, value, problem)
  }
  if (text.trim() === '') fail('reference', text, 'is empty')
  if (text !== text.trim()) fail('reference', text, 'has surrounding whitespace')

  const at = text.indexOf('@')
  const named = at === -1 ? text : text.slice(0, at)
  let digest: Digest | undefined
  if (at !== -1) {
    const value = text.slice(at + 1)
    const problem = digestProblem(value)
    if (problem) fail('digest', value, problem)
    digest = value as Digest
  }

  const lastSlash = named.lastIndexOf('/')
  const colon = named.indexOf(':', lastSlash + 1)
  const name = colon === -1 ? named : named.slice(0, colon)
  const tag = colon === -1 ? undefined : named.slice(colon + 1)
  if (tag !== undefined && !TAG.test(tag)) {
    fail('tag', tag, 'is not valid: up to 128 of A-Z a-z 0-9 _ . -, not starting with . or -')
  }
  if (name === '') fail('repository', name, 'is empty')
  if (name.length > NAME_MAX) fail('name', name, `is longer than ${NAME_MAX} characters`)

  const { registry, path } = splitRegistry(name)
  if (registry !== undefined && !DOMAIN.test(registry)) {
    fail('registry', registry, 'is not a valid host[:port]')
  }
  if (path.toLowerCase() !== path && PATH.test(path.toLowerCase())) {
    fail('repository', path, 'must be lowercase')
  }
  if (!PATH.test(path)) {
    fail(
      'repository',
      path,
      "is not valid: path components of a-z and 0-9 separated by '.', '_', '__' or '-', joined by '/'"
    )
  }
  return normalise(registry, path, tag, digest)
}

/** Splits the registry host off a name when its first component looks like one. */
function splitRegistry(name: string): { registry?: string; path: string } {
  const slash = name.indexOf('/')
  if (slash === -1) return { path: name }
  const first = name.slice(0, slash)
  const isHost = first.includes('.') || first.includes(':') || first === 'localhost'
  return isHost ? { registry: first, path: name.slice(slash + 1) } : { path: name }
}

function normalise(
  registry: string | undefined,
  path: string,
  tag: string | undefined,
  digest: Digest | undefined
): ImageRef {
  const host = registry === undefined || DOCKER_HUB_ALIASES.has(registry) ? DOCKER_HUB : registry
  const repository = host === DOCKER_HUB && !path.includes('/') ? `library/${path}` : path
  return {
    registry: host,
    repository,
    ...(tag !== undefined && { tag }),
    ...(digest !== undefined && { digest })
  }
}

/** Why `value` is not a digest, or undefined when it is one. */
function digestProblem(value: string): string | undefined {
  const colon = value.indexOf(':')
  if (colon <= 0) return "is not valid: expected '<algorithm>:<hex>'"
  const algorithm = value.slice(0, colon)
  const hex = value.slice(colon + 1)
  if (!ALGORITHM.test(algorithm)) return `has an invalid algorithm '${algorithm}'`
  const length = HEX_LENGTH[algorithm]
  if (length === undefined) return `uses an unsupported algorithm '${algorithm}' (sha256, sha512)`
  if (hex.length !== length || !/^[0-9a-f]+$/.test(hex)) {
    return `is not valid: ${algorithm} needs ${length} lowercase hex digits`
  }
  return undefined
}

/** Validates `algorithm:hex` (sha256 with 64, sha512 with 128 lowercase hex digits). */
export function parseDigest(text: string): Digest {
  const problem = digestProblem(text)
  if (problem) throw new InvalidReferenceError(text, 'digest', text, problem)
  return text as Digest
}

/** `registry/repository[:tag][@digest]`, fully qualified. */
export function formatReference(ref: ImageRef): string {
  const tag = ref.tag === undefined ? '' : `:${ref.tag}`
  const digest = ref.digest === undefined ? '' : `@${ref.digest}`
  return `${repositoryName(ref)}${tag}${digest}`
}

/** `registry/repository`, without tag or digest. */
export function repositoryName(ref: Pick<ImageRef, 'registry' | 'repository'>): string {
  return `${ref.registry}/${ref.repository}`
}

/** `registry/repository@digest`: the reference that names exactly one image. */
export function pinnedReference(ref: ImageRef, digest: string): string {
  return `${repositoryName(ref)}@${parseDigest(digest)}`
}

/** The host that serves the registry's API: `registry-1.docker.io` for Docker Hub. */
export function registryApiHost(registry: string): string {
  return registry === DOCKER_HUB ? DOCKER_HUB_API : registry
}

/** Whether a registry host (with or without port) is loopback: localhost, 127.0.0.0/8, [::1]. */
export function isLoopbackRegistry(host: string): boolean {
  const bare = host.startsWith('[')
    ? host.slice(1, host.indexOf(']'))
    : host.replace(/:\d+$/, '').toLowerCase()
  if (bare === 'localhost' || bare === '::1') return true
  const octets = bare.split('.')
  return (
    octets.length === 4 &&
    octets[0] === '127' &&
    octets.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255)
  )
}
