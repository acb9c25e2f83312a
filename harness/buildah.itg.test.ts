import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  buildah,
  buildahEnv,
  buildahPush,
  buildBaseImage,
  ensureBaseImage,
  run,
  twoPlatformIndex
} from './buildah.js'
import { startRegistry, type Registry } from './registry.js'
import { skopeoDigest, skopeoInspect } from './skopeo.js'

let registry: Registry
beforeAll(async () => {
  registry = await startRegistry()
})
afterAll(() => registry.stop())

describe('buildahEnv', () => {
  it('selects vfs storage, chroot isolation and a private auth file', () => {
    expect(buildahEnv()).toMatchObject({ STORAGE_DRIVER: 'vfs', BUILDAH_ISOLATION: 'chroot' })
    expect(buildahEnv().REGISTRY_AUTH_FILE).toMatch(/auth\.json$/)
  })

  it('makes buildah and skopeo use the same vfs storage', async () => {
    const info = JSON.parse((await buildah(['info'])).stdout) as {
      store: { GraphDriverName: string }
    }
    expect(info.store.GraphDriverName).toBe('vfs')
  })
})

describe('ensureBaseImage', () => {
  it('builds once and pushes the same digest on every call', async () => {
    const first = await ensureBaseImage(registry.host)
    const base = await buildBaseImage()
    expect(base.built).toBe(false)
    const second = await ensureBaseImage(registry.host)
    expect(await buildBaseImage()).toEqual(base)
    expect(second).toEqual(first)
    expect(first.ref).toBe(`${registry.host}/base/busybox:1`)
    expect(first.pinned).toBe(`${registry.host}/base/busybox@${first.digest}`)
    expect(await skopeoDigest(first.ref)).toBe(first.digest)
  })

  it('gives Dockerfile RUN steps a shell under chroot isolation', async () => {
    const base = await ensureBaseImage(registry.host)
    const context = mkdtempSync(join(tmpdir(), 'rollout-kit-harness-'))
    const local = `localhost/rollout-kit-harness-run:${process.pid}`
    try {
      writeFileSync(
        join(context, 'Dockerfile'),
        `FROM ${base.pinned}\nRUN echo "hello from $(uname -s)" > /greeting && test -L /bin/sh\nCMD ["cat", "/greeting"]\n`
      )
      await buildah(['bud', '--quiet', '--tls-verify=false', '-t', local, context])
      const pushed = await buildahPush(local, `${registry.host}/app/run:1`)
      const config = (await skopeoInspect(pushed.ref, { config: true })) as {
        config: { Cmd: string[] }
      }
      expect(config.config.Cmd).toEqual(['cat', '/greeting'])
      const manifest = (await skopeoInspect(pushed.ref, { raw: true })) as { layers: unknown[] }
      expect(manifest.layers).toHaveLength(2)
    } finally {
      await run('buildah', ['rmi', local, base.pinned], { env: buildahEnv(), allowFailure: true })
      rmSync(context, { recursive: true, force: true })
    }
  })
})

describe('twoPlatformIndex', () => {
  it('pushes a reproducible linux/amd64 + linux/arm64 index', async () => {
    const index = await twoPlatformIndex(registry.host)
    expect(await skopeoDigest(index.ref)).toBe(index.digest)
    const raw = (await skopeoInspect(index.pinned, { raw: true })) as {
      mediaType: string
      manifests: { digest: string; platform: { os: string; architecture: string } }[]
    }
    expect(raw.mediaType).toBe('application/vnd.oci.image.index.v1+json')
    expect(raw.manifests.map((m) => `${m.platform.os}/${m.platform.architecture}`).sort()).toEqual([
      'linux/amd64',
      'linux/arm64'
    ])
    expect(Object.keys(index.platforms).sort()).toEqual(['linux/amd64', 'linux/arm64'])
    for (const m of raw.manifests) {
      expect(index.platforms[`${m.platform.os}/${m.platform.architecture}`]).toBe(m.digest)
    }
    const again = await twoPlatformIndex(registry.host, { path: 'multi/again:1' })
    expect(again.digest).toBe(index.digest)
    const other = await twoPlatformIndex(registry.host, { path: 'multi/other:1', content: 'other' })
    expect(other.digest).not.toBe(index.digest)
  })
})
