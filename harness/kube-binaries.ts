/**
 * The cached Kubernetes 1.20 control plane binaries (kube-apiserver, kube-controller-manager, etcd)
 * that scripts/kube/build-control-plane.sh builds, and where they are looked up.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'

/** The cached binaries that scripts/kube/build-control-plane.sh builds. */
export interface ControlPlaneBinaries {
  /** `<cache>/kubernetes-<version>`. */
  readonly dir: string
  readonly kubeApiserver: string
  readonly kubeControllerManager: string
  readonly etcd: string
  /** First line of the VERSION stamp, e.g. `kubernetes 1.20.2 (Debian source …)`. */
  readonly version: string
}

/** `${ROLLOUT_KIT_CACHE:-/var/cache/rollout-kit}`, where the build script caches the binaries. */
export function controlPlaneCacheDir(): string {
  return process.env.ROLLOUT_KIT_CACHE || '/var/cache/rollout-kit'
}

/**
 * Finds the cached control plane (kubernetes 1.20.x) or throws, telling how to build it: tests that
 * need a cluster fail when it is missing, they never skip.
 */
export function ensureControlPlaneBinaries(): ControlPlaneBinaries {
  const cache = controlPlaneCacheDir()
  const candidates = existsSync(cache)
    ? readdirSync(cache)
        .filter((entry) => /^kubernetes-1\.20\.\d+$/.test(entry))
        .sort((a, b) => b.localeCompare(a, undefined, { numeric: true }))
    : []
  for (const entry of candidates) {
    const dir = join(cache, entry)
    const bin = (name: string): string => join(dir, 'bin', name)
    const files = [bin('kube-apiserver'), bin('kube-controller-manager'), bin('etcd')]
    if (existsSync(join(dir, 'VERSION')) && files.every(isExecutable)) {
      return {
        dir,
        kubeApiserver: bin('kube-apiserver'),
        kubeControllerManager: bin('kube-controller-manager'),
        etcd: bin('etcd'),
        version: readFileSync(join(dir, 'VERSION'), 'utf8').split('\n')[0] ?? ''
      }
    }
  }
  throw new Error(
    `No Kubernetes control plane in ${cache} (kubernetes-1.20.*/bin with kube-apiserver, ` +
      'kube-controller-manager and etcd). Build it once (about 15 minutes) with ' +
      '`sudo scripts/kube/build-control-plane.sh` (scripts/setup.sh runs it too); ' +
      'ROLLOUT_KIT_CACHE moves the cache.'
  )
}

function isExecutable(file: string): boolean {
  try {
    const stat = statSync(file)
    return stat.isFile() && stat.size > 0 && (stat.mode & 0o111) !== 0
  } catch {
    return false
  }
}
