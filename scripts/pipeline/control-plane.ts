/**
 * The control plane's first build, for a pipeline run without scripts/setup.sh before it: when the
 * cache lacks a complete build, the pipeline says so and runs scripts/kube/build-control-plane.sh
 * (about 16 minutes once). The script reports the elapsed time every 30 s while it compiles, but
 * not while it downloads and unpacks, or waits on another build's lock: the pipeline prints the
 * elapsed time whenever the script has been quiet for 30 s.
 */
import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { REPO_ROOT } from '../../harness/action-runner.js'
import {
  controlPlaneCacheDir,
  ensureControlPlaneBinaries
} from '../../harness/kube-control-plane.js'

/**
 * Whether the cache holds a build the harness can start: the binaries ensureControlPlaneBinaries
 * finds, built with the fixed reflect2 (the build script's own completeness check; older builds
 * crash kube-apiserver on the first custom-resource request).
 */
export function controlPlaneCached(): boolean {
  try {
    const { dir } = ensureControlPlaneBinaries()
    const version = join(dir, 'VERSION')
    return existsSync(version) && /^reflect2 /m.test(readFileSync(version, 'utf8'))
  } catch {
    // ensureControlPlaneBinaries throws exactly when no complete build is cached
    return false
  }
}

/** Builds the control plane into the cache unless it is there, with a progress line every 30 s. */
export async function ensureControlPlaneBuilt(): Promise<void> {
  if (controlPlaneCached()) return
  console.log(
    `building the control plane once (~16 min) into ${controlPlaneCacheDir()}; later runs reuse it…`
  )
  const script = join(REPO_ROOT, 'scripts/kube/build-control-plane.sh')
  const root = process.getuid?.() === 0
  const [command, args] = root
    ? ['bash', [script]]
    : ['sudo', ['--preserve-env=ROLLOUT_KIT_CACHE', 'bash', script]]
  const started = Date.now()
  let heard = started
  const timer = setInterval(() => {
    if (Date.now() - heard < 30_000) return
    heard = Date.now()
    const s = Math.round((heard - started) / 1000)
    console.log(
      `… building the control plane: ${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s elapsed`
    )
  }, 1000)
  try {
    const code = await new Promise<number>((resolve, reject) => {
      const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] })
      const relay = (to: NodeJS.WriteStream) => (chunk: Buffer) => {
        heard = Date.now()
        to.write(chunk)
      }
      child.stdout.on('data', relay(process.stdout))
      child.stderr.on('data', relay(process.stderr))
      child.on('error', reject)
      child.on('close', (exit) => resolve(exit ?? 1))
    })
    if (code !== 0) throw new Error(`${script} exited ${code}`)
  } finally {
    clearInterval(timer)
  }
  if (!controlPlaneCached())
    throw new Error(`${script} finished, but ${controlPlaneCacheDir()} holds no complete build`)
}
