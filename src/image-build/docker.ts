/**
 * Building and pushing with `docker buildx build`, where a Docker daemon runs. Credentials go through
 * `docker login --password-stdin` into a private DOCKER_CONFIG, removed after the build.
 * https://docs.docker.com/reference/cli/docker/buildx/build/
 */
import { mkdir, symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import * as core from '@actions/core'
import { dockerConfigDir, dockerConfigJson, dockerConfigLinks } from './auth-files.js'
import type { BuildResult, BuildSpec, Builder, RegistryAuth } from './builder.js'
import { isLoopbackRegistry } from '../registry/index.js'
import { buildExtras, buildxCache } from './buildah-args.js'
import { readOptional, runTool, secretFiles, withTempDir } from './tool.js'

/**
 * `docker buildx build` arguments. Without push a single-platform image is loaded into the daemon;
 * a multi-platform one stays in the build cache (the daemon's classic store cannot hold a list).
 * Annotations belong to manifests in a registry, so they are passed only when pushing.
 */
export function dockerBuildArgs(
  spec: BuildSpec,
  metadataFile?: string,
  secrets: readonly (readonly [string, string])[] = []
): string[] {
  const args = ['buildx', 'build', '--file', spec.file]
  if (metadataFile) args.push('--metadata-file', metadataFile)
  if (spec.noCache) args.push('--no-cache')
  if (spec.pull) args.push('--pull')
  for (const entry of spec.cacheFrom ?? []) args.push('--cache-from', buildxCache(entry, false))
  for (const entry of spec.cacheTo ?? []) args.push('--cache-to', buildxCache(entry, true))
  args.push(...buildExtras(spec, secrets))
  for (const tag of spec.tags) args.push('--tag', tag)
  if (spec.platforms.length > 0) args.push('--platform', spec.platforms.join(','))
  if (spec.target) args.push('--target', spec.target)
  for (const [key, value] of spec.buildArgs) args.push('--build-arg', `${key}=${value}`)
  for (const [key, value] of Object.entries(spec.labels)) args.push('--label', `${key}=${value}`)
  if (spec.push) {
    for (const [key, value] of Object.entries(spec.annotations ?? {})) {
      args.push('--annotation', `${key}=${value}`)
    }
    args.push('--push')
  } else if (spec.platforms.length <= 1) {
    args.push('--load')
  }
  args.push(spec.context)
  return args
}

/** `docker login` arguments; the password goes to stdin. */
export function dockerLoginArgs(auth: Pick<RegistryAuth, 'registry' | 'username'>): string[] {
  return ['login', '--username', auth.username, '--password-stdin', auth.registry]
}

/** The digest and config id from buildx's `--metadata-file` JSON. */
export function parseBuildxMetadata(text: string | undefined): {
  digest?: string
  imageId?: string
} {
  if (!text) return {}
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    // buildx wrote something unreadable; the build itself succeeded, so report no digest.
    return {}
  }
  const record =
    typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {}
  const digest = record['containerimage.digest']
  const imageId = record['containerimage.config.digest']
  return {
    digest: typeof digest === 'string' && digest ? digest : undefined,
    imageId: typeof imageId === 'string' && imageId ? imageId : undefined
  }
}

/** Options of the docker builder. */
export interface DockerOptions {
  /** The docker executable; `docker` on PATH by default. */
  readonly command?: string
}

/** Builds and pushes with `docker buildx build`. */
export class DockerBuilder implements Builder {
  readonly name = 'docker'
  private readonly command: string

  constructor(options: DockerOptions = {}) {
    this.command = options.command ?? 'docker'
  }

  async build(spec: BuildSpec): Promise<BuildResult> {
    const remote = spec.insecureRegistries.filter((host) => !isLoopbackRegistry(host))
    if (remote.length > 0) {
      core.info(
        `docker reaches ${remote.join(', ')} over plain HTTP only if the daemon's ` +
          'insecure-registries (or the buildx builder config) lists them'
      )
    }
    return withTempDir(async (dir) => {
      const env = { ...spec.env, ...(spec.auth ? await this.login(dir, spec) : {}) }
      const metadataFile = join(dir, 'metadata.json')
      const args = dockerBuildArgs(spec, metadataFile, await secretFiles(dir, spec.secrets))
      core.debug(`${this.command} ${args.join(' ')}`)
      await runTool('docker buildx build', this.command, args, { env })
      const { digest, imageId } = parseBuildxMetadata(await readOptional(metadataFile))
      return { digest: spec.push ? digest : undefined, imageId, platforms: spec.platforms }
    })
  }

  /** Logs in to a private copy of the user's Docker config; returns the env that selects it. */
  private async login(dir: string, spec: BuildSpec): Promise<Record<string, string>> {
    const auth = spec.auth as RegistryAuth
    const source = dockerConfigDir({ ...process.env, ...spec.env })
    const config = join(dir, 'docker-config')
    await mkdir(config, { mode: 0o700 })
    const existing = await readOptional(join(source, 'config.json'))
    await writeFile(join(config, 'config.json'), dockerConfigJson(existing, auth.registry), {
      mode: 0o600
    })
    for (const name of dockerConfigLinks(source)) {
      await symlink(join(source, name), join(config, name))
    }
    const env = { ...spec.env, DOCKER_CONFIG: config }
    await runTool('docker login', this.command, dockerLoginArgs(auth), {
      env,
      input: auth.password
    })
    return { DOCKER_CONFIG: config }
  }
}
