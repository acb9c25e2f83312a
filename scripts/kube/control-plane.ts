// Starts a test control plane (etcd, kube-apiserver, kube-controller-manager and the fake node from
// harness/) for manual use, or stops it.
//
//   npx tsx scripts/kube/control-plane.ts start    # prints the kubeconfig paths, returns
//   npx tsx scripts/kube/control-plane.ts status
//   npx tsx scripts/kube/control-plane.ts stop
//
// `start` runs the control plane in a detached `serve` process (the fake node lives in it), in
// ${ROLLOUT_KIT_KUBE_DIR:-$TMPDIR/rollout-kit-kube}; its log is serve.log there.
import { spawn } from 'node:child_process'
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startControlPlane } from '../../harness/kube-control-plane.js'

const DIR = process.env.ROLLOUT_KIT_KUBE_DIR || join(tmpdir(), 'rollout-kit-kube')
const STATE = join(DIR, 'state.json')
const LOG = join(DIR, 'serve.log')

interface State {
  readonly pid: number
  readonly server: string
  readonly kubeconfig: string
  readonly deployerKubeconfig: string
  readonly logDir: string
  readonly version: string
}

function readState(): State | undefined {
  try {
    return JSON.parse(readFileSync(STATE, 'utf8')) as State
  } catch {
    return undefined
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

function describeState(state: State): string {
  return [
    `control plane (${state.version}) at ${state.server}, serve pid ${state.pid}`,
    `  export KUBECONFIG=${state.kubeconfig}`,
    `  deployer (namespace dev): ${state.deployerKubeconfig}`,
    `  logs: ${state.logDir} and ${LOG}`
  ].join('\n')
}

async function start(): Promise<number> {
  const existing = readState()
  if (existing && alive(existing.pid)) {
    console.log(`already running\n${describeState(existing)}`)
    return 0
  }
  rmSync(DIR, { recursive: true, force: true })
  mkdirSync(DIR, { recursive: true })
  const log = openSync(LOG, 'a')
  // the same node and loader (tsx) that run this script
  const child = spawn(
    process.execPath,
    [...process.execArgv, fileURLToPath(import.meta.url), 'serve'],
    { detached: true, stdio: ['ignore', log, log] }
  )
  closeSync(log)
  child.unref()
  const deadline = Date.now() + 120_000
  while (Date.now() < deadline) {
    const state = readState()
    if (state) {
      console.log(describeState(state))
      return 0
    }
    if (child.exitCode !== null || !alive(child.pid ?? 0)) break
    await sleep(250)
  }
  console.error(`the control plane did not start; ${LOG}:\n${readLog()}`)
  if (child.pid && alive(child.pid)) process.kill(child.pid, 'SIGTERM')
  return 1
}

function readLog(): string {
  return existsSync(LOG) ? readFileSync(LOG, 'utf8').split('\n').slice(-40).join('\n') : ''
}

async function serve(): Promise<number> {
  const cluster = await startControlPlane({ dir: join(DIR, 'cluster') })
  const stop = async (): Promise<void> => {
    await cluster.stop()
    rmSync(STATE, { force: true })
    process.exit(0)
  }
  process.once('SIGTERM', () => void stop())
  process.once('SIGINT', () => void stop())
  const state: State = {
    pid: process.pid,
    server: cluster.server,
    kubeconfig: cluster.kubeconfigFile,
    deployerKubeconfig: join(cluster.dir, 'deployer.kubeconfig'),
    logDir: cluster.logDir,
    version: cluster.version
  }
  writeFileSync(`${STATE}.tmp`, JSON.stringify(state, null, 2))
  writeFileSync(STATE, JSON.stringify(state, null, 2))
  rmSync(`${STATE}.tmp`, { force: true })
  console.log(describeState(state))
  // the fake node's watches keep the process alive until a signal comes
  setInterval(() => undefined, 1 << 30)
  return new Promise<number>(() => undefined)
}

async function stop(): Promise<number> {
  const state = readState()
  if (!state || !alive(state.pid)) {
    console.log('no control plane running')
    rmSync(DIR, { recursive: true, force: true })
    return 0
  }
  process.kill(state.pid, 'SIGTERM')
  const deadline = Date.now() + 30_000
  while (alive(state.pid) && Date.now() < deadline) await sleep(200)
  if (alive(state.pid)) process.kill(state.pid, 'SIGKILL')
  rmSync(DIR, { recursive: true, force: true })
  console.log(`stopped the control plane at ${state.server}`)
  return 0
}

function status(): number {
  const state = readState()
  if (state && alive(state.pid)) {
    console.log(describeState(state))
    return 0
  }
  console.log('no control plane running')
  return 1
}

const command = process.argv[2]
const commands: Record<string, () => number | Promise<number>> = { start, serve, stop, status }
const action = command ? commands[command] : undefined
if (!action) {
  console.error('usage: npx tsx scripts/kube/control-plane.ts start|stop|status')
  process.exit(2)
}
Promise.resolve()
  .then(action)
  .then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error)
      process.exit(1)
    }
  )
