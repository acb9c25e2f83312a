/**
 * build-image attaches signed SLSA provenance v1 to the digest it pushed, as a referrer, on a real
 * registry with buildah; the image index stays as built, and cosign verifies the attestation.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { REPO_ROOT, runAction, type ActionResult } from '../../harness/action-runner.js'
import { buildahEnv, ensureBaseImage } from '../../harness/buildah.js'
import { pemKeyPair } from '../../harness/evidence-keys.js'
import { interopTool } from '../../harness/interop-tools.js'
import { startRegistry, type Registry } from '../../harness/registry.js'
import { run } from '../../harness/run.js'
import { skopeoInspect } from '../../harness/skopeo.js'
import { startSigstore, workflowIdentity, type LocalSigstore } from '../../harness/sigstore.js'
import { pushEvent } from '../actions/github-env.js'
import { BUNDLE_MEDIA_TYPE, SLSA_PROVENANCE_V1 } from '../../src/evidence/index.js'
import { verifyBundle } from '../../src/evidence/verifying.js'
import { parseReference, RegistryClient } from '../../src/registry/index.js'

const SHA = '0123456789abcdef0123456789abcdef01234567'
const keys = pemKeyPair()
const dir = mkdtempSync(join(tmpdir(), 'provenance-'))
let registry: Registry
let base: { ref: string; digest: string }
let client: RegistryClient
let sigstore: LocalSigstore
const built: string[] = []

beforeAll(async () => {
  ;[registry, sigstore] = await Promise.all([startRegistry(), startSigstore()])
  base = await ensureBaseImage(registry.host, { tlsVerify: false })
  client = new RegistryClient()
}, 120_000)
afterAll(async () => {
  await client?.close()
  await Promise.all([registry?.stop(), sigstore?.stop()])
  for (const tag of built) {
    await run('buildah', ['manifest', 'rm', tag], { env: buildahEnv(), allowFailure: true })
    await run('buildah', ['rmi', '-f', tag], { env: buildahEnv(), allowFailure: true })
  }
})

async function build(
  inputs: Record<string, string>,
  extraEnv: Record<string, string> = {}
): Promise<ActionResult> {
  const result = await runAction('build-image', inputs, {
    ...buildahEnv(),
    ...pushEvent('main', SHA),
    GITHUB_RUN_ID: '777',
    ...extraEnv
  })
  built.push(...(result.outputs.tags ?? '').split('\n').filter(Boolean))
  return result
}

/** The provenance statements on `pinned` that verify with our key. */
async function provenance(pinned: string): Promise<Record<string, unknown>[]> {
  const ref = parseReference(pinned)
  const referrers = await client.listReferrers(ref, BUNDLE_MEDIA_TYPE)
  const statements: Record<string, unknown>[] = []
  for (const r of referrers) {
    const manifest = await client.getManifest({ ...ref, digest: r.digest })
    if (manifest.kind !== 'image') continue
    const bundle = JSON.parse(
      (await client.fetchBlob(ref, manifest.manifest.layers[0].digest)).toString()
    )
    const { statement } = await verifyBundle(bundle, { kind: 'key', publicKey: keys.publicKey })
    if (statement.predicateType === SLSA_PROVENANCE_V1) statements.push(statement as never)
  }
  return statements
}

