import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { stringify } from 'yaml'
import { stopChild, trackChild } from './children.js'
import { freePort } from './ports.js'
import { run } from './run.js'
import { testPki } from './tls.js'
import { startTokenServer, type TokenServer } from './token-server.js'

/** A registry account. `push` is honoured in token mode only: htpasswd lets every user push. */
export interface RegistryUser {
  readonly password: string
  readonly push?: boolean
}

/** How the registry is protected. */
export type RegistryAuth = 'none' | 'basic' | 'token'

/** Options for {@link startRegistry}. */
export interface RegistryOptions {
  /** `none` (default), `basic` (htpasswd, bcrypt) or `token` (bearer tokens from a token server). */
  readonly auth?: RegistryAuth
  /** Serve HTTPS with the test PKI's server certificate (default: true for basic, else false). */
  readonly tls?: boolean
  /** Accounts (default: `pusher` may push, `reader` may only pull). */
  readonly users?: Readonly<Record<string, RegistryUser>>
  /** `storage.delete.enabled` (default true). */
  readonly deleteEnabled?: boolean
  /** Token mode: token lifetime in seconds (default 300). */
  readonly tokenTtlSeconds?: number
  /** Token mode: whether anonymous requests get `pull` (default true). */
  readonly anonymousPull?: boolean
}

/** A running CNCF distribution registry on loopback. */
export interface Registry {
  /** `127.0.0.1:PORT`, as it appears in image references. */
  readonly host: string
  /** `http://127.0.0.1:PORT` or `https://…`. */
  readonly url: string
  readonly auth: RegistryAuth
  readonly tls: boolean
  /** The CA that issued the server certificate (TLS only). */
  readonly caPem?: string
  readonly caFile?: string
  /** A directory with `ca.crt` for skopeo/buildah `--cert-dir` (TLS only). */
  readonly certDir?: string
  readonly users: Readonly<Record<string, RegistryUser>>
  /** The token server (token mode only). */
  readonly tokenServer?: TokenServer
  /** The registry's log (warn level); kept after stop() for debugging. */
  readonly logFile: string
  /** `user:password` of a user, for `--creds` (default: the first user allowed to push). */
  creds(user?: string): string
  stop(): Promise<void>
}

const DEFAULT_USERS: Record<string, RegistryUser> = {
  pusher: { password: 'pusher-secret', push: true },
  reader: { password: 'reader-secret', push: false }
}
const SERVICE = 'rollout-kit-registry'
const ISSUER = 'rollout-kit-token-server'

/** Starts `docker-registry serve` with a generated config in a temp dir; stop() removes the dir. */
export async function startRegistry(options: RegistryOptions = {}): Promise<Registry> {
  const auth = options.auth ?? 'none'
  const tls = options.tls ?? auth === 'basic'
  const users = options.users ?? DEFAULT_USERS
  const dir = mkdtempSync(join(tmpdir(), 'rollout-kit-registry-'))
  const pki = tls || auth === 'token' ? await testPki() : undefined
  let tokenServer: TokenServer | undefined
  try {
    const authConfig = await authSection(auth, dir, users)
    if (auth === 'token' && pki) {
      tokenServer = await startTokenServer({
        users,
        service: SERVICE,
        issuer: ISSUER,
        signing: pki.signing,
        tokenTtlSeconds: options.tokenTtlSeconds,
        anonymousPull: options.anonymousPull
      })
      authConfig.token = {
        realm: tokenServer.realm,
        service: SERVICE,
        issuer: ISSUER,
        rootcertbundle: pki.ca.certFile
      }
    }
    const started = await spawnOnFreePort(
      dir,
      (port) => ({
        version: 0.1,
        log: { level: 'warn', formatter: 'text', accesslog: { disabled: true } },
        storage: {
          filesystem: { rootdirectory: join(dir, 'data') },
          delete: { enabled: options.deleteEnabled ?? true },
          maintenance: { uploadpurging: { enabled: false } }
        },
        http: {
          addr: `127.0.0.1:${port}`,
          secret: randomBytes(16).toString('hex'),
          headers: { 'X-Content-Type-Options': ['nosniff'] },
          ...(tls && pki
            ? { tls: { certificate: pki.server.certFile, key: pki.server.keyFile } }
            : {})
        },
        ...(Object.keys(authConfig).length > 0 ? { auth: authConfig } : {})
      }),
      tls ? pki?.ca.certPem : undefined
    )
    const host = `127.0.0.1:${started.port}`
    return registryHandle({
      host,
      auth,
      tls,
      users,
      tokenServer,
      dir,
      ...started,
      pki: tls ? pki : undefined
    })
  } catch (error) {
    await tokenServer?.stop()
    rmSync(dir, { recursive: true, force: true })
    throw error
  }
}

