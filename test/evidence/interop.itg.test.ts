/**
 * Tools we did not write read what canary-gate attaches, on a real registry (distribution 2.8, so
 * the referrers tag): cosign 2.5 verifies the attestation (key-based and keyless, offline), and
 * oras 1.2 lists it as a referrer of the image.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runAction, type ActionResult } from '../../harness/action-runner.js'
import { pemKeyPair } from '../../harness/evidence-keys.js'
import { interopTool } from '../../harness/interop-tools.js'
import { startRegistry, type Registry } from '../../harness/registry.js'
import { run, type RunResult } from '../../harness/run.js'
import { startSigstore, workflowIdentity, type LocalSigstore } from '../../harness/sigstore.js'
import { pushImage } from '../../harness/synthetic-images.js'
import { parseReference, RegistryClient } from '../../src/registry/index.js'

const TESTS_TYPE = 'https://rollout-kit.dev/evidence/tests/v1'
const keys = pemKeyPair()
const dir = mkdtempSync(join(tmpdir(), 'interop-'))
const publicKeyFile = join(dir, 'cosign.pub')
const otherKeyFile = join(dir, 'other.pub')
const emptyRootFile = join(dir, 'empty-root.json')
writeFileSync(publicKeyFile, keys.publicKey)
writeFileSync(otherKeyFile, pemKeyPair().publicKey)
writeFileSync(
  emptyRootFile,
  JSON.stringify({
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs: [],
    certificateAuthorities: [],
    ctlogs: [],
    timestampAuthorities: []
  })
)

let registry: Registry
let sigstore: LocalSigstore
let client: RegistryClient
let n = 0

beforeAll(async () => {
  ;[registry, sigstore] = await Promise.all([startRegistry(), startSigstore()])
  client = new RegistryClient()
}, 60_000)
afterAll(async () => {
  await client?.close()
  await Promise.all([registry?.stop(), sigstore?.stop()])
})

async function image(): Promise<string> {
  n += 1
  const ref = parseReference(`${registry.host}/acme/app:i-${n}`)
  const { digest } = await pushImage(
    client,
    ref,
    new Date(Date.UTC(2026, 10, 3, 0, n)).toISOString()
  )
  return `${registry.host}/acme/app@${digest}`
}

function gate(
  pinned: string,
  inputs: Record<string, string>,
  env: Record<string, string> = {}
): Promise<ActionResult> {
  return runAction(
    'canary-gate',
    {
      command: `mkdir -p r && echo '<testsuite tests="1" failures="0"><testcase name="ok"/></testsuite>' > r/j.xml`,
      reports: 'r/j.xml',
      image: pinned,
      ...inputs
    },
    env
  )
}

/** cosign without the network: an HOME of its own (no TUF cache), plain HTTP to the loopback registry. */
function cosign(args: string[], env: Record<string, string> = {}): Promise<RunResult> {
  return run(
    interopTool('cosign'),
    [
      'verify-attestation',
      '--new-bundle-format',
      '--allow-insecure-registry',
      '--allow-http-registry',
      ...args
    ],
    {
      env: { HOME: dir, TUF_ROOT: join(dir, 'tuf'), ...env },
      allowFailure: true,
      timeoutMs: 60_000
    }
  )
}

/** The in-toto statements cosign printed (one JSON DSSE envelope per line). */
function statements(
  stdout: string
): { predicateType: string; predicate: Record<string, unknown> }[] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) =>
      JSON.parse(
        Buffer.from((JSON.parse(line) as { payload: string }).payload, 'base64').toString()
      )
    )
}

