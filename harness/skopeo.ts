import { createHash } from 'node:crypto'
import { buildahEnv } from './buildah.js'
import { accessFlags, type RegistryAccess } from './registry-access.js'
import { run } from './run.js'

export type { RegistryAccess }

/** Options for {@link skopeoInspect}. */
export interface SkopeoInspectOptions extends RegistryAccess {
  /** The manifest or index as stored, instead of skopeo's summary of the platform image. */
  readonly raw?: boolean
  /** `--config`: the image configuration blob. */
  readonly config?: boolean
}

/** `skopeo inspect` → parsed JSON. `ref` is `host/repo:tag`, `host/repo@sha256:…` or a transport ref. */
export async function skopeoInspect(
  ref: string,
  options: SkopeoInspectOptions = {}
): Promise<unknown> {
  const { stdout } = await skopeoInspectText(ref, options)
  return JSON.parse(stdout) as unknown
}

/** The digest of the manifest (or index) exactly as the registry serves it. */
export async function skopeoDigest(ref: string, options: RegistryAccess = {}): Promise<string> {
  const { stdout } = await skopeoInspectText(ref, { ...options, raw: true })
  // skopeo prints the raw manifest bytes unchanged; the digest is over those bytes
  return `sha256:${createHash('sha256').update(stdout, 'utf8').digest('hex')}`
}

/** Options for {@link skopeoCopy}. */
export interface SkopeoCopyOptions {
  readonly src?: RegistryAccess
  readonly dest?: RegistryAccess
  /** `--all`: copy every platform of an index. */
  readonly all?: boolean
  /** `--format`: `oci` or `v2s2`. */
  readonly format?: 'oci' | 'v2s2'
}

/** `skopeo copy`; both refs may use any transport (`containers-storage:`, `docker://`, …). */
export async function skopeoCopy(
  src: string,
  dest: string,
  options: SkopeoCopyOptions = {}
): Promise<void> {
  await run(
    'skopeo',
    [
      'copy',
      '--quiet',
      ...accessFlags('src-', options.src ?? {}),
      ...accessFlags('dest-', options.dest ?? {}),
      ...(options.all ? ['--all'] : []),
      ...(options.format ? ['--format', options.format] : []),
      transportRef(src),
      transportRef(dest)
    ],
    { env: buildahEnv() }
  )
}

function skopeoInspectText(ref: string, options: SkopeoInspectOptions): ReturnType<typeof run> {
  return run(
    'skopeo',
    [
      'inspect',
      ...accessFlags('', options),
      ...(options.raw ? ['--raw'] : []),
      ...(options.config ? ['--config'] : []),
      transportRef(ref)
    ],
    { env: buildahEnv() }
  )
}

/** Adds `docker://` when the reference names no transport. */
function transportRef(ref: string): string {
  return /^[a-z-]+:(?!\d)/.test(ref) && !/^[^/]+:\d+\//.test(ref) ? ref : `docker://${ref}`
}
