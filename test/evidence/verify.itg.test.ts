/**
 * promote `stage: verify` — the check a release makes, for anyone, changing nothing — and keyless
 * trust taken from a TUF repository instead of a trusted-root file, on a real registry and a local
 * TUF repository served over HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { runAction, type ActionResult } from '../../harness/action-runner.js'
import { pemKeyPair } from '../../harness/evidence-keys.js'
import { startRegistry, type Registry } from '../../harness/registry.js'
import { startSigstore, workflowIdentity, type LocalSigstore } from '../../harness/sigstore.js'
import { pushImage } from '../../harness/synthetic-images.js'
import { startTufRepository, type TufRepository } from '../../harness/tuf-repository.js'
import { writeEvidence, type SigningConfig } from '../../src/evidence/index.js'
import { parseReference, RegistryClient } from '../../src/registry/index.js'

const keys = pemKeyPair()
const DEV = workflowIdentity('dev.yml', 'dev')
const DEV_IDENTITY = '^https://github\\.com/acme/app/\\.github/workflows/dev\\.yml@refs/heads/dev$'
let registry: Registry
let sigstore: LocalSigstore
let tuf: TufRepository
let client: RegistryClient
let n = 0

beforeAll(async () => {
  ;[registry, sigstore] = await Promise.all([startRegistry(), startSigstore()])
  tuf = await startTufRepository(sigstore.trustedRoot)
  client = new RegistryClient()
}, 60_000)
afterAll(async () => {
  await client?.close()
  await Promise.all([registry?.stop(), sigstore?.stop(), tuf?.stop()])
})

async function image(): Promise<string> {
  n += 1
  const ref = parseReference(`${registry.host}/acme/app:v-${n}`)
  const { digest } = await pushImage(
    client,
    ref,
    new Date(Date.UTC(2026, 10, 3, 0, n)).toISOString()
  )
  return `${registry.host}/acme/app@${digest}`
}

async function gate(
  pinned: string,
  kind: string,
  decision: 'pass' | 'fail',
  signing: SigningConfig
) {
  return writeEvidence(
    client,
    parseReference(pinned),
    { kind, decision, runUrl: `https://github.com/acme/app/actions/runs/${n}` },
    signing
  )
}

async function keyless(pinned: string, decision: 'pass' | 'fail'): Promise<void> {
  const saved = { ...process.env }
  Object.assign(process.env, sigstore.runnerEnv(DEV))
  try {
    await gate(pinned, 'tests', decision, {
      kind: 'keyless',
      fulcioUrl: sigstore.fulcioUrl,
      tsaUrl: sigstore.tsaUrl,
      rekorUrl: ''
    })
  } finally {
    process.env = saved
  }
}

function verify(pinned: string, inputs: Record<string, string>): Promise<ActionResult> {
  return runAction('promote', { stage: 'verify', source: pinned, ...inputs })
}

async function tagsOf(repository: string): Promise<string[]> {
  return client.listTags(parseReference(`${registry.host}/${repository}`)).catch(() => [])
}

describe('promote stage verify', () => {
  it('outputs the newest accepted record of each kind, and changes nothing', async () => {
    const pinned = await image()
    await gate(pinned, 'tests', 'pass', { kind: 'key', privateKey: keys.privateKey })
    await gate(pinned, 'analysis', 'pass', { kind: 'key', privateKey: keys.privateKey })
    const referrersBefore = await client.listReferrers(parseReference(pinned))

    const result = await verify(pinned, {
      'require-evidence': 'tests, analysis',
      'evidence-key': keys.publicKey
    })
    expect(result.stderr).toBe('')
    expect(result.exitCode).toBe(0)
    expect(result.outputs.digest).toBe(parseReference(pinned).digest)
    expect(result.outputs.image).toBe(pinned)
    const evidence = JSON.parse(result.outputs.evidence) as Record<string, string>[]
    expect(evidence.map((e) => `${e.kind}=${e.decision}`)).toEqual(['tests=pass', 'analysis=pass'])
    expect(evidence[0].runUrl).toBe(`https://github.com/acme/app/actions/runs/${n}`)
    expect(evidence[0].referrer).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(result.summary).toContain('Evidence verified')
    // nothing written: the same referrers, no repository made anywhere
    expect(await client.listReferrers(parseReference(pinned))).toEqual(referrersBefore)
    expect(await tagsOf('acme/release')).toEqual([])
  })

  it('fails exactly when a release would refuse, naming each record and why', async () => {
    const pinned = await image()
    const other = pemKeyPair()
    await gate(pinned, 'tests', 'pass', { kind: 'key', privateKey: other.privateKey })
    const result = await verify(pinned, {
      'require-evidence': 'tests',
      'evidence-key': keys.publicKey
    })
    expect(result.exitCode).toBe(1)
    const message = result.annotations.find((a) => a.level === 'error')?.message ?? ''
    expect(message).toContain(`Evidence does not allow a release: ${pinned} lacks passing evidence`)
    expect(message).toContain('tests: no accepted record')
    expect(message).toMatch(/\(tests, claims pass\): signature invalid/)
    expect(JSON.parse(result.outputs.evidence)).toEqual([])
    expect(result.summary).toContain('Evidence refused')
  })

  it('refuses without require-evidence, before reaching the registry', async () => {
    const result = await verify(`${registry.host}/acme/app:nothing`, {
      'evidence-key': keys.publicKey
    })
    expect(result.exitCode).toBe(1)
    expect(result.annotations[0].message).toBe(
      "Input 'require-evidence' is ''; expected the evidence kinds to verify (e.g. tests, analysis) with stage verify"
    )
  })
})

describe('keyless trust from a TUF repository', () => {
  it('fetches the trusted root from the repository, checked against its root.json, and verifies', async () => {
    const pinned = await image()
    await keyless(pinned, 'pass')
    const before = tuf.requests()
    const result = await verify(pinned, {
      'require-evidence': 'tests',
      'evidence-identity': DEV_IDENTITY,
      'evidence-issuer': sigstore.issuer,
      'tuf-mirror-url': tuf.url,
      'tuf-root': tuf.rootFile
    })
    expect(result.stderr).toBe('')
    expect(result.exitCode).toBe(0)
    expect(tuf.requests()).toBeGreaterThan(before)
    expect(JSON.parse(result.outputs.evidence)).toMatchObject([{ kind: 'tests', decision: 'pass' }])
  })

  it('refuses a repository whose metadata another root signed', async () => {
    const pinned = await image()
    await keyless(pinned, 'pass')
    const stranger = await startTufRepository(sigstore.trustedRoot)
    try {
      const result = await verify(pinned, {
        'require-evidence': 'tests',
        'evidence-identity': DEV_IDENTITY,
        'evidence-issuer': sigstore.issuer,
        'tuf-mirror-url': stranger.url,
        'tuf-root': tuf.rootFile
      })
      expect(result.exitCode).toBe(1)
      expect(result.annotations[0].message).toMatch(
        new RegExp(
          `^TUF repository ${stranger.url}: fetching the Sigstore trusted root failed \\(.+\\); give \`trusted-root\``
        )
      )
    } finally {
      await stranger.stop()
    }
  })

  it('names the TUF server when it cannot be reached', async () => {
    const pinned = await image()
    await keyless(pinned, 'pass')
    const gone = await startTufRepository(sigstore.trustedRoot)
    await gone.stop()
    const result = await verify(pinned, {
      'require-evidence': 'tests',
      'evidence-identity': DEV_IDENTITY,
      'tuf-mirror-url': gone.url,
      'tuf-root': tuf.rootFile
    })
    expect(result.exitCode).toBe(1)
    expect(result.annotations[0].message).toMatch(
      new RegExp(
        `^TUF repository ${gone.url}: fetching the Sigstore trusted root failed \\(.*(ECONNREFUSED|connect).*\\)`
      )
    )
  })
})
