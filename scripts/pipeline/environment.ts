/**
 * The dev environment's stand-in. The fake node runs no containers, so the integration test needs
 * something to reach: a busybox httpd on loopback serving the `/www` files of the image the dev
 * Deployment runs, read back from the cluster and unpacked from the registry (skopeo copy to a
 * `dir:`, then each layer's tar in order), so the environment serves what deploy-dev rolled out,
 * bug and all. Hand-written because it only needs three commands; whiteouts are not applied, as
 * the sample app's layers only add files.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { stopChild, trackChild } from '../../harness/children.js'
import type { KubeTarget } from '../../harness/kube-request.js'
import { freePort } from '../../harness/ports.js'
import { run } from '../../harness/run.js'
import { skopeoCopy } from '../../harness/skopeo.js'
import { deploymentImage } from './cluster.js'

/** The running stand-in. */
export interface DevEnvironment {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string
  /** The image whose files it serves now. */
  readonly serving: () => string | undefined
  /** Serves the files of the image `deployment/<name>` runs in `namespace`; returns that image. */
  follow(cluster: KubeTarget, namespace: string, name: string): Promise<string>
  stop(): Promise<void>
}

/** Starts busybox httpd on a free loopback port, serving an empty directory until follow(). */
export async function startDevEnvironment(): Promise<DevEnvironment> {
  const root = mkdtempSync(join(tmpdir(), 'rollout-kit-dev-www-'))
  const port = await freePort()
  const child = spawn('/bin/busybox', ['httpd', '-f', '-p', `127.0.0.1:${port}`, '-h', root], {
    stdio: 'ignore'
  })
  trackChild(child.pid, 'busybox httpd', root)
  const url = `http://127.0.0.1:${port}`
  await waitForHttpd(url, child)
  let serving: string | undefined
  return {
    url,
    serving: () => serving,
    async follow(cluster, namespace, name) {
      const image = await deploymentImage(cluster, namespace, name)
      await unpackWww(image, root)
      serving = image
      return image
    },
    async stop() {
      await stopChild(child)
      rmSync(root, { recursive: true, force: true })
    }
  }
}

async function waitForHttpd(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 50; i++) {
    if (child.exitCode !== null) throw new Error(`busybox httpd exited ${child.exitCode}`)
    const up = await fetch(url).then(
      (r) => r.status > 0,
      () => false
    )
    if (up) return
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`busybox httpd did not answer on ${url}`)
}

/** Replaces `root`'s content with the image's `/www`. */
async function unpackWww(image: string, root: string): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'rollout-kit-image-'))
  try {
    const layout = join(work, 'image')
    await skopeoCopy(image, `dir:${layout}`, { src: { tlsVerify: false } })
    const manifest = JSON.parse(readFileSync(join(layout, 'manifest.json'), 'utf8')) as {
      layers?: { digest: string }[]
    }
    const fs = join(work, 'rootfs')
    mkdirSync(fs)
    for (const layer of manifest.layers ?? []) {
      const blob = join(layout, layer.digest.replace(/^sha256:/, ''))
      await run('tar', ['-xf', blob, '-C', fs, '--no-same-owner', '--exclude=dev/*'])
    }
    const www = join(fs, 'www')
    const files = readdirSync(www)
    if (files.length === 0) throw new Error(`${image} has no files in /www`)
    for (const entry of readdirSync(root)) rmSync(join(root, entry), { recursive: true })
    cpSync(www, root, { recursive: true })
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}
