import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { runAction } from '../../harness/action-runner.js'
import { buildahEnv, ensureBaseImage, twoPlatformIndex } from '../../harness/buildah.js'
import { startRegistry, type Registry } from '../../harness/registry.js'
import { run } from '../../harness/run.js'
import { skopeoDigest, skopeoInspect } from '../../harness/skopeo.js'
import { writeEvidence } from '../../src/evidence/index.js'
import { acceptedEvidence, pemKeyPair } from '../../harness/evidence-keys.js'
import { parseReference, RegistryClient } from '../../src/registry/index.js'

let internal: Registry
let release: Registry
let base: { ref: string; digest: string; pinned: string }
let index: { ref: string; digest: string }
const keys = pemKeyPair()
const trust = { kind: 'key', publicKey: keys.publicKey } as const

beforeAll(async () => {
  internal = await startRegistry()
  release = await startRegistry({ auth: 'token' })
  base = await ensureBaseImage(internal.host, { tlsVerify: false })
  index = await twoPlatformIndex(internal.host, {
    path: 'acme/multi:sha-1a2b3c4',
    tlsVerify: false
  })
})
afterAll(async () => {
  await internal?.stop()
  await release?.stop()
})

const releaseCreds = () => ({
  'destination-username': 'pusher',
  'destination-password': release.users.pusher.password
})
const releaseAccess = () => ({ tlsVerify: false, creds: release.creds() })

async function tagsAt(registry: Registry, repository: string): Promise<string[] | undefined> {
  const result = await run(
    'skopeo',
    [
      'list-tags',
      '--tls-verify=false',
      '--creds',
      registry.creds(),
      `docker://${registry.host}/${repository}`
    ],
    { env: buildahEnv(), allowFailure: true }
  )
  return result.exitCode === 0 ? (JSON.parse(result.stdout) as { Tags: string[] }).Tags : undefined
}

async function evidence(ref: string, kind: string, decision: 'pass' | 'fail', at: string) {
  const client = new RegistryClient()
  try {
    await writeEvidence(
      client,
      parseReference(ref),
      { kind, decision, summary: `${kind} ${decision}` },
      { kind: 'key', privateKey: keys.privateKey },
      new Date(at)
    )
  } finally {
    await client.close()
  }
}

