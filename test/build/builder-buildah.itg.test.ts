import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFile } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { BuildahBuilder, ToolError, type BuildSpec } from '../../src/build/index.js'

/** vfs storage and chroot isolation: buildah without overlay, fuse, runc or namespaces. */
const BUILDAH_ENV = { STORAGE_DRIVER: 'vfs', BUILDAH_ISOLATION: 'chroot' }
const TAG = `localhost/rollout-kit-itg/hello:${process.pid}`

function buildah(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'buildah',
      args,
      { env: { ...process.env, ...BUILDAH_ENV } },
      (error, stdout, stderr) =>
        error ? reject(new Error(`buildah ${args.join(' ')}: ${stderr}`)) : resolve(stdout)
    )
  })
}

function context(dockerfile: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'rollout-kit-itg-context-'))
  writeFileSync(join(dir, 'Dockerfile'), dockerfile)
  writeFileSync(join(dir, 'hello.txt'), 'hello\n')
  return dir
}

function spec(dir: string): BuildSpec {
  return {
    context: dir,
    file: join(dir, 'Dockerfile'),
    buildArgs: [['GREETING', 'hi there']],
    labels: {
      'org.opencontainers.image.title': 'hello',
      'org.opencontainers.image.version': '1.0'
    },
    annotations: { 'org.opencontainers.image.version': '1.0' },
    platforms: [],
    tags: [TAG],
    push: false,
    // exercises the temporary auth.json and registries.conf; nothing is pulled from there
    auth: { registry: '127.0.0.1:5999', username: 'ci', password: 'not-used' },
    insecureRegistries: ['127.0.0.1:5999'],
    env: BUILDAH_ENV
  }
}

describe('BuildahBuilder with the real buildah', () => {
  const runnerTemp = mkdtempSync(join(tmpdir(), 'rollout-kit-itg-runner-temp-'))
  const contexts: string[] = []
  let savedRunnerTemp: string | undefined

  beforeAll(() => {
    savedRunnerTemp = process.env.RUNNER_TEMP
    process.env.RUNNER_TEMP = runnerTemp
  })

  afterAll(async () => {
    process.env.RUNNER_TEMP = savedRunnerTemp
    await buildah(['rmi', '--force', TAG]).catch(() => undefined)
    for (const dir of [runnerTemp, ...contexts]) rmSync(dir, { recursive: true, force: true })
  })

  it('builds a local image with the labels, annotations and build args given', async () => {
    const dir = context(
      'FROM scratch\nARG GREETING\nCOPY hello.txt /\nLABEL greeting="$GREETING"\n'
    )
    contexts.push(dir)
    const result = await new BuildahBuilder().build(spec(dir))

    expect(result.digest).toBeUndefined()
    expect(result.imageId).toMatch(/^sha256:[0-9a-f]{64}$/)
    const info = JSON.parse(await buildah(['inspect', '--type', 'image', TAG])) as {
      FromImageID: string
      OCIv1: { config: { Labels: Record<string, string> } }
      ImageAnnotations?: Record<string, string>
    }
    expect(`sha256:${info.FromImageID}`).toBe(result.imageId)
    expect(info.OCIv1.config.Labels).toMatchObject({
      'org.opencontainers.image.title': 'hello',
      'org.opencontainers.image.version': '1.0',
      greeting: 'hi there'
    })
    expect(info.ImageAnnotations).toMatchObject({ 'org.opencontainers.image.version': '1.0' })
    expect(readdirSync(runnerTemp)).toEqual([])
  })

  it('fails naming buildah bud and its exit code when a COPY source is missing', async () => {
    const dir = context('FROM scratch\nCOPY missing.txt /\n')
    contexts.push(dir)
    const build = new BuildahBuilder().build({ ...spec(dir), tags: [`${TAG}-broken`] })

    await expect(build).rejects.toThrow(ToolError)
    await expect(build).rejects.toThrow(
      /^buildah bud failed \(exit [1-9]\d*\): [\s\S]*missing\.txt/
    )
    expect(readdirSync(runnerTemp)).toEqual([])
  })
})
