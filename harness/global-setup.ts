import { accessSync, constants, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'

// jest loads this file without its module mapper, so it cannot import ./children.js
const RUN_DIR_VARIABLE = 'ROLLOUT_KIT_TEST_RUN_DIR'

/** Binaries the test servers need, with the Debian package that provides each. */
const REQUIRED: readonly { binary: string; path?: string; pkg: string }[] = [
  { binary: 'docker-registry', pkg: 'docker-registry' },
  { binary: 'buildah', pkg: 'buildah' },
  { binary: 'skopeo', pkg: 'skopeo' },
  // the base image is FROM scratch: it needs the static build at this path
  { binary: 'busybox', path: '/bin/busybox', pkg: 'busybox-static' },
  { binary: 'htpasswd', pkg: 'apache2-utils' },
  { binary: 'openssl', pkg: 'openssl' },
  { binary: 'prometheus', pkg: 'prometheus' }
]

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    // not there or not executable: reported as missing
    return false
  }
}

function onPath(binary: string): boolean {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean)
  return dirs.some((dir) => executable(join(dir, binary)))
}

/** Fails the whole run, naming what is missing, when a real server is not installed. */
export default function globalSetup(): void {
  const missing = REQUIRED.filter(({ binary, path }) => !(path ? executable(path) : onPath(binary)))
  if (missing.length > 0) {
    const names = missing.map(({ binary, path }) => path ?? binary).join(', ')
    const packages = [...new Set(missing.map(({ pkg }) => pkg))].join(' ')
    throw new Error(
      `Integration tests need real servers; missing: ${names}. ` +
        `Run .ci/run, or: apt-get install -y ${packages}`
    )
  }
  process.env[RUN_DIR_VARIABLE] = mkdtempSync(join(tmpdir(), 'rollout-kit-run-'))
}
