/**
 * Pure parts of the buildah builder: command lines, the registries to treat as insecure, and the
 * check of a built manifest list.
 * https://github.com/containers/buildah/blob/main/docs/buildah-build.1.md
 */
import type { BuildSpec, BuildStep } from './builder.js'
import { baseImages } from './dockerfile.js'
import { isLoopbackRegistry } from '../registry/index.js'
import { registryHost } from './registries-conf.js'

/** Files a buildah command refers to. */
export interface BuildahFiles {
  /** `--authfile`, when the build has credentials. */
  readonly authFile?: string
  /** `--iidfile` for bud, `--digestfile` for push. */
  readonly outputFile?: string
  /** The files of the build's secrets, by id. */
  readonly secretFiles?: readonly (readonly [id: string, file: string])[]
}

/** True when `spec` builds a manifest list (more than one platform). */
export function isMultiPlatform(spec: Pick<BuildSpec, 'platforms'>): boolean {
  return spec.platforms.length > 1
}

/**
 * `buildah bud` arguments. `layers` commits and caches each instruction (buildah's default does
 * not: one commit at the end). Several platforms build into a manifest list named by the first tag,
 * without `--layers` (buildah 1.28 reuses one platform's cached image for the next, leaving a list
 * with a single platform) and without `--iidfile` (it holds one image id only).
 */
export function buildahBudArgs(spec: BuildSpec, files: BuildahFiles = {}): string[] {
  const multi = isMultiPlatform(spec)
  // --force-rm: a failed build must not leave its working container on a self-hosted runner
  // (buildah 1.28 accepts it only together with --layers or --no-cache, and without either it
  // removes the container itself)
  const args = ['bud']
  if (multi) args.push('--no-cache', '--force-rm')
  else if (buildsInLayers(spec)) args.push('--layers', '--force-rm')
  if (!multi) {
    for (const repository of buildahCaches(spec.cacheFrom)) args.push('--cache-from', repository)
    for (const repository of buildahCaches(spec.cacheTo)) args.push('--cache-to', repository)
  }
  if (spec.noCache && !multi) args.push('--no-cache')
  if (spec.pull) args.push('--pull=always')
  args.push(...buildExtras(spec, files.secretFiles))
  args.push('--format', 'oci', '--file', spec.file)
  if (files.outputFile && !multi) args.push('--iidfile', files.outputFile)
  if (files.authFile) args.push('--authfile', files.authFile)
  if (multi) {
    args.push('--manifest', spec.tags[0], '--platform', spec.platforms.join(','))
  } else {
    for (const tag of spec.tags) args.push('--tag', tag)
    if (spec.platforms.length === 1) args.push('--platform', spec.platforms[0])
  }
  if (spec.target) args.push('--target', spec.target)
  for (const [key, value] of spec.buildArgs) args.push('--build-arg', `${key}=${value}`)
  for (const [key, value] of Object.entries(spec.labels)) args.push('--label', `${key}=${value}`)
  for (const [key, value] of Object.entries(spec.annotations ?? {})) {
    args.push('--annotation', `${key}=${value}`)
  }
  args.push(spec.context)
  return args
}

/**
 * The arguments buildah bud and docker buildx build spell alike: `--secret id=…,src=…`, `--ssh …`
 * and `--build-context name=value`.
 */
export function buildExtras(
  spec: Pick<BuildSpec, 'ssh' | 'buildContexts'>,
  secretFiles: readonly (readonly [string, string])[] = []
): string[] {
  const args: string[] = []
  for (const [id, file] of secretFiles) args.push('--secret', `id=${id},src=${file}`)
  for (const ssh of spec.ssh ?? []) args.push('--ssh', ssh)
  for (const [name, value] of spec.buildContexts ?? []) {
    args.push('--build-context', `${name}=${value}`)
  }
  return args
}

/**
 * Whether buildah builds `spec` with `--layers`: asked for, or needed by a layer cache it can use;
 * never for several platforms (see buildahBudArgs).
 */
export function buildsInLayers(spec: BuildSpec): boolean {
  if (isMultiPlatform(spec)) return false
  return (
    (spec.layers ?? false) ||
    buildahCaches(spec.cacheFrom).length > 0 ||
    buildahCaches(spec.cacheTo).length > 0
  )
}

/**
 * The repositories of cache entries buildah can use: a plain repository, or buildx's
 * `type=registry,ref=<repository>`; other buildx types (`gha`, `local`, …) have no buildah form.
 */
export function buildahCaches(entries: readonly string[] = []): string[] {
  return entries.flatMap((entry) => {
    const spec = cacheSpec(entry)
    return spec.type === 'registry' && spec.ref ? [spec.ref] : []
  })
}

