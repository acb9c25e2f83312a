import { afterEach, describe, expect, it } from '@jest/globals'
import { rmSync } from 'node:fs'
import globalSetup from './global-setup.js'

describe('globalSetup', () => {
  const saved = { PATH: process.env.PATH, RUN_DIR: process.env.ROLLOUT_KIT_TEST_RUN_DIR }
  afterEach(() => {
    process.env.PATH = saved.PATH
    process.env.ROLLOUT_KIT_TEST_RUN_DIR = saved.RUN_DIR
  })

  it('fails naming every missing binary and the packages to install', () => {
    process.env.PATH = '/nonexistent'
    expect(() => globalSetup()).toThrow(
      'Integration tests need real servers; missing: docker-registry, buildah, skopeo, htpasswd, openssl, prometheus. ' +
        'Run .ci/run, or: apt-get install -y docker-registry buildah skopeo apache2-utils openssl prometheus'
    )
  })

  it('passes on this machine and makes a run directory', () => {
    expect(() => globalSetup()).not.toThrow()
    const runDir = process.env.ROLLOUT_KIT_TEST_RUN_DIR
    expect(runDir).not.toBe(saved.RUN_DIR)
    rmSync(runDir ?? '', { recursive: true, force: true })
  })
})
