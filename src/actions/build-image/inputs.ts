import * as core from '@actions/core'
import { existsSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { InputError } from '../../action/errors.js'
import * as input from '../../action/inputs.js'
import type { ImageRef } from '../../registry/index.js'
import { referenceInput } from '../shared/inputs.js'
import type {
  BuildSecret,
  BuildSpec,
  Flavor,
  ImageMetadata,
  TagRule
} from '../../image-build/index.js'
import { hasTagRules, parseFlavor, parseTagRules } from '../../image-build/tag-rules.js'

/** The builders build-image can drive. */
export type BuilderChoice = 'auto' | 'buildah' | 'docker'

/** Everything build-image was asked to do, parsed and checked before anything runs. */
export interface BuildImageInputs {
  /** The repository to push to, without tag or digest. */
  readonly image: ImageRef
  /** The build context, an absolute path to an existing directory. */
  readonly context: string
  /** The Dockerfile, an absolute path to an existing file. */
  readonly file: string
  /** Explicit tags (names or full references); empty means computed from the git context. */
  readonly tags: readonly string[]
  /** Build secrets by value (masked) or file, for `RUN --mount=type=secret` only. */
  readonly secrets: readonly BuildSecret[]
  /** SSH agent sockets or keys for `RUN --mount=type=ssh`. */
  readonly ssh: readonly string[]
  readonly noCache: boolean
  readonly pull: boolean
  /** Named extra build contexts. */
  readonly buildContexts: readonly (readonly [string, string])[]
  /** Layer caches to read and to write (a repository, or buildx's `type=…` form). */
  readonly cacheFrom: readonly string[]
  readonly cacheTo: readonly string[]
  /** Tag rules in metadata-action's syntax (`type=…` lines) and the flavor, instead of `tags`. */
  readonly rules?: { readonly rules: readonly TagRule[]; readonly flavor: Flavor }
  /** Push and read the digest back. */
  readonly push: boolean
  /** Which builder to use. */
  readonly builder: BuilderChoice
  /** Target platforms such as `linux/arm64`; empty means the runner's own. */
  readonly platforms: readonly string[]
  /** Build arguments in order. */
  readonly buildArgs: readonly [string, string][]
  /** Extra labels, overriding the computed ones. */
  readonly labels: readonly [string, string][]
  /** The Dockerfile stage to build; empty for the last. */
  readonly target: string
  /** buildah: cache every instruction as a layer. */
  readonly layers: boolean
  /** Explicit registry credentials (already masked); undefined to use the runner's logins. */
  readonly credentials?: { readonly username: string; readonly password: string }
  /** Registries to reach over plain HTTP besides loopback ones. */
  readonly insecureRegistries: readonly string[]
}

const PLATFORM = /^[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?$/

/** Reads and checks build-image's inputs; throws one InputError for the first bad one. */
export function readInputs(): BuildImageInputs {
  const credentials = input.credentialPair('registry')
  const secrets = secretsInput()
  const image = repositoryInput('image')
  const context = resolve(input.text('context') || '.')
  if (!existsSync(context) || !statSync(context).isDirectory()) {
    throw new InputError(
      'context',
      input.text('context'),
      `an existing directory (${context} is not one)`
    )
  }
  const fileText = input.text('file')
  const file = fileText ? resolve(fileText) : join(context, 'Dockerfile')
  if (!existsSync(file) || !statSync(file).isFile()) {
    throw new InputError(
      'file',
      fileText || '(default)',
      `an existing Dockerfile (${file} does not exist)`
    )
  }
  const platforms = input.list('platforms', { commas: true })
  const badPlatform = platforms.find((p) => !PLATFORM.test(p))
  if (badPlatform !== undefined) {
    throw new InputError(
      'platforms',
      badPlatform,
      'os/arch[/variant] entries such as linux/amd64 or linux/arm/v7'
    )
  }
  return {
    image,
    context,
    file,
    ...tagsInput(),
    push: input.boolean('push', true),
    builder: input.oneOf<BuilderChoice>('builder', ['auto', 'buildah', 'docker'], 'auto'),
    platforms,
    buildArgs: input.keyValues('build-args'),
    labels: input.keyValues('labels'),
    target: input.text('target'),
    layers: input.boolean('layers', false),
    credentials,
    insecureRegistries: input.list('insecure-registries', { commas: true }),
    secrets,
    ssh: sshInput(),
    noCache: input.boolean('no-cache', false),
    pull: input.boolean('pull', false),
    buildContexts: buildContextsInput(),
    cacheFrom: cacheInput('cache-from'),
    cacheTo: cacheInput('cache-to')
  }
}

/** `cache-from`/`cache-to`: a repository, or buildx's `type=registry|gha|…,…` form, one per line. */
function cacheInput(name: string): string[] {
  const accepted =
    'a repository for the cache (ghcr.io/acme/app-cache), or type=registry,ref=… / type=gha'
  const lines = input.list(name)
  for (const line of lines) {
    if (line.includes('=')) {
      if (!/^type=[a-z]+(,[\w.-]+=[^,]*)*$/.test(line)) throw new InputError(name, line, accepted)
      continue
    }
    const ref = referenceInput(name, line, accepted)
    if (ref.tag !== undefined || ref.digest !== undefined)
      throw new InputError(name, line, accepted)
  }
  return lines
}

const SECRET_ID = /^[A-Za-z0-9_.-]+$/

/**
 * `secrets` (`id=value` lines, each value masked before anything else is read) and `secret-files`
 * (`id=path`, an existing file); an id once.
 */
function secretsInput(): BuildSecret[] {
  const raw = core.getInput('secrets')
  const byValue = raw
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.trim().startsWith('#'))
    .map((line) => {
      const at = line.indexOf('=')
      const value = at > 0 ? line.slice(at + 1) : ''
      if (value) core.setSecret(value)
      return { id: at > 0 ? line.slice(0, at).trim() : '', value }
    })
  const byFile = input
    .keyValues('secret-files')
    .map(([id, path]) => ({ id, file: resolve(path.trim()) }))
  const seen = new Set<string>()
  for (const secret of [...byValue, ...byFile]) {
    const name = 'value' in secret ? 'secrets' : 'secret-files'
    if (!SECRET_ID.test(secret.id)) {
      // the value is never shown: it is masked, but a line without `=` may be all value
      throw new InputError(
        name,
        secret.id ? `${secret.id}=…` : '(a line without id=)',
        'lines of the form id=value, the id of letters, digits, _ . -'
      )
    }
    if (seen.has(secret.id)) throw new InputError(name, secret.id, 'each secret id once')
    seen.add(secret.id)
    if ('file' in secret && !existsSync(secret.file)) {
      throw new InputError('secret-files', `${secret.id}=${secret.file}`, 'a file that exists')
    }
  }
  return [...byValue, ...byFile]
}

/** `ssh`: `default` or `<id>=<socket|key>[,<key>]`, one per line. */
function sshInput(): string[] {
  const lines = input.list('ssh')
  for (const line of lines) {
    if (!/^[A-Za-z0-9_.-]+(=.+)?$/.test(line)) {
      throw new InputError('ssh', line, 'default, or <id>=<agent socket or key file>')
    }
  }
  return lines
}

/** `build-contexts`: `name=path` or `name=docker-image://ref`, one per line. */
function buildContextsInput(): [string, string][] {
  return input.keyValues('build-contexts').map(([name, value]) => {
    const target = value.trim()
    if (!/^[a-z0-9][a-z0-9_.-]*$/.test(name) || target === '') {
      throw new InputError(
        'build-contexts',
        `${name}=${value}`,
        'name=path or name=docker-image://reference'
      )
    }
    const local = !/^[a-z-]+:\/\//.test(target)
    return [name, local ? resolve(target) : target]
  })
}

/** `tags`: plain names (split on commas and lines), or metadata-action rules (one per line). */
function tagsInput(): Pick<BuildImageInputs, 'tags' | 'rules'> {
  const lines = input.list('tags')
  if (!hasTagRules(lines)) {
    if (input.text('flavor')) {
      throw new InputError(
        'flavor',
        input.text('flavor'),
        'no value unless `tags` holds type=… rules'
      )
    }
    return { tags: input.list('tags', { commas: true }) }
  }
  return {
    tags: [],
    rules: { rules: parseTagRules(lines), flavor: parseFlavor(input.list('flavor')) }
  }
}

function repositoryInput(name: string): ImageRef {
  const value = input.required(name)
  const ref = referenceInput(name, value, 'a valid repository name')
  if (ref.tag !== undefined || ref.digest !== undefined) {
    throw new InputError(
      name,
      value,
      'a repository without tag or digest (tags go in the `tags` input)'
    )
  }
  return ref
}

/** The build for the builder: inputs and computed metadata together. */
export function buildSpec(inputs: BuildImageInputs, meta: ImageMetadata): BuildSpec {
  return {
    context: inputs.context,
    file: inputs.file,
    target: inputs.target || undefined,
    buildArgs: inputs.buildArgs,
    labels: meta.labels,
    annotations: meta.annotations,
    platforms: inputs.platforms,
    tags: meta.tags,
    layers: inputs.layers,
    push: inputs.push,
    auth: inputs.credentials && { registry: inputs.image.registry, ...inputs.credentials },
    insecureRegistries: inputs.insecureRegistries,
    secrets: inputs.secrets,
    ssh: inputs.ssh,
    noCache: inputs.noCache,
    pull: inputs.pull,
    buildContexts: inputs.buildContexts,
    cacheFrom: inputs.cacheFrom,
    cacheTo: inputs.cacheTo
  }
}