describe('promote stage release', () => {
  it('copies a two-platform index by digest to a token registry, tags it last, and a second run copies nothing', async () => {
    const inputs = {
      source: `${internal.host}/acme/multi:sha-1a2b3c4`,
      destination: `${release.host}/acme/app`,
      tags: '1.0.0\nlatest',
      ...releaseCreds()
    }
    const first = await runAction('promote', inputs)
    expect(first.stderr).toBe('')
    expect(first.exitCode).toBe(0)
    expect(first.outputs).toMatchObject({
      digest: index.digest,
      image: `${release.host}/acme/app@${index.digest}`,
      tags: `${release.host}/acme/app:1.0.0\n${release.host}/acme/app:latest`,
      stage: 'release',
      'previous-image': ''
    })
    for (const tag of ['1.0.0', 'latest']) {
      expect(await skopeoDigest(`${release.host}/acme/app:${tag}`, releaseAccess())).toBe(
        index.digest
      )
    }
    const raw = (await skopeoInspect(`${release.host}/acme/app:1.0.0`, {
      ...releaseAccess(),
      raw: true
    })) as {
      manifests: unknown[]
    }
    expect(raw.manifests).toHaveLength(2)
    const copied = JSON.parse(first.outputs.copied) as {
      blobs: number
      bytes: number
      manifests: number
    }
    expect(copied.blobs).toBeGreaterThan(0)
    expect(copied.bytes).toBeGreaterThan(0)
    expect(first.summary).toContain(index.digest)

    const second = await runAction('promote', inputs)
    expect(second.exitCode).toBe(0)
    expect(second.outputs['previous-image']).toBe(`${release.host}/acme/app@${index.digest}`)
    const again = JSON.parse(second.outputs.copied) as {
      blobs: number
      bytes: number
      skipped: number
    }
    expect(again).toMatchObject({ blobs: 0, bytes: 0 })
    expect(second.stdout).toContain(
      `Nothing to copy: ${release.host}/acme/app@${index.digest} already holds`
    )
  })

  it('refuses a digest without passing evidence, naming what is missing, and tags nothing', async () => {
    const result = await runAction('promote', {
      source: base.pinned,
      destination: `${release.host}/acme/gated`,
      tags: '2.0.0',
      'require-evidence': 'tests',
      'evidence-key': keys.publicKey,
      ...releaseCreds()
    })
    expect(result.exitCode).toBe(1)
    expect(result.annotations[0].message).toBe(
      `Refusing to promote: ${base.pinned} lacks passing evidence\n  tests: no accepted record\nrecords seen (0):`
    )
    expect(await tagsAt(release, 'acme/gated')).toBeUndefined()
  })

  it('promotes once the newest tests record passes, and the evidence travels with the image', async () => {
    await evidence(base.pinned, 'tests', 'fail', '2026-11-26T10:00:00Z')
    const refused = await runAction('promote', {
      source: base.pinned,
      destination: `${release.host}/acme/gated`,
      tags: '2.0.0',
      'require-evidence': 'tests',
      'evidence-key': keys.publicKey,
      ...releaseCreds()
    })
    expect(refused.exitCode).toBe(1)
    expect(refused.annotations[0].message).toContain(
      'tests: newest accepted is fail at 2026-11-26T10:00:00.000Z'
    )

    await evidence(base.pinned, 'tests', 'pass', '2026-11-26T11:00:00Z')
    const promoted = await runAction('promote', {
      source: base.pinned,
      destination: `${release.host}/acme/gated`,
      tags: '2.0.0',
      'require-evidence': 'tests',
      'evidence-key': keys.publicKey,
      ...releaseCreds()
    })
    expect(promoted.exitCode).toBe(0)
    expect(JSON.parse(promoted.outputs.copied).referrers).toBe(2)
    const client = new RegistryClient({
      credentials: {
        [release.host]: { username: 'pusher', password: release.users.pusher.password }
      }
    })
    try {
      const records = await acceptedEvidence(
        client,
        `${release.host}/acme/gated@${base.digest}`,
        trust
      )
      expect(records.map((r) => r.label)).toEqual(['tests=fail', 'tests=pass'])
    } finally {
      await client.close()
    }
  })

  it('writes nothing on a dry run', async () => {
    const result = await runAction('promote', {
      source: base.pinned,
      destination: `${release.host}/acme/dry`,
      tags: '3.0.0',
      'dry-run': 'true',
      ...releaseCreds()
    })
    expect(result.exitCode).toBe(0)
    expect(result.outputs.digest).toBe(base.digest)
    expect(await tagsAt(release, 'acme/dry')).toBeUndefined()
  })

  it('names the source when its tag does not exist', async () => {
    const result = await runAction('promote', {
      source: `${internal.host}/acme/multi:no-such-tag`,
      destination: `${release.host}/acme/app`,
      ...releaseCreds()
    })
    expect(result.exitCode).toBe(1)
    expect(result.annotations[0].message).toMatch(
      new RegExp(`^source registry ${internal.host}: .*404`)
    )
  })

  it('says the source lacks credentials when its registry refuses anonymous pulls', async () => {
    const locked = await startRegistry({ auth: 'token', anonymousPull: false })
    try {
      const pushed = await ensureBaseImage(locked.host, { tlsVerify: false, creds: locked.creds() })
      const result = await runAction('promote', {
        source: pushed.pinned,
        destination: `${release.host}/acme/from-locked`,
        ...releaseCreds()
      })
      expect(result.exitCode).toBe(1)
      expect(result.annotations[0].message).toMatch(
        new RegExp(`^source registry ${locked.host}[: ].*credentials`)
      )
    } finally {
      await locked.stop()
    }
  })

  it('says the destination lacks credentials when none are given for it', async () => {
    const result = await runAction('promote', {
      source: base.pinned,
      destination: `${release.host}/acme/nocreds`,
      tags: '1'
    })
    expect(result.exitCode).toBe(1)
    expect(result.annotations[0].message).toMatch(/destination/)
    expect(result.annotations[0].message).toContain(release.host)
    expect(await tagsAt(release, 'acme/nocreds')).toBeUndefined()
  })
})