type AuthConfig = Record<string, Record<string, string>>

async function authSection(
  auth: RegistryAuth,
  dir: string,
  users: Readonly<Record<string, RegistryUser>>
): Promise<AuthConfig> {
  if (auth !== 'basic') return {}
  const lines: string[] = []
  for (const [user, { password }] of Object.entries(users)) {
    // -B: bcrypt, the only hash distribution accepts; -n: print; -b: password from the command line
    const { stdout } = await run('htpasswd', ['-Bbn', user, password])
    lines.push(stdout.trim())
  }
  const path = join(dir, 'htpasswd')
  writeFileSync(path, `${lines.join('\n')}\n`)
  return { htpasswd: { realm: 'rollout-kit', path } }
}

interface Started {
  readonly port: number
  readonly child: ChildProcess
  readonly logFile: string
}

/** Binds a free port; retries when another process took the port between probe and bind. */
async function spawnOnFreePort(
  dir: string,
  config: (port: number) => unknown,
  caPem: string | undefined
): Promise<Started> {
  const logDir = join(tmpdir(), 'rollout-kit-logs')
  mkdirSync(logDir, { recursive: true })
  let lastError: unknown
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort()
    const configFile = join(dir, 'config.yml')
    writeFileSync(configFile, stringify(config(port)))
    const logFile = join(logDir, `registry-${port}-${Date.now()}.log`)
    const log = openSync(logFile, 'a')
    const child = spawn('docker-registry', ['serve', configFile], { stdio: ['ignore', log, log] })
    closeSync(log)
    const untrack = trackChild(child.pid, 'docker-registry', dir)
    child.once('exit', untrack)
    try {
      await waitUntilServing(child, port, caPem, logFile)
      return { port, child, logFile }
    } catch (error) {
      child.kill('SIGKILL')
      lastError = error
      if (!readFileSync(logFile, 'utf8').includes('address already in use')) break
    }
  }
  throw lastError
}

async function waitUntilServing(
  child: ChildProcess,
  port: number,
  caPem: string | undefined,
  logFile: string
): Promise<void> {
  const deadline = Date.now() + 15_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `docker-registry exited (${child.exitCode ?? child.signalCode}):\n${tail(logFile)}`
      )
    }
    const status = await probe(port, caPem)
    if (status === 200 || status === 401) return
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(
    `docker-registry did not answer GET /v2/ on port ${port} in 15 s:\n${tail(logFile)}`
  )
}

/** GET /v2/ → status, or 0 when nothing answers yet. */
function probe(port: number, caPem: string | undefined): Promise<number> {
  return new Promise((resolve) => {
    const options = { host: '127.0.0.1', port, path: '/v2/', method: 'GET', timeout: 1000 }
    const req = caPem ? httpsRequest({ ...options, ca: caPem }) : httpRequest(options)
    req.on('response', (res) => {
      res.resume()
      resolve(res.statusCode ?? 0)
    })
    req.on('timeout', () => req.destroy())
    req.on('error', () => resolve(0))
    req.end()
  })
}

function tail(file: string): string {
  return readFileSync(file, 'utf8').split('\n').slice(-20).join('\n')
}

interface HandleParts extends Started {
  readonly host: string
  readonly auth: RegistryAuth
  readonly tls: boolean
  readonly users: Readonly<Record<string, RegistryUser>>
  readonly tokenServer: TokenServer | undefined
  readonly dir: string
  readonly pki: Awaited<ReturnType<typeof testPki>> | undefined
}

function registryHandle(parts: HandleParts): Registry {
  const { child, dir, tokenServer, pki, users } = parts
  // a suite that forgets stop() must not leave a registry behind
  const killOnExit = (): void => {
    child.kill('SIGKILL')
  }
  process.once('exit', killOnExit)
  return {
    host: parts.host,
    url: `${parts.tls ? 'https' : 'http'}://${parts.host}`,
    auth: parts.auth,
    tls: parts.tls,
    ...(pki ? { caPem: pki.ca.certPem, caFile: pki.ca.certFile, certDir: pki.certDir } : {}),
    users,
    ...(tokenServer ? { tokenServer } : {}),
    logFile: parts.logFile,
    creds(user?: string): string {
      const name =
        user ?? Object.keys(users).find((key) => users[key]?.push) ?? Object.keys(users)[0]
      const account = name === undefined ? undefined : users[name]
      if (name === undefined || !account) throw new Error(`registry has no user ${user ?? ''}`)
      return `${name}:${account.password}`
    },
    async stop(): Promise<void> {
      process.removeListener('exit', killOnExit)
      await stopChild(child)
      await tokenServer?.stop()
      rmSync(dir, { recursive: true, force: true })
    }
  }
}
