/**
 * Choosing the builder: docker buildx where a Docker daemon answers, buildah otherwise.
 */
import { execFile } from 'node:child_process'
import * as io from '@actions/io'
import type { Builder } from './builder.js'
import { BuildahBuilder } from './buildah.js'
import { DockerBuilder } from './docker.js'
import { BuilderUnavailableError } from './errors.js'

/** The `builder` input's words. */
export type BuilderChoice = 'auto' | 'buildah' | 'docker'

/** What the machine offers; replaceable to test the choice without the tools. */
export interface BuilderProbe {
  /** True when `command` is an executable on PATH. */
  onPath(command: string): Promise<boolean>
  /** True when a Docker daemon answers `docker version` within a few seconds. */
  dockerDaemon(): Promise<boolean>
  /** True when `docker buildx version` works. */
  dockerBuildx(): Promise<boolean>
}

const PROBE_TIMEOUT_MS = 5000

/** Probes the real machine. */
export const systemProbe: BuilderProbe = {
  onPath: async (command) => (await io.which(command, false)) !== '',
  dockerDaemon: () => succeeds('docker', ['version', '--format', '{{.Server.Version}}']),
  dockerBuildx: () => succeeds('docker', ['buildx', 'version'])
}

/**
 * The builder for `choice`. `auto`: docker when its daemon answers and buildx works, else buildah
 * when it is on PATH, else a BuilderUnavailableError naming both.
 */
export async function selectBuilder(
  choice: BuilderChoice,
  probe: BuilderProbe = systemProbe
): Promise<Builder> {
  if (choice !== 'auto') {
    if (!(await probe.onPath(choice))) {
      throw new BuilderUnavailableError(
        `The builder '${choice}' was asked for, but ${choice} is not on PATH`
      )
    }
    return choice === 'docker' ? new DockerBuilder() : new BuildahBuilder()
  }
  const docker = await dockerReason(probe)
  if (docker === undefined) return new DockerBuilder()
  if (await probe.onPath('buildah')) return new BuildahBuilder()
  throw new BuilderUnavailableError(
    `No builder available: docker cannot build here (${docker}) and buildah is not on PATH; ` +
      'install buildah or use a runner with a Docker daemon and buildx'
  )
}

/** Why docker cannot build here, or undefined when it can. */
async function dockerReason(probe: BuilderProbe): Promise<string | undefined> {
  if (!(await probe.onPath('docker'))) return 'docker is not on PATH'
  if (!(await probe.dockerDaemon())) return 'no Docker daemon answers'
  if (!(await probe.dockerBuildx())) return 'docker buildx is not installed'
  return undefined
}

function succeeds(command: string, args: string[]): Promise<boolean> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: PROBE_TIMEOUT_MS }, (error, stdout) => {
      resolve(error === null && stdout.trim() !== '')
    })
  })
}
