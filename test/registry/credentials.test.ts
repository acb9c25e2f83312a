import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  CredentialHelperError,
  gcpAccessToken,
  resolveCredentials,
  type CredentialOptions
} from '../../src/registry/index.js'
import { captureStdout } from '../../harness/stdout.js'

const b64 = (text: string) => Buffer.from(text).toString('base64')

// A credential helper speaking the real protocol: server URL on stdin, JSON on stdout.
const HELPER = `#!/bin/sh
read -r server
case "$server" in
  ghcr.io) echo '{"ServerURL":"ghcr.io","Username":"bot","Secret":"ghp_from_helper"}' ;;
  https://index.docker.io/v1/) echo '{"Username":"<token>","Secret":"identity-from-store"}' ;;
  echo.example) printf '{"Username":"%s","Secret":"s"}' "$server" ;;
  broken.example) echo 'keychain is locked' >&2; exit 1 ;;
  *) echo 'credentials not found in native keychain'; exit 1 ;;
esac
`

let root: string
let bin: string

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'rollout-kit-credentials-'))
  bin = join(root, 'bin')
  await mkdir(bin)
  await writeFile(join(bin, 'docker-credential-test'), HELPER)
  await chmod(join(bin, 'docker-credential-test'), 0o755)
})

afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

/** A fresh home with the given files (paths relative to the home), and options pointing at it. */
async function home(files: Record<string, object>, env: Record<string, string> = {}) {
  const dir = await mkdtemp(join(root, 'home-'))
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true })
    await writeFile(join(dir, path), JSON.stringify(content))
  }
  const resolved = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v.replace('~', dir)]))
  const options: CredentialOptions = {
    homeDir: dir,
    env: { PATH: `${bin}:/usr/bin:/bin`, ...resolved }
  }
  return options
}

const DOCKER = '.docker/config.json'
const CONTAINERS = '.config/containers/auth.json'

describe('resolveCredentials from files', () => {
  it.each([
    [
      'auths with base64 auth, password holding colons',
      { [DOCKER]: { auths: { 'ghcr.io': { auth: b64('bob:pa:ss:word') } } } },
      {},
      'ghcr.io',
      { username: 'bob', password: 'pa:ss:word' }
    ],
    [
      'auths with username and password fields',
      { [DOCKER]: { auths: { 'ghcr.io': { username: 'amy', password: 'pw' } } } },
      {},
      'ghcr.io',
      { username: 'amy', password: 'pw' }
    ],
    [
      "Docker Hub's https://index.docker.io/v1/ key for docker.io",
      { [DOCKER]: { auths: { 'https://index.docker.io/v1/': { auth: b64('hub:pw') } } } },
      {},
      'docker.io',
      { username: 'hub', password: 'pw' }
    ],
    [
      'an https:// key',
      { [DOCKER]: { auths: { 'https://reg.example:5000': { auth: b64('u:p') } } } },
      {},
      'reg.example:5000',
      { username: 'u', password: 'p' }
    ],
    [
      'an http://host/v2/ key',
      { [DOCKER]: { auths: { 'http://127.0.0.1:5000/v2/': { auth: b64('u:p') } } } },
      {},
      '127.0.0.1:5000',
      { username: 'u', password: 'p' }
    ],
    [
      'an identity token',
      { [DOCKER]: { auths: { 'acr.example.io': { identitytoken: 'refresh-me' } } } },
      {},
      'acr.example.io',
      { identityToken: 'refresh-me' }
    ],
    [
      'a namespace key, which a registry-wide lookup skips',
      { [CONTAINERS]: { auths: { 'quay.io/org': { auth: b64('u:p') } } } },
      {},
      'quay.io',
      undefined
    ],
    [
      'containers auth.json before docker config.json',
      {
        [CONTAINERS]: { auths: { 'ghcr.io': { auth: b64('podman:1') } } },
        [DOCKER]: { auths: { 'ghcr.io': { auth: b64('docker:2') } } }
      },
      {},
      'ghcr.io',
      { username: 'podman', password: '1' }
    ],
    [
      '$REGISTRY_AUTH_FILE first',
      {
        'custom/auth.json': { auths: { 'ghcr.io': { auth: b64('env:0') } } },
        [CONTAINERS]: { auths: { 'ghcr.io': { auth: b64('podman:1') } } }
      },
      { REGISTRY_AUTH_FILE: '~/custom/auth.json' },
      'ghcr.io',
      { username: 'env', password: '0' }
    ],
    [
      '$XDG_RUNTIME_DIR/containers/auth.json',
      { 'run/containers/auth.json': { auths: { 'ghcr.io': { auth: b64('xdg:1') } } } },
      { XDG_RUNTIME_DIR: '~/run' },
      'ghcr.io',
      { username: 'xdg', password: '1' }
    ],
    [
      '$DOCKER_CONFIG instead of ~/.docker',
      {
        'dc/config.json': { auths: { 'ghcr.io': { auth: b64('dc:1') } } },
        [DOCKER]: { auths: { 'ghcr.io': { auth: b64('home:2') } } }
      },
      { DOCKER_CONFIG: '~/dc' },
      'ghcr.io',
      { username: 'dc', password: '1' }
    ],
    [
      'a file for another registry only',
      { [DOCKER]: { auths: { 'ghcr.io': { auth: b64('u:p') } } } },
      {},
      'quay.io',
      undefined
    ],
    ['no files at all', {}, {}, 'ghcr.io', undefined]
  ])('reads %s', async (_case, files, env, registry, expected) => {
    expect(await resolveCredentials(registry, await home(files, env))).toEqual(expected)
  })
})

