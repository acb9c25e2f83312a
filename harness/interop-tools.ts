import { accessSync, constants } from 'node:fs'
import { join } from 'node:path'
import { controlPlaneCacheDir } from './kube-binaries.js'

/**
 * The path of Debian's `cosign` or `oras`, unpacked by scripts/interop-tools.sh into the cache; throws
 * telling how to get it (the interop tests fail without them, they never skip).
 */
export function interopTool(name: 'cosign' | 'oras'): string {
  const path = join(controlPlaneCacheDir(), 'interop-tools', 'bin', name)
  try {
    accessSync(path, constants.X_OK)
  } catch {
    throw new Error(
      `No ${name} at ${path}: run scripts/setup.sh (or sudo scripts/interop-tools.sh) once; ROLLOUT_KIT_CACHE moves the cache.`
    )
  }
  return path
}
