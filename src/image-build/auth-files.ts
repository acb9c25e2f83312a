/**
 * Credential files for one build, so that no password is ever on a command line: a containers
 * auth.json for buildah (`--authfile`) and a private DOCKER_CONFIG for docker. Earlier logins are
 * carried over, so registries the build pulls from keep working.
 * https://github.com/containers/image/blob/main/docs/containers-auth.json.5.md
 */
import { existsSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import type { RegistryAuth } from './builder.js'
import type { Env } from '../github/context.js'

interface AuthConfig {
  auths?: Record<string, unknown>
  credHelpers?: Record<string, unknown>
  credsStore?: string
  [key: string]: unknown
}

/** The auth files buildah reads without `--authfile`, highest priority first. */
export function containersAuthFiles(env: Env, uid = process.getuid?.() ?? 0): string[] {
  if (env.REGISTRY_AUTH_FILE) return [env.REGISTRY_AUTH_FILE]
  const home = env.HOME || homedir()
  return [
    join(env.XDG_RUNTIME_DIR || `/run/containers/${uid}`, 'containers', 'auth.json'),
    join(env.XDG_CONFIG_HOME || join(home, '.config'), 'containers', 'auth.json'),
    join(dockerConfigDir(env), 'config.json')
  ]
}

/** The user's Docker configuration directory: DOCKER_CONFIG or `~/.docker`. */
export function dockerConfigDir(env: Env): string {
  return env.DOCKER_CONFIG || join(env.HOME || homedir(), '.docker')
}

/**
 * An auth.json: the `auths` and `credHelpers` of the existing files (texts, highest priority first;
 * undefined for a missing file) merged, then `auth` for its registry.
 */
export function containersAuthJson(
  existing: readonly (string | undefined)[],
  auth: RegistryAuth
): string {
  const auths: Record<string, unknown> = {}
  const credHelpers: Record<string, unknown> = {}
  for (const text of [...existing].reverse()) {
    const config = parseConfig(text)
    Object.assign(auths, config.auths)
    Object.assign(credHelpers, config.credHelpers)
  }
  delete credHelpers[auth.registry]
  auths[auth.registry] = { auth: basicAuth(auth) }
  const result: AuthConfig = { auths }
  if (Object.keys(credHelpers).length > 0) result.credHelpers = credHelpers
  return `${JSON.stringify(result, null, 2)}\n`
}

/**
 * A config.json for a private DOCKER_CONFIG: the user's, without a global `credsStore` or a helper
 * for `registry` (either would send the login to a store that outlives the build).
 */
export function dockerConfigJson(existing: string | undefined, registry: string): string {
  const config = parseConfig(existing)
  delete config.credsStore
  if (config.credHelpers) delete config.credHelpers[registry]
  if (config.auths) delete config.auths[registry]
  return `${JSON.stringify(config, null, 2)}\n`
}

/** Subfolders of a Docker config directory that a private copy links to: builders, contexts, plugins. */
export const DOCKER_CONFIG_LINKS = ['buildx', 'contexts', 'cli-plugins']

/** The DOCKER_CONFIG_LINKS present in `dir`. */
export function dockerConfigLinks(dir: string): string[] {
  return DOCKER_CONFIG_LINKS.filter((name) => existsSync(join(dir, name)))
}

function basicAuth(auth: RegistryAuth): string {
  return Buffer.from(`${auth.username}:${auth.password}`).toString('base64')
}

function parseConfig(text: string | undefined): AuthConfig {
  if (!text) return {}
  try {
    const value: unknown = JSON.parse(text)
    return typeof value === 'object' && value !== null ? (value as AuthConfig) : {}
  } catch {
    // A corrupt config file is not this build's to repair; the tools report it if they need it.
    return {}
  }
}