describe('resolveCredentials with credential helpers', () => {
  it.each([
    [
      'credHelpers for the registry',
      { credHelpers: { 'ghcr.io': 'test' } },
      'ghcr.io',
      { username: 'bot', password: 'ghp_from_helper' }
    ],
    [
      'credsStore, where <token> means an identity token (Docker Hub server URL on stdin)',
      { credsStore: 'test' },
      'docker.io',
      { identityToken: 'identity-from-store' }
    ],
    [
      'the server URL as written to stdin',
      { credsStore: 'test' },
      'echo.example',
      { username: 'echo.example', password: 's' }
    ],
    [
      'auths after a helper that has nothing stored',
      { credsStore: 'test', auths: { 'quay.io': { auth: b64('fallback:pw') } } },
      'quay.io',
      { username: 'fallback', password: 'pw' }
    ],
    [
      'auths when the helper program is not installed',
      { credsStore: 'desktop', auths: { 'quay.io': { auth: b64('fallback:pw') } } },
      'quay.io',
      { username: 'fallback', password: 'pw' }
    ],
    ['nothing when the helper has nothing stored', { credsStore: 'test' }, 'quay.io', undefined]
  ])('uses %s', async (_case, config, registry, expected) => {
    expect(await resolveCredentials(registry, await home({ [DOCKER]: config }))).toEqual(expected)
  })

  it('reports a helper that fails for another reason, with its stderr', async () => {
    const options = await home({ [DOCKER]: { credHelpers: { 'broken.example': 'test' } } })
    const lookup = resolveCredentials('broken.example', options)
    await expect(lookup).rejects.toThrow(CredentialHelperError)
    await expect(lookup).rejects.toThrow('docker-credential-test get: keychain is locked')
  })
})

describe('resolveCredentials precedence and errors', () => {
  const files = { [DOCKER]: { auths: { 'ghcr.io': { auth: b64('file:pw') } } } }

  it('prefers a map of explicit credentials, keyed in config-file style', async () => {
    const options = await home(files)
    const explicit = { 'https://ghcr.io': { username: 'given', password: 'x' } }
    expect(await resolveCredentials('ghcr.io', { ...options, explicit })).toEqual({
      username: 'given',
      password: 'x'
    })
  })

  it('prefers a resolver function, and falls back to files when it has nothing', async () => {
    const options = await home(files)
    const explicit = (registry: string) =>
      registry === 'quay.io' ? { username: 'q', password: 'x' } : undefined
    expect(await resolveCredentials('quay.io', { ...options, explicit })).toEqual({
      username: 'q',
      password: 'x'
    })
    expect(await resolveCredentials('ghcr.io', { ...options, explicit })).toEqual({
      username: 'file',
      password: 'pw'
    })
  })

  it('reads no files when told not to', async () => {
    expect(await resolveCredentials('ghcr.io', { ...(await home(files)), files: false })).toBe(
      undefined
    )
  })

  it('names the file and registry of a malformed auth entry, not the secret', async () => {
    const options = await home({ [DOCKER]: { auths: { 'ghcr.io': { auth: b64('nocolon') } } } })
    const lookup = resolveCredentials('ghcr.io', options)
    await expect(lookup).rejects.toThrow(
      `the auth entry for ghcr.io in ${options.homeDir}/.docker/config.json is not base64 of 'username:password'`
    )
  })

  it('names a config file that is not JSON', async () => {
    const options = await home({})
    await mkdir(join(options.homeDir!, '.docker'))
    await writeFile(join(options.homeDir!, DOCKER), '{ not json')
    await expect(resolveCredentials('ghcr.io', options)).rejects.toThrow(
      `cannot read registry credentials from ${options.homeDir}/.docker/config.json`
    )
  })

  it('masks every secret it reads before returning it', async () => {
    const options = await home({
      [DOCKER]: { auths: { 'ghcr.io': { auth: b64('bob:s3cret:pw') } } }
    })
    const { written } = await captureStdout(() => resolveCredentials('ghcr.io', options))
    expect(written).toContain('::add-mask::s3cret:pw')
    expect(written).toContain(`::add-mask::${b64('bob:s3cret:pw')}`)
  })
})

describe('gcpAccessToken', () => {
  it('builds the oauth2accesstoken user that GCR and Artifact Registry expect', () => {
    expect(gcpAccessToken('ya29.token')).toEqual({
      username: 'oauth2accesstoken',
      password: 'ya29.token'
    })
  })
})
