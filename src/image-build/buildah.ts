/**
 * Building and pushing with buildah (daemonless). Credentials go in a temporary auth.json, and
 * plain-HTTP registries in a temporary registries.conf, both removed after the build.
 */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import * as core from '@actions/core'
import { containersAuthFiles, containersAuthJson } from './auth-files.js'
import {
  buildahBudArgs,
  buildahCaches,
  buildahPushArgs,
  buildahSteps,
  buildsInLayers,
  insecureHosts,
  isMultiPlatform,
  missingPlatforms,
  unusableByBuildah
} from './buildah-args.js'
import type { BuildResult, BuildSpec, Builder } from './builder.js'
import { withLabels } from './dockerfile.js'
import { ToolError } from './errors.js'
import { registriesConf, registryHost } from './registries-conf.js'
import {
  lastLines,
  readOptional,
  runTool,
  secretFiles,
  withTempDir,
  type ToolOutput
} from './tool.js'

const SYSTEM_REGISTRIES_CONF = '/etc/containers/registries.conf'

/** Options of the buildah builder. */
export interface BuildahOptions {
  /** The buildah executable; `buildah` on PATH by default. */
  readonly command?: string
}

/** Builds with `buildah bud`, pushes with `buildah push` / `buildah manifest push --all`. */
export class BuildahBuilder implements Builder {
  readonly name = 'buildah'
  private readonly command: string

  constructor(options: BuildahOptions = {}) {
    this.command = options.command ?? 'buildah'
  }

  async build(spec: BuildSpec): Promise<BuildResult> {
    if (spec.tags.length === 0) throw new Error('buildah: a build needs at least one tag')
    return withTempDir(async (dir) => {
      const dockerfile = await readOptional(spec.file)
      const insecure = insecureHosts(spec, dockerfile)
      const env = { ...spec.env, ...(await writeRegistriesConf(dir, spec, insecure)) }
      const authFile = spec.auth ? await writeAuthFile(dir, spec) : undefined
      const multi = isMultiPlatform(spec)
      const list = spec.tags[0]
      if (multi) await this.removeStaleList(list, env)
      const iidFile = join(dir, 'iid')
      const secrets = await secretFiles(dir, spec.secrets)
      const unusable = [...unusableByBuildah(spec.cacheFrom), ...unusableByBuildah(spec.cacheTo)]
      if (unusable.length > 0) {
        core.warning(`buildah has no such layer cache (${unusable.join('; ')}): left out`)
      }
      const built = await labelledDockerfile(dir, spec, dockerfile)
      const bud = (s: BuildSpec) =>
        this.run(
          'bud',
          buildahBudArgs(s, { authFile, outputFile: iidFile, secretFiles: secrets }),
          env
        )
      const cacheWarnings: string[] = []
      let output: ToolOutput
      try {
        output = await bud(built)
      } catch (error) {
        // a cache that cannot be written never fails the build: build again without writing it,
        // from the layers this attempt left in the local storage
        if (!(error instanceof ToolError) || !/failed pushing cache/.test(error.message))
          throw error
        const warning = `The layer cache could not be written to ${buildahCaches(spec.cacheTo).join(', ')} (${lastLines(error.message, 1)}); the image is built without writing it`
        core.warning(warning)
        cacheWarnings.push(warning)
        output = await bud({ ...built, cacheTo: [] })
      }
      // buildah --layers turns each --label into a LABEL step of its own at the end: not the Dockerfile's
      const ours = Object.keys(spec.labels).map((key) => `LABEL "${key}"=`)
      const steps = multi
        ? undefined
        : buildahSteps(`${output.stdout}\n${output.stderr}`).filter(
            (s) => !ours.some((label) => s.instruction.startsWith(label))
          )
      if (multi) await this.checkList(list, spec.platforms, env)
      const imageId = multi ? undefined : await readTrimmed(iidFile)
      const reported = {
        ...(steps && { steps }),
        ...(cacheWarnings.length > 0 && { cacheWarnings })
      }
      if (!spec.push) return { imageId, platforms: spec.platforms, ...reported }

      let digest: string | undefined
      for (const [index, tag] of spec.tags.entries()) {
        const outputFile = join(dir, `digest-${index}`)
        const to = { multiPlatform: multi, insecure: insecure.includes(registryHost(tag) ?? '') }
        const sub = multi ? 'manifest push' : 'push'
        const output = await this.run(
          sub,
          buildahPushArgs(list, tag, { ...to, authFile, outputFile }),
          env
        )
        const pushed = await readTrimmed(outputFile)
        // buildah 1.28's manifest push can fail and still exit 0; no digest means nothing was pushed
        if (!pushed) {
          const tail = lastLines(output.stderr || output.stdout, 4)
          throw new ToolError(
            `buildah ${sub}`,
            0,
            `no digest for ${tag}, so it was not pushed; ${tail}`
          )
        }
        digest ??= pushed
        core.info(`Pushed ${tag} (${pushed})`)
      }
      return { digest, imageId, platforms: spec.platforms, ...reported }
    })
  }

