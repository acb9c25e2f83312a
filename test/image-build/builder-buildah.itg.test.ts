import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { BuildahBuilder, ToolError, type BuildSpec } from '../../src/image-build/index.js'
import {
  BASE_IMAGE_LOCAL,
  buildah,
  buildahEnv,
  ensureBaseImage,
  run
} from '../../harness/buildah.js'
import { startRegistry, type Registry } from '../../harness/registry.js'

const TAG = `localhost/rollout-kit-itg/hello:${process.pid}`

const work = mkdtempSync(join(tmpdir(), 'rollout-kit-itg-buildah-'))
const runnerTemp = join(work, 'runner-temp')
let savedRunnerTemp: string | undefined
let registry: Registry
/** The base image, pulled by the builds: `<registry>/base/busybox:1`. */
let base: string
const localImages: string[] = [TAG]

beforeAll(async () => {
  savedRunnerTemp = process.env.RUNNER_TEMP
  mkdirSync(runnerTemp)
  process.env.RUNNER_TEMP = runnerTemp
  registry = await startRegistry({ auth: 'token' })
  base = (await ensureBaseImage(registry.host, { creds: registry.creds('pusher') })).ref
  localImages.push(base)
})

afterAll(async () => {
  process.env.RUNNER_TEMP = savedRunnerTemp
  await run('buildah', ['rmi', ...localImages], { env: buildahEnv(), allowFailure: true })
  await registry?.stop()
  rmSync(work, { recursive: true, force: true })
})

function context(dockerfile: string): string {
  const dir = mkdtempSync(join(work, 'context-'))
  writeFileSync(join(dir, 'Dockerfile'), dockerfile)
  writeFileSync(join(dir, 'hello.txt'), 'hello\n')
  return dir
}

function spec(dir: string, extra: Partial<BuildSpec> = {}): BuildSpec {
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
    env: buildahEnv(),
    ...extra
  }
}

/** The working containers on `image` (a failed build must leave none). */
async function containersOn(image: string): Promise<string[]> {
  const listed = await buildah(['containers', '--json'])
  // buildah prints `null`, not `[]`, when there are no containers
  const containers = (JSON.parse(listed.stdout || 'null') ?? []) as { imagename: string }[]
  return containers.map((c) => c.imagename).filter((name) => name === image)
}

describe('BuildahBuilder with the real buildah', () => {
  it('builds a local image with the labels, annotations and build args given', async () => {
    const dir = context(
      'FROM scratch\nARG GREETING\nCOPY hello.txt /\nLABEL greeting="$GREETING"\n'
    )
    const result = await new BuildahBuilder().build(spec(dir))

    expect(result.digest).toBeUndefined()
    expect(result.imageId).toMatch(/^sha256:[0-9a-f]{64}$/)
    const info = JSON.parse((await buildah(['inspect', '--type', 'image', TAG])).stdout) as {
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
    const dir = context(`FROM ${base}\nCOPY missing.txt /\n`)
    const build = new BuildahBuilder().build(spec(dir, { tags: [`${TAG}-broken`] }))

    await expect(build).rejects.toThrow(ToolError)
    await expect(build).rejects.toThrow(
      /^buildah bud failed \(exit [1-9]\d*\): [\s\S]*missing\.txt/
    )
    expect(readdirSync(runnerTemp)).toEqual([])
  })
})

describe('BuildahBuilder failing against a real registry', () => {
  it('fails naming buildah bud, exit 3 and the failed step when a RUN exits 3, leaving no container', async () => {
    // FROM an image of this test's own, so that the working-container check below cannot see a
    // container of another suite's build in progress (images from one recipe share one ID)
    const own = `localhost/rollout-kit-run-fails:${process.pid}-${Date.now()}`
    const from = (await buildah(['from', BASE_IMAGE_LOCAL])).stdout.trim()
    await buildah(['config', '--label', `owner=${own}`, from])
    await buildah(['commit', '--rm', from, own])
    localImages.push(own)
    const dir = context(`FROM ${own}\nRUN echo "failing on purpose" >&2; exit 3\n`)
    const tag = `${registry.host}/app/run-fails:1`

    const build = new BuildahBuilder().build(
      spec(dir, { tags: [tag], push: true, auth: undefined, layers: true })
    )

    await expect(build).rejects.toThrow(ToolError)
    await expect(build).rejects.toMatchObject({
      command: 'buildah bud',
      exitCode: 3,
      stderrTail: expect.stringMatching(/RUN echo "failing on purpose" >&2; exit 3.*exit status 3/)
    })
    await expect(build).rejects.toThrow(/^buildah bud failed \(exit 3\): /)
    expect(readdirSync(runnerTemp)).toEqual([])
    expect(await containersOn(own)).toEqual([])
  })

  it('fails naming buildah push when the registry refuses the push, and leaves no tag', async () => {
    const dir = context('FROM scratch\nCOPY hello.txt /hello.txt\n')
    const tag = `${registry.host}/app/refused:1`
    localImages.push(tag)
    const password = registry.users.reader?.password ?? ''

    const build = new BuildahBuilder().build(
      spec(dir, {
        tags: [tag],
        push: true,
        auth: { registry: registry.host, username: 'reader', password }
      })
    )

    await expect(build).rejects.toThrow(ToolError)
    await expect(build).rejects.toMatchObject({
      command: 'buildah push',
      exitCode: expect.any(Number),
      message: expect.stringMatching(/^buildah push failed \(exit [1-9]\d*\): /)
    })
    const tags = await run(
      'skopeo',
      ['list-tags', '--tls-verify=false', `docker://${registry.host}/app/refused`],
      { env: buildahEnv(), allowFailure: true }
    )
    expect(tags.exitCode).not.toBe(0)
    expect(tags.stderr).toMatch(/404 \(Not Found\)|name unknown/i)
    expect(readdirSync(runnerTemp)).toEqual([])
  })
})
