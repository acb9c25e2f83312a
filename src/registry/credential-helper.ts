/**
 * The docker credential helper protocol (github.com/docker/docker-credential-helpers): run
 * `docker-credential-<name> get`, write the server URL to stdin, read `{"Username","Secret"}` from
 * stdout. A `<token>` username means the secret is an identity token.
 */
import { mask } from './mask.js'
import { execFile } from 'node:child_process'
import type { Credentials } from './credential-types.js'
import { messageOf } from '../action/errors.js'

/** A helper that failed for a reason other than "no credentials stored". */
export class CredentialHelperError extends Error {
  constructor(
    readonly helper: string,
    message: string
  ) {
    super(`docker-credential-${helper} get: ${message}`)
    this.name = 'CredentialHelperError'
  }
}

/** The outcome of running a helper: credentials, none stored, or no such program. */
export type HelperResult = Credentials | 'not-found' | 'missing'

/** Runs `docker-credential-<helper> get` for `serverUrl` with the given environment (PATH). */
export function runCredentialHelper(
  helper: string,
  serverUrl: string,
  env: Readonly<Record<string, string | undefined>>
): Promise<HelperResult> {
  const program = `docker-credential-${helper}`
  return new Promise((resolve, reject) => {
    const child = execFile(
      program,
      ['get'],
      { env: env as NodeJS.ProcessEnv, timeout: 30_000, maxBuffer: 1 << 20 },
      (error, stdout, stderr) => {
        if (error && (error as { code?: unknown }).code === 'ENOENT') return resolve('missing')
        // The protocol has one exit code for every failure; "credentials not found" is told apart
        // by its message (credentials/error.go, errCredentialsNotFoundMessage).
        if (error && /credentials not found/i.test(`${stdout}${stderr}`))
          return resolve('not-found')
        if (error) {
          const detail = (stderr || stdout).trim().split('\n')[0] || error.message
          return reject(new CredentialHelperError(helper, detail))
        }
        try {
          resolve(parseHelperOutput(stdout))
        } catch (parseError) {
          reject(new CredentialHelperError(helper, messageOf(parseError)))
        }
      }
    )
    child.stdin?.on('error', () => {
      // The helper may exit before reading stdin (e.g. not-found); its exit status tells the story.
    })
    child.stdin?.end(serverUrl)
  })
}

/** Parses a helper's `get` output; masks the secret at once. */
export function parseHelperOutput(stdout: string): HelperResult {
  let body: { Username?: unknown; Secret?: unknown }
  try {
    body = JSON.parse(stdout) as typeof body
  } catch {
    throw new Error('output is not JSON')
  }
  const { Username: username, Secret: secret } = body
  if (typeof secret !== 'string' || secret === '') return 'not-found'
  mask(secret)
  if (username === '<token>') return { identityToken: secret }
  if (typeof username !== 'string') throw new Error('output has no Username')
  return { username, password: secret }
}