/** The cache entries buildah cannot use, to say so. */
export function unusableByBuildah(entries: readonly string[] = []): string[] {
  return entries.filter((entry) => buildahCaches([entry]).length === 0)
}

/** A cache entry as buildx reads it: `type=…,key=value…`; a plain repository is `type=registry`. */
export function cacheSpec(entry: string): Record<string, string> {
  if (!entry.includes('=')) return { type: 'registry', ref: entry }
  const spec: Record<string, string> = {}
  for (const part of entry.split(',')) {
    const eq = part.indexOf('=')
    if (eq > 0) spec[part.slice(0, eq).trim()] = part.slice(eq + 1).trim()
  }
  return spec
}

/** buildx's `--cache-from`/`--cache-to` value of an entry: a plain repository as `type=registry`. */
export function buildxCache(entry: string, to: boolean): string {
  if (entry.includes('=')) return entry
  return to ? `type=registry,ref=${entry},mode=max` : `type=registry,ref=${entry}`
}

/**
 * Which steps of a `buildah bud` log reused a layer: `STEP n/m: <instruction>`, then
 * `--> Using cache <id>` (a local layer) after `--> Cache pulled from remote <ref>` (a cache
 * repository's), or neither (the step ran).
 */
export function buildahSteps(log: string): BuildStep[] {
  const steps: { step: string; instruction: string; layer: BuildStep['layer'] }[] = []
  for (const line of log.split(/\r?\n/)) {
    const step = /^STEP (\d+\/\d+): (.*)$/.exec(line)
    if (step) {
      steps.push({ step: step[1], instruction: step[2], layer: 'built' })
      continue
    }
    const last = steps[steps.length - 1]
    if (!last) continue
    if (line.startsWith('--> Cache pulled from remote')) last.layer = 'remote'
    else if (line.startsWith('--> Using cache') && last.layer === 'built') last.layer = 'cache'
  }
  // the first step (FROM) has no layer of its own
  return steps.filter((s) => !/^FROM\b/i.test(s.instruction))
}

/** How to push one tag. */
export interface BuildahPush extends BuildahFiles {
  /** Push a manifest list with all its images (`buildah manifest push --all`). */
  readonly multiPlatform: boolean
  /** The destination is an insecure registry. */
  readonly insecure?: boolean
}

/**
 * `buildah push` (one image) or `buildah manifest push --all` (a list) of `source` to `tag`.
 * buildah 1.28's manifest push ignores registries.conf's `insecure`, so for an insecure destination
 * that one command gets `--tls-verify=false`; it reaches no other registry.
 */
export function buildahPushArgs(source: string, tag: string, push: BuildahPush): string[] {
  const args = push.multiPlatform ? ['manifest', 'push', '--all'] : ['push']
  if (push.multiPlatform && push.insecure) args.push('--tls-verify=false')
  if (push.outputFile) args.push('--digestfile', push.outputFile)
  if (push.authFile) args.push('--authfile', push.authFile)
  args.push(source, `docker://${tag}`)
  return args
}

/**
 * The registries to reach over plain HTTP or unverified TLS: those named, and the loopback ones the
 * tags and the Dockerfile's base images live on (as Docker treats loopback).
 */
export function insecureHosts(spec: BuildSpec, dockerfileText: string | undefined): string[] {
  const images = [
    ...spec.tags,
    ...buildahCaches(spec.cacheFrom),
    ...buildahCaches(spec.cacheTo),
    ...(dockerfileText ? baseImages(dockerfileText, spec.buildArgs) : [])
  ]
  const loopback = images
    .map(registryHost)
    .filter((host): host is string => host !== undefined && isLoopbackRegistry(host))
  return [...new Set([...spec.insecureRegistries, ...loopback])]
}

/** The requested platforms (`os/arch[/variant]`) that `buildah manifest inspect` output lacks. */
export function missingPlatforms(manifestJson: string, platforms: readonly string[]): string[] {
  let manifests: unknown
  try {
    manifests = (JSON.parse(manifestJson) as { manifests?: unknown }).manifests
  } catch {
    // unreadable output proves nothing was built: every platform counts as missing
    return [...platforms]
  }
  const built = new Set(
    (Array.isArray(manifests) ? manifests : []).map(
      (entry: { platform?: Record<string, string> }) =>
        [entry.platform?.os, entry.platform?.architecture].join('/')
    )
  )
  return platforms.filter((platform) => !built.has(platform.split('/').slice(0, 2).join('/')))
}
