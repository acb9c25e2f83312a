/**
 * Keyless evidence, offline: canary-gate gets the run's OIDC token from the runner's endpoint, a
 * certificate from a local Fulcio and a timestamp from a local TSA (no Rekor), and promote accepts
 * the record only for the pinned workflow identity, on a real registry.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { runAction, type ActionResult } from '../../harness/action-runner.js'
import { startRegistry, type Registry } from '../../harness/registry.js'
import { startSigstore, workflowIdentity, type LocalSigstore } from '../../harness/sigstore.js'
import { pushImage } from '../../harness/synthetic-images.js'
import {
  bundleManifest,
  EMPTY_CONFIG,
  evidenceStatement,
  inspectEvidence,
  predicateTypeOf,
  type EvidenceRecord
} from '../../src/evidence/index.js'
import { signStatement } from '../../src/evidence/signing.js'
import {
  OCI_MANIFEST,
  parseReference,
  RegistryClient,
  type Digest
} from '../../src/registry/index.js'

let registry: Registry
let sigstore: LocalSigstore
let client: RegistryClient
let n = 0
const DEV = workflowIdentity('dev.yml', 'dev')
const DEV_IDENTITY = '^https://github\\.com/acme/app/\\.github/workflows/dev\\.yml@refs/heads/dev$'

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
  const ref = parseReference(`${registry.host}/acme/app:k-${n}`)
  const { digest } = await pushImage(
    client,
    ref,
    new Date(Date.UTC(2026, 10, 2, 0, n)).toISOString()
  )
  return `${registry.host}/acme/app@${digest}`
}

function gate(
  pinned: string,
  env: Record<string, string>,
  checks = 'exit 0'
): Promise<ActionResult> {
  return runAction(
    'canary-gate',
    {
      mode: 'tests',
      command: `mkdir -p r && echo '<testsuite tests="1" failures="0"><testcase name="ok"/></testsuite>' > r/j.xml && ${checks}`,
      reports: 'r/j.xml',
      image: pinned,
      'fulcio-url': sigstore.fulcioUrl,
      'tsa-url': sigstore.tsaUrl,
      'rekor-url': ''
    },
    env
  )
}

function promote(pinned: string, identity = DEV_IDENTITY): Promise<ActionResult> {
  return runAction('promote', {
    source: pinned,
    destination: `${registry.host}/acme/release`,
    tags: `k${n}`,
    'require-evidence': 'tests',
    'evidence-identity': identity,
    'evidence-issuer': sigstore.issuer,
    'evidence-repository': 'acme/app',
    'trusted-root': sigstore.trustedRootFile
  })
}

describe('keyless evidence (Fulcio certificate, TSA witness, no Rekor)', () => {
  it('canary-gate signs with the run identity; promote accepts it for that identity only', async () => {
    const pinned = await image()
    const before = sigstore.issued()
    const env = sigstore.runnerEnv(DEV)
    const gated = await gate(pinned, env)
    expect(gated.stderr).toBe('')
    expect(gated.exitCode).toBe(0)
    expect(gated.outputs.evidence).toMatch(/^sha256:/)
    expect(sigstore.issued()).toBe(before + 1)
    expect(gated.stdout).toContain('signed (keyless)')

    const seen = await inspectEvidence(client, parseReference(pinned), {
      kind: 'keyless',
      identity: new RegExp(DEV_IDENTITY),
      issuer: sigstore.issuer,
      trustedRoot: { kind: 'json', root: sigstore.trustedRoot }
    })
    expect(seen).toHaveLength(1)
    expect(seen[0].record?.decision).toBe('pass')
    // ordered by the TSA's time (whole seconds), not by what the record says
    expect(seen[0].time).toMatch(/:\d\d\.000Z$/)

    const promoted = await promote(pinned)
    expect(promoted.exitCode).toBe(0)
    expect(promoted.stdout).toContain(`${pinned} has passing evidence`)

    const refused = await promote(
      pinned,
      '^https://github\\.com/acme/app/\\.github/workflows/release\\.yml@'
    )
    expect(refused.exitCode).toBe(1)
    expect(refused.annotations[0].message).toMatch(
      /\(tests, claims pass\): wrong identity \(certificate identity error - expected .*release.*, got https:\/\/github\.com\/acme\/app\/\.github\/workflows\/dev\.yml@refs\/heads\/dev\)/
    )
  })

  it('refuses a record signed by another workflow of the repository (integration.yml dispatched by anyone)', async () => {
    const pinned = await image()
    const gated = await gate(
      pinned,
      sigstore.runnerEnv(workflowIdentity('integration.yml', 'feature'))
    )
    expect(gated.exitCode).toBe(0)
    const refused = await promote(pinned)
    expect(refused.exitCode).toBe(1)
    const message = refused.annotations[0].message
    expect(message).toContain('  tests: no accepted record')
    expect(message).toContain(
      'wrong identity (certificate identity error - expected /^https:\\/\\/github\\.com\\/acme\\/app\\/\\.github\\/workflows\\/dev\\.yml@refs\\/heads\\/dev$/, got https://github.com/acme/app/.github/workflows/integration.yml@refs/heads/feature)'
    )
  })

  it('refuses a record from a fork with the same workflow path', async () => {
    const pinned = await image()
    await gate(pinned, sigstore.runnerEnv(workflowIdentity('dev.yml', 'dev', 'mallory/app')))
    const refused = await promote(pinned, 'workflows/dev\\.yml@refs/heads/dev$')
    expect(refused.exitCode).toBe(1)
    expect(refused.annotations[0].message).toContain(
      'wrong identity (source repository https://github.com/mallory/app, not https://github.com/acme/app)'
    )
  })

  it('says why it cannot sign when Fulcio refuses the token, and writes nothing', async () => {
    const pinned = await image()
    const result = await gate(pinned, {
      ACTIONS_ID_TOKEN_REQUEST_URL: `${sigstore.fulcioUrl}/token?x=1`,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'not-a-request-token'
    })
    expect(result.exitCode).toBe(1)
    expect(result.annotations.find((a) => a.level === 'error')?.message).toMatch(
      /keyless signing failed|no OIDC token/
    )
    expect(await client.listReferrers(parseReference(pinned))).toEqual([])
  })

  /** Signs `record` keyless in this process as DEV, and pushes the bundle (edited by `edit`) onto `pinned`. */
  async function pushKeyless(
    pinned: string,
    record: Partial<EvidenceRecord>,
    edit: (bundle: Record<string, unknown>) => void = () => undefined
  ): Promise<Digest> {
    const ref = parseReference(pinned)
    const saved = { ...process.env }
    Object.assign(process.env, sigstore.runnerEnv(DEV))
    let bundle: Record<string, unknown>
    try {
      bundle = await signStatement(
        evidenceStatement({
          kind: 'tests',
          decision: 'pass',
          image: pinned,
          digest: ref.digest as string,
          createdAt: new Date().toISOString(),
          ...record
        }),
        { kind: 'keyless', fulcioUrl: sigstore.fulcioUrl, tsaUrl: sigstore.tsaUrl, rekorUrl: '' }
      )
    } finally {
      process.env = saved
    }
    edit(bundle)
    const layer = Buffer.from(JSON.stringify(bundle))
    const head = await client.headManifest(ref)
    await client.pushBlob(ref, EMPTY_CONFIG)
    await client.pushBlob(ref, layer)
    const manifest = bundleManifest(layer, predicateTypeOf('tests'), head, {
      'dev.rollout-kit.evidence.kind': 'tests',
      'dev.rollout-kit.evidence.decision': record.decision ?? 'pass'
    })
    return client.pushReferrer(ref, manifest, OCI_MANIFEST)
  }

  it('orders by the time the TSA witnessed, not the time a record states (2099 loses to a later fail)', async () => {
    const pinned = await image()
    await pushKeyless(pinned, { decision: 'pass', createdAt: '2099-01-01T00:00:00.000Z' })
    await new Promise((resolve) => setTimeout(resolve, 1100)) // the TSA's clock has whole seconds
    const fail = await pushKeyless(pinned, {
      decision: 'fail',
      createdAt: '2000-01-01T00:00:00.000Z'
    })
    const refused = await promote(pinned)
    expect(refused.exitCode).toBe(1)
    const message = refused.annotations[0].message
    expect(message).toMatch(/ {2}tests: newest accepted is fail at 20\d\d-/)
    expect(message).not.toContain('newest accepted is fail at 2000-')
    expect(message).toContain(`${fail.slice(0, 19)} (tests fail at`)
    expect(message).toMatch(/\(tests pass at \S+\): accepted, not the newest/)
  })

  it('refuses a certificate-signed record with no witness: expired without a witness', async () => {
    const pinned = await image()
    const bare = await pushKeyless(pinned, {}, (bundle) => {
      const material = bundle.verificationMaterial as Record<string, unknown>
      delete material.timestampVerificationData
    })
    const refused = await promote(pinned)
    expect(refused.exitCode).toBe(1)
    expect(refused.annotations[0].message).toContain(
      `${bare.slice(0, 19)} (tests, claims pass): expired without a witness`
    )
  })
})