describe('cosign verify-attestation reads canary-gate evidence', () => {
  it('key-based: verifies with the public key, and not with another', async () => {
    const pinned = await image()
    const gated = await gate(pinned, { 'signing-key': keys.privateKey })
    expect(gated.exitCode).toBe(0)
    const args = [
      '--trusted-root',
      emptyRootFile,
      '--insecure-ignore-tlog=true',
      '--type',
      TESTS_TYPE
    ]
    const verified = await cosign([...args, '--key', publicKeyFile, pinned])
    expect(verified.exitCode).toBe(0)
    expect(verified.stderr).toContain(
      'The signatures were verified against the specified public key'
    )
    const [statement] = statements(verified.stdout)
    expect(statement).toMatchObject({
      predicateType: TESTS_TYPE,
      predicate: { kind: 'tests', decision: 'pass', image: pinned }
    })
    const other = await cosign([...args, '--key', otherKeyFile, pinned])
    expect(other.exitCode).not.toBe(0)
  })

  it('keyless: verifies the workflow identity against the trusted root, TSA-witnessed, with no Rekor', async () => {
    const pinned = await image()
    const identity = workflowIdentity('dev.yml', 'dev')
    const gated = await gate(
      pinned,
      { 'fulcio-url': sigstore.fulcioUrl, 'tsa-url': sigstore.tsaUrl, 'rekor-url': '' },
      sigstore.runnerEnv(identity)
    )
    expect(gated.exitCode).toBe(0)
    const env = {
      SIGSTORE_ROOT_FILE: sigstore.fulcioRootFile,
      SIGSTORE_TSA_CERTIFICATE_FILE: sigstore.tsaChainFile
    }
    const common = [
      '--trusted-root',
      sigstore.trustedRootFile,
      '--certificate-oidc-issuer',
      sigstore.issuer,
      '--insecure-ignore-tlog=true',
      '--insecure-ignore-sct=true',
      '--use-signed-timestamps',
      '--type',
      TESTS_TYPE
    ]
    const verified = await cosign(
      [
        ...common,
        '--certificate-identity-regexp',
        '^https://github\\.com/acme/app/\\.github/workflows/dev\\.yml@refs/heads/dev$',
        pinned
      ],
      env
    )
    expect(verified.stderr).toContain(`Verification for ${pinned}`)
    expect(verified.exitCode).toBe(0)
    expect(statements(verified.stdout)[0]).toMatchObject({ predicateType: TESTS_TYPE })
    const wrong = await cosign(
      [...common, '--certificate-identity-regexp', 'workflows/release\\.yml@', pinned],
      env
    )
    expect(wrong.exitCode).not.toBe(0)
  })
})

describe('oras discover lists canary-gate evidence', () => {
  it('as a referrer of the image with the bundle artifact type and our annotations', async () => {
    const pinned = await image()
    const gated = await gate(pinned, { 'signing-key': keys.privateKey })
    expect(gated.exitCode).toBe(0)
    const listed = await run(
      interopTool('oras'),
      [
        'discover',
        '--plain-http',
        '--distribution-spec',
        'v1.1-referrers-tag',
        '--format',
        'json',
        pinned
      ],
      { env: { HOME: dir }, timeoutMs: 60_000 }
    )
    const found = JSON.parse(listed.stdout) as {
      manifests?: { digest: string; artifactType: string; annotations?: Record<string, string> }[]
      referrers?: { digest: string; artifactType: string; annotations?: Record<string, string> }[]
    }
    const referrers = found.manifests ?? found.referrers ?? []
    expect(referrers.map((r) => r.digest)).toEqual([gated.outputs.evidence])
    const manifest = await run(
      interopTool('oras'),
      ['manifest', 'fetch', '--plain-http', `${pinned.split('@')[0]}@${gated.outputs.evidence}`],
      { env: { HOME: dir }, timeoutMs: 60_000 }
    )
    expect(JSON.parse(manifest.stdout)).toMatchObject({
      artifactType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
      subject: { digest: pinned.split('@')[1] },
      annotations: {
        'dev.sigstore.bundle.content': 'dsse-envelope',
        'dev.sigstore.bundle.predicateType': TESTS_TYPE,
        'dev.rollout-kit.evidence.kind': 'tests',
        'dev.rollout-kit.evidence.decision': 'pass'
      }
    })
  })
})