describe('build-image provenance', () => {
  it('signs SLSA provenance v1 of the pushed digest: the run, the commit, the Dockerfile, build args and the base digest', async () => {
    const image = `${registry.host}/acme/prov`
    const result = await build({
      image,
      context: join(REPO_ROOT, 'examples/sample-app'),
      'build-args': `BASE=${base.ref}\nVERSION=1.0`,
      'signing-key': keys.privateKey
    })
    expect(result.stderr).toBe('')
    expect(result.exitCode).toBe(0)
    const pinned = result.outputs.image
    const [statement, ...more] = await provenance(pinned)
    expect(more).toEqual([])
    expect(statement).toMatchObject({
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: image, digest: { sha256: result.outputs.digest.slice(7) } }],
      predicateType: 'https://slsa.dev/provenance/v1',
      predicate: {
        buildDefinition: {
          buildType: 'https://rollout-kit.dev/build-image/v1',
          externalParameters: { buildArgs: { BASE: base.ref, VERSION: '1.0' } },
          resolvedDependencies: [
            { uri: 'git+https://github.com/acme/app@refs/heads/main', digest: { gitCommit: SHA } },
            { uri: `pkg:docker/${base.ref}`, digest: { sha256: base.digest.slice(7) } }
          ]
        },
        runDetails: { builder: { id: 'https://github.com/acme/app/actions/runs/777' } }
      }
    })
    expect(
      (statement.predicate as { buildDefinition: { externalParameters: { dockerfile: string } } })
        .buildDefinition.externalParameters.dockerfile
    ).toMatch(/examples\/sample-app\/Dockerfile$/)

    const empty = join(dir, 'empty-root.json')
    writeFileSync(
      empty,
      '{"mediaType":"application/vnd.dev.sigstore.trustedroot+json;version=0.1","tlogs":[],"certificateAuthorities":[],"ctlogs":[],"timestampAuthorities":[]}'
    )
    writeFileSync(join(dir, 'cosign.pub'), keys.publicKey)
    const cosign = await run(
      interopTool('cosign'),
      [
        'verify-attestation',
        '--new-bundle-format',
        '--trusted-root',
        empty,
        '--key',
        join(dir, 'cosign.pub'),
        '--insecure-ignore-tlog=true',
        '--type',
        'slsaprovenance1',
        '--allow-insecure-registry',
        '--allow-http-registry',
        pinned
      ],
      { env: { HOME: dir }, allowFailure: true, timeoutMs: 60_000 }
    )
    expect(cosign.stderr).toContain(`Verification for ${pinned}`)
    expect(cosign.exitCode).toBe(0)

    // provenance is not evidence: promote neither counts it nor lists it as a rejected record
    const promoted = await runAction('promote', {
      source: pinned,
      destination: `${registry.host}/acme/prov-release`,
      'require-evidence': 'tests',
      'evidence-key': pemKeyPair().publicKey
    })
    expect(promoted.exitCode).toBe(1)
    expect(promoted.annotations[0].message).toContain('records seen (0):')
  })

  it('leaves a two-platform index clean: its two platforms, no unknown/unknown entry', async () => {
    const context = mkdtempSync(join(tmpdir(), 'prov-multi-'))
    writeFileSync(join(context, 'Dockerfile'), 'FROM scratch\nCOPY hello.txt /hello.txt\n')
    writeFileSync(join(context, 'hello.txt'), 'hello\n')
    const image = `${registry.host}/acme/prov-multi`
    const result = await build({
      image,
      context,
      platforms: 'linux/amd64,linux/arm64',
      tags: 'v1',
      'signing-key': keys.privateKey
    })
    expect(result.exitCode).toBe(0)
    const index = (await skopeoInspect(`${image}:v1`, { tlsVerify: false, raw: true })) as {
      manifests: { platform: { os: string; architecture: string } }[]
    }
    expect(
      index.manifests.map((m) => `${m.platform.os}/${m.platform.architecture}`).sort()
    ).toEqual(['linux/amd64', 'linux/arm64'])
    expect(await provenance(result.outputs.image)).toHaveLength(1)
  })

  it('attaches none with provenance false, and refuses provenance true without a way to sign', async () => {
    const context = mkdtempSync(join(tmpdir(), 'prov-off-'))
    writeFileSync(join(context, 'Dockerfile'), 'FROM scratch\nCOPY hello.txt /hello.txt\n')
    writeFileSync(join(context, 'hello.txt'), 'off\n')
    const image = `${registry.host}/acme/prov-off`
    const off = await build({
      image,
      context,
      tags: 'v1',
      provenance: 'false',
      'signing-key': keys.privateKey
    })
    expect(off.exitCode).toBe(0)
    expect(await client.listReferrers(parseReference(off.outputs.image))).toEqual([])
    const refused = await build({ image, context, tags: 'v2', provenance: 'true' })
    expect(refused.exitCode).toBe(1)
    expect(refused.annotations[0].message).toBe(
      "Input 'provenance' is 'true'; expected false, as there is no signing available: give `signing-key`, or grant `permissions: id-token: write` for keyless signing"
    )
  })

  it('signs keyless as the build workflow, and cosign verifies that identity from the trusted root', async () => {
    const context = mkdtempSync(join(tmpdir(), 'prov-keyless-'))
    writeFileSync(join(context, 'Dockerfile'), 'FROM scratch\nCOPY hello.txt /hello.txt\n')
    writeFileSync(join(context, 'hello.txt'), 'keyless\n')
    const result = await build(
      {
        image: `${registry.host}/acme/prov-keyless`,
        context,
        tags: 'v1',
        'fulcio-url': sigstore.fulcioUrl,
        'tsa-url': sigstore.tsaUrl,
        'rekor-url': ''
      },
      sigstore.runnerEnv(workflowIdentity('build.yml', 'main'))
    )
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toContain('provenance (SLSA v1) signed (keyless)')
    const cosign = await run(
      interopTool('cosign'),
      [
        'verify-attestation',
        '--new-bundle-format',
        '--trusted-root',
        sigstore.trustedRootFile,
        '--certificate-identity-regexp',
        '^https://github\\.com/acme/app/\\.github/workflows/build\\.yml@refs/heads/main$',
        '--certificate-oidc-issuer',
        sigstore.issuer,
        '--insecure-ignore-tlog=true',
        '--insecure-ignore-sct=true',
        '--use-signed-timestamps',
        '--type',
        'slsaprovenance1',
        '--allow-insecure-registry',
        '--allow-http-registry',
        result.outputs.image
      ],
      {
        env: {
          HOME: dir,
          SIGSTORE_ROOT_FILE: sigstore.fulcioRootFile,
          SIGSTORE_TSA_CERTIFICATE_FILE: sigstore.tsaChainFile
        },
        allowFailure: true,
        timeoutMs: 60_000
      }
    )
    expect(cosign.stderr).toContain(`Verification for ${result.outputs.image}`)
    expect(cosign.exitCode).toBe(0)
  })
})
