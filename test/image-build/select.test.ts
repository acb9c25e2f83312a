import { describe, expect, it } from '@jest/globals'
import { selectBuilder, type BuilderProbe } from '../../src/image-build/index.js'

function machine(has: {
  docker?: boolean
  daemon?: boolean
  buildx?: boolean
  buildah?: boolean
}): BuilderProbe {
  return {
    onPath: async (command) => (command === 'docker' ? has.docker : has.buildah) ?? false,
    dockerDaemon: async () => has.daemon ?? false,
    dockerBuildx: async () => has.buildx ?? false
  }
}

describe('selectBuilder', () => {
  it('picks buildah on this machine, whose docker CLI has no daemon', async () => {
    expect((await selectBuilder('auto')).name).toBe('buildah')
  })

  it.each([
    [
      'docker with daemon and buildx',
      { docker: true, daemon: true, buildx: true, buildah: true },
      'docker'
    ],
    ['no daemon', { docker: true, daemon: false, buildx: true, buildah: true }, 'buildah'],
    ['no buildx', { docker: true, daemon: true, buildx: false, buildah: true }, 'buildah'],
    ['only buildah', { buildah: true }, 'buildah']
  ])('auto with %s → %s', async (_name, has, name) => {
    expect((await selectBuilder('auto', machine(has))).name).toBe(name)
  })

  it.each([
    [{ docker: true, buildah: false }, 'no Docker daemon answers'],
    [{ docker: false, buildah: false }, 'docker is not on PATH'],
    [{ docker: true, daemon: true, buildah: false }, 'docker buildx is not installed']
  ])('names both builders and why when neither can build (%j)', async (has, reason) => {
    await expect(selectBuilder('auto', machine(has))).rejects.toThrow(
      `No builder available: docker cannot build here (${reason}) and buildah is not on PATH; ` +
        'install buildah or use a runner with a Docker daemon and buildx'
    )
  })

  it.each(['buildah', 'docker'] as const)(
    'gives %s when asked and on PATH, without probing the daemon',
    async (choice) => {
      expect((await selectBuilder(choice, machine({ docker: true, buildah: true }))).name).toBe(
        choice
      )
    }
  )

  it.each(['buildah', 'docker'] as const)('refuses %s when it is not on PATH', async (choice) => {
    await expect(selectBuilder(choice, machine({}))).rejects.toThrow(
      `The builder '${choice}' was asked for, but ${choice} is not on PATH`
    )
  })
})