  private async run(sub: string, args: string[], env: Record<string, string>): Promise<ToolOutput> {
    core.debug(`${this.command} ${args.join(' ')}`)
    return runTool(`buildah ${sub}`, this.command, args, { env })
  }

  /** A manifest list left by an earlier build would gain this build's images beside its old ones. */
  private async removeStaleList(list: string, env: Record<string, string>): Promise<void> {
    try {
      await runTool('buildah manifest rm', this.command, ['manifest', 'rm', list], {
        env,
        silent: true
      })
    } catch {
      // Nothing to remove is the usual case; a real problem shows in the build that follows.
    }
  }

  private async checkList(list: string, platforms: readonly string[], env: Record<string, string>) {
    const args = ['manifest', 'inspect', list]
    const { stdout } = await runTool('buildah manifest inspect', this.command, args, {
      env,
      silent: true
    })
    const missing = missingPlatforms(stdout, platforms)
    if (missing.length > 0) {
      throw new Error(`buildah bud built no image for ${missing.join(', ')} into the list ${list}`)
    }
  }
}

/**
 * With layers (or a layer cache), the spec with its labels set by one LABEL instruction appended to
 * a copy of the Dockerfile: buildah commits each `--label` as a step of its own, and on a copying
 * storage driver (vfs) every commit copies the root file system. The spec as it is otherwise.
 */
async function labelledDockerfile(
  dir: string,
  spec: BuildSpec,
  dockerfile: string | undefined
): Promise<BuildSpec> {
  if (!buildsInLayers(spec) || Object.keys(spec.labels).length === 0) return spec
  const labelled =
    dockerfile === undefined ? undefined : withLabels(dockerfile, spec.labels, spec.target)
  if (labelled === undefined) return spec
  const file = join(dir, 'Dockerfile.labelled')
  await writeFile(file, labelled)
  return { ...spec, file, labels: {} }
}

async function writeRegistriesConf(
  dir: string,
  spec: BuildSpec,
  hosts: readonly string[]
): Promise<Record<string, string>> {
  if (hosts.length === 0) return {}
  const systemPath =
    spec.env?.CONTAINERS_REGISTRIES_CONF ??
    process.env.CONTAINERS_REGISTRIES_CONF ??
    SYSTEM_REGISTRIES_CONF
  const path = join(dir, 'registries.conf')
  await writeFile(path, registriesConf(await readOptional(systemPath), hosts), { mode: 0o600 })
  core.debug(`Insecure registries for this build: ${hosts.join(', ')}`)
  return { CONTAINERS_REGISTRIES_CONF: path }
}

async function writeAuthFile(dir: string, spec: BuildSpec): Promise<string | undefined> {
  if (!spec.auth) return undefined
  const env = { ...process.env, ...spec.env }
  const existing = await Promise.all(containersAuthFiles(env).map(readOptional))
  const path = join(dir, 'auth.json')
  // mode applies on creation only; the directory is fresh, so the file is new and 0600
  await writeFile(path, containersAuthJson(existing, spec.auth), { mode: 0o600 })
  return path
}

async function readTrimmed(path: string): Promise<string | undefined> {
  return (await readOptional(path))?.trim() || undefined
}
