import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { run } from './run.js'

/** A certificate with its key, as files and as PEM text. */
export interface CertFiles {
  readonly certFile: string
  readonly keyFile: string
  readonly certPem: string
  readonly keyPem: string
}

/** A throw-away PKI for loopback servers. */
export interface TestPki {
  /** Directory holding every file below; removed when the process exits. */
  readonly dir: string
  /** Self-signed CA that issued both certificates below. */
  readonly ca: CertFiles
  /** TLS server certificate for 127.0.0.1, ::1 and localhost (SAN IP + DNS), EKU serverAuth. */
  readonly server: CertFiles
  /** Token-signing certificate (ECDSA P-256, for ES256) without EKU, issued by the CA. */
  readonly signing: CertFiles
  /** A directory with only `ca.crt`, as skopeo/buildah `--cert-dir` expects. */
  readonly certDir: string
}

const FILES = ['ca.crt', 'ca.key', 'server.crt', 'server.key', 'signing.crt', 'signing.key']

let cached: Promise<TestPki> | undefined

/**
 * The process's test PKI, generated with openssl on first use. Jest gives every test file its own
 * module registry, so the cache lives on disk in a directory named after the process id.
 */
export function testPki(): Promise<TestPki> {
  cached ??= loadOrCreate(join(tmpdir(), `rollout-kit-tls-${process.pid}`)).catch((error) => {
    cached = undefined
    throw error
  })
  return cached
}

async function loadOrCreate(dir: string): Promise<TestPki> {
  if (!FILES.every((file) => existsSync(join(dir, file)))) {
    const staging = `${dir}.${randomBytes(4).toString('hex')}`
    mkdirSync(staging, { recursive: true })
    await generate(staging)
    rmSync(dir, { recursive: true, force: true })
    // rename is atomic: another test file of this process sees all files or none
    renameSync(staging, dir)
  }
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }))
  const certDir = join(dir, 'cert-dir')
  mkdirSync(certDir, { recursive: true })
  writeFileSync(join(certDir, 'ca.crt'), readFileSync(join(dir, 'ca.crt')))
  return {
    dir,
    ca: files(dir, 'ca'),
    server: files(dir, 'server'),
    signing: files(dir, 'signing'),
    certDir
  }
}

function files(dir: string, name: string): CertFiles {
  const certFile = join(dir, `${name}.crt`)
  const keyFile = join(dir, `${name}.key`)
  return {
    certFile,
    keyFile,
    certPem: readFileSync(certFile, 'utf8'),
    keyPem: readFileSync(keyFile, 'utf8')
  }
}

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']

async function generate(dir: string): Promise<void> {
  await createCa(dir, 'rollout-kit test CA')
  await issueCert(dir, 'server', '/CN=localhost', [
    'basicConstraints=critical,CA:FALSE',
    'keyUsage=critical,digitalSignature,keyEncipherment',
    'extendedKeyUsage=serverAuth',
    'subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost'
  ])
  await issueCert(dir, 'signing', '/CN=rollout-kit token signer', [
    'basicConstraints=critical,CA:FALSE',
    'keyUsage=critical,digitalSignature'
  ])
}

/** Writes a self-signed ECDSA P-256 CA as `ca.crt` and `ca.key` in `dir`. */
export async function createCa(dir: string, commonName: string): Promise<void> {
  const at = (file: string): string => join(dir, file)
  await run('openssl', [
    'req',
    '-x509',
    ...EC_KEY,
    '-subj',
    `/CN=${commonName}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
    '-addext',
    'subjectKeyIdentifier=hash',
    '-days',
    '30',
    '-keyout',
    at('ca.key'),
    '-out',
    at('ca.crt')
  ])
}

/** Writes `<name>.crt` and `<name>.key` in `dir`, issued by the CA there, with these extensions. */
export async function issueCert(
  dir: string,
  name: string,
  subject: string,
  extensions: string[]
): Promise<void> {
  const at = (file: string): string => join(dir, file)
  writeFileSync(at(`${name}.ext`), `${extensions.join('\n')}\n`)
  await run('openssl', [
    'req',
    '-new',
    ...EC_KEY,
    '-keyout',
    at(`${name}.key`),
    '-out',
    at(`${name}.csr`),
    '-subj',
    subject
  ])
  await run('openssl', [
    'x509',
    '-req',
    '-in',
    at(`${name}.csr`),
    '-CA',
    at('ca.crt'),
    '-CAkey',
    at('ca.key'),
    '-set_serial',
    `0x${randomBytes(12).toString('hex')}`,
    '-days',
    '30',
    '-sha256',
    '-extfile',
    at(`${name}.ext`),
    '-out',
    at(`${name}.crt`)
  ])
}
