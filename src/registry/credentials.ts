/**
 * Where registry credentials come from, in order: those given to the client; the containers auth
 * file (`$REGISTRY_AUTH_FILE`, `$XDG_RUNTIME_DIR/containers/auth.json`,
 * `~/.config/containers/auth.json`, as buildah, podman and skopeo read it); Docker's config
 * (`$DOCKER_CONFIG/config.json` or `~/.docker/config.json`): `credHelpers`, `credsStore`, `auths`.
 *
 * GCR and Artifact Registry take an OAuth2 access token as the password of the user
 * `oauth2accesstoken`: `gcpAccessToken(token)` builds that from the output of
 * `gcloud auth print-access-token` or the `access_token` output of google-github-actions/auth
 * (with `token_format: access_token`).
 *
 * Every secret is passed to `core.setSecret` as soon as it is read.
 */
import { mask } from './mask.js'
import * as core from '@actions/core'
import { readFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { runCredentialHelper } from './credential-helper.js'
import type { BasicCredentials, Credentials } from './credential-types.js'
import { messageOf } from '../action/errors.js'
import { DOCKER_HUB } from './reference.js'

export type { BasicCredentials, Credentials, IdentityTokenCredentials } from './credential-types.js'

/** Credentials given in code: a map keyed by registry (config-file key forms accepted), or a function. */
export type CredentialSource =
  | Readonly<Record<string, Credentials>>
  | ((registry: string) => Credentials | undefined | Promise<Credentials | undefined>)

/** Where to look; the environment and home directory are injectable for tests. */
export interface CredentialOptions {
  /** Credentials given to the client; they win over every file. */
  readonly explicit?: CredentialSource
  /** Environment for REGISTRY_AUTH_FILE, XDG_RUNTIME_DIR, DOCKER_CONFIG and the helpers' PATH. */
  readonly env?: Readonly<Record<string, string | undefined>>
  /** Home directory; `os.homedir()` by default. */
  readonly homeDir?: string
  /** `false` looks at the explicit credentials only, no files or helpers. */
  readonly files?: boolean
}

const DOCKER_HUB_KEYS = new Set([DOCKER_HUB, 'index.docker.io', 'registry-1.docker.io'])
/** The server URL Docker stores and passes to helpers for Docker Hub. */
const DOCKER_HUB_SERVER = 'https://index.docker.io/v1/'

/** Finds credentials for a registry (`host[:port]`, `docker.io` for Docker Hub), or undefined. */
export async function resolveCredentials(
  registry: string,
  options: CredentialOptions = {}
): Promise<Credentials | undefined> {
  const explicit = await fromSource(registry, options.explicit)
  if (explicit) return masked(explicit)
  if (options.files === false) return undefined
  const env = options.env ?? process.env
  const home = options.homeDir ?? homedir()
  for (const file of configFiles(env, home)) {
    const found = await fromConfigFile(file, registry, env)
    if (found) return found
  }
  return undefined
}

/** `{username: 'oauth2accesstoken', password: token}` for GCR / Artifact Registry. */
export function gcpAccessToken(token: string): BasicCredentials {
  mask(token)
  return { username: 'oauth2accesstoken', password: token }
}

/** The registry a config-file key names (`https://index.docker.io/v1/` → `docker.io`); undefined
 * for keys scoped to a namespace (`quay.io/org`), which this lookup by registry does not use. */
export function registryOfKey(key: string): string | undefined {
  const trimmed = key.trim().toLowerCase()
  let host = trimmed
  if (/^[a-z][a-z0-9+.-]*:\/\//.test(trimmed)) {
    host = trimmed.replace(/^[a-z][a-z0-9+.-]*:\/\//, '').split('/')[0]
  } else if (trimmed.replace(/\/+$/, '').includes('/')) {
    return undefined
  } else {
    host = trimmed.replace(/\/+$/, '')
  }
  return DOCKER_HUB_KEYS.has(host) ? DOCKER_HUB : host
}

/** The entry of `map` for `registry`: an exact key first, then any key naming the same registry. */
export function findEntry<T>(
  map: Readonly<Record<string, T>> | undefined,
  registry: string
): T | undefined {
  if (!map) return undefined
  if (Object.hasOwn(map, registry)) return map[registry]
  const wanted = registryOfKey(registry)
  const key = Object.keys(map).find((k) => registryOfKey(k) === wanted)
  return key === undefined ? undefined : map[key]
}

function configFiles(env: Readonly<Record<string, string | undefined>>, home: string): string[] {
  return [
    env.REGISTRY_AUTH_FILE,
    env.XDG_RUNTIME_DIR && join(env.XDG_RUNTIME_DIR, 'containers', 'auth.json'),
    join(home, '.config', 'containers', 'auth.json'),
    join(env.DOCKER_CONFIG || join(home, '.docker'), 'config.json')
  ].filter((file): file is string => Boolean(file))
}

async function fromSource(
  registry: string,
  source: CredentialSource | undefined
): Promise<Credentials | undefined> {
  if (source === undefined) return undefined
  if (typeof source === 'function') return source(registry)
  return findEntry(source, registry)
}

interface ConfigFile {
  credHelpers?: Record<string, string>
  credsStore?: string
  auths?: Record<string, AuthEntry>
}

interface AuthEntry {
  auth?: string
  username?: string
  password?: string
  identitytoken?: string
}

async function fromConfigFile(
  file: string,
  registry: string,
  env: Readonly<Record<string, string | undefined>>
): Promise<Credentials | undefined> {
  let config: ConfigFile
  try {
    config = JSON.parse(await readFile(file, 'utf8')) as ConfigFile
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return undefined
    throw new Error(`cannot read registry credentials from ${file}: ${messageOf(error)}`)
  }
  const serverUrl = registryOfKey(registry) === DOCKER_HUB ? DOCKER_HUB_SERVER : registry
  const helpers = [findEntry(config.credHelpers, registry), config.credsStore]
  for (const helper of helpers.filter((h): h is string => Boolean(h))) {
    const result = await runCredentialHelper(helper, serverUrl, env)
    if (typeof result === 'object') return result
    if (result === 'missing') {
      core.debug(`${file} names docker-credential-${helper}, which is not on PATH`)
    }
  }
  const entry = findEntry(config.auths, registry)
  return entry ? fromAuthEntry(entry, file, registry) : undefined
}

function fromAuthEntry(entry: AuthEntry, file: string, registry: string): Credentials | undefined {
  if (entry.identitytoken) {
    mask(entry.identitytoken)
    return { identityToken: entry.identitytoken }
  }
  if (entry.auth) {
    mask(entry.auth)
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8')
    const colon = decoded.indexOf(':')
    if (colon <= 0) {
      throw new Error(
        `the auth entry for ${registry} in ${file} is not base64 of 'username:password'`
      )
    }
    return masked({ username: decoded.slice(0, colon), password: decoded.slice(colon + 1) })
  }
  if (entry.username && entry.password) {
    return masked({ username: entry.username, password: entry.password })
  }
  return undefined
}

function masked(credentials: Credentials): Credentials {
  const secret = 'password' in credentials ? credentials.password : credentials.identityToken
  if (secret) mask(secret)
  return credentials
}
