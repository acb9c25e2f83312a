import { spawn, type ChildProcess } from 'node:child_process'
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { stringify } from 'yaml'
import { stopChild, trackChild } from './children.js'
import { freePort } from './ports.js'

/** One scrape target: a job name, `host:port` and labels added to every series it exposes. */
export interface PrometheusTarget {
  readonly job: string
  readonly target: string
  readonly labels?: Readonly<Record<string, string>>
}

/** Options for {@link startPrometheus}. */
export interface PrometheusOptions {
  readonly targets: readonly PrometheusTarget[]
  /** Scrape and rule evaluation interval (default 1000 ms; Prometheus takes whole milliseconds). */
  readonly scrapeIntervalMs?: number
}

/** A running Prometheus server on loopback. */
export interface Prometheus {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string
  /** Its log (warn level); kept after stop() for debugging. */
  readonly logFile: string
  stop(): Promise<void>
}

/**
 * Starts `prometheus` scraping the targets, with its TSDB in a temp dir that stop() removes.
 * Resolves once every target has been scraped once (up or down): Prometheus applies discovered
 * targets on a 5 s tick, so the first scrape comes about 5 s after it is ready.
 */
export async function startPrometheus(options: PrometheusOptions): Promise<Prometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'rollout-kit-prometheus-'))
  try {
    const configFile = join(dir, 'prometheus.yml')
    writeFileSync(configFile, stringify(prometheusConfig(options)))
    const { child, port, logFile } = await spawnOnFreePort(dir, configFile)
    const url = `http://127.0.0.1:${port}`
    try {
      await waitForFirstScrapes(url, options.targets.length, logFile)
    } catch (error) {
      await stopChild(child)
      throw error
    }
    const killOnExit = (): void => {
      child.kill('SIGKILL')
    }
    // a suite that forgets stop() must not leave a server behind
    process.once('exit', killOnExit)
    return {
      url,
      logFile,
      async stop(): Promise<void> {
        process.removeListener('exit', killOnExit)
        await stopChild(child)
        rmSync(dir, { recursive: true, force: true })
      }
    }
  } catch (error) {
    rmSync(dir, { recursive: true, force: true })
    throw error
  }
}

/** The prometheus.yml for the options: one scrape config per job. */
function prometheusConfig(options: PrometheusOptions): unknown {
  const interval = `${Math.max(1, Math.round(options.scrapeIntervalMs ?? 1000))}ms`
  const jobs = new Map<string, { targets: string[]; labels: Record<string, string> }[]>()
  for (const { job, target, labels } of options.targets) {
    const configs = jobs.get(job) ?? []
    configs.push({ targets: [target], labels: { ...labels } })
    jobs.set(job, configs)
  }
  return {
    global: { scrape_interval: interval, evaluation_interval: interval, scrape_timeout: interval },
    scrape_configs: [...jobs].map(([job, staticConfigs]) => ({
      job_name: job,
      static_configs: staticConfigs
    }))
  }
}

interface Started {
  readonly port: number
  readonly child: ChildProcess
  readonly logFile: string
}

/** Binds a free port; retries when another process took the port between probe and bind. */
async function spawnOnFreePort(dir: string, configFile: string): Promise<Started> {
  const logDir = join(tmpdir(), 'rollout-kit-logs')
  mkdirSync(logDir, { recursive: true })
  let lastError: unknown
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort()
    const logFile = join(logDir, `prometheus-${port}-${Date.now()}.log`)
    const log = openSync(logFile, 'a')
    const child = spawn(
      'prometheus',
      [
        `--config.file=${configFile}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--log.level=warn'
      ],
      { stdio: ['ignore', log, log] }
    )
    closeSync(log)
    const untrack = trackChild(child.pid, 'prometheus', dir)
    child.once('exit', untrack)
    try {
      await waitUntilReady(child, port, logFile)
      return { port, child, logFile }
    } catch (error) {
      child.kill('SIGKILL')
      lastError = error
      if (!readFileSync(logFile, 'utf8').includes('address already in use')) break
    }
  }
  throw lastError
}

async function waitUntilReady(child: ChildProcess, port: number, logFile: string): Promise<void> {
  const deadline = Date.now() + 20_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `prometheus exited (${child.exitCode ?? child.signalCode}):\n${tail(logFile)}`
      )
    }
    try {
      const response = await fetch(`http://127.0.0.1:${port}/-/ready`, {
        signal: AbortSignal.timeout(1000)
      })
      await response.body?.cancel()
      if (response.ok) return
    } catch {
      // not listening yet: try again until the deadline
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`prometheus was not ready on port ${port} in 20 s:\n${tail(logFile)}`)
}

/** Waits until /api/v1/targets lists `count` targets, each scraped at least once. */
async function waitForFirstScrapes(url: string, count: number, logFile: string): Promise<void> {
  const deadline = Date.now() + 20_000
  while (Date.now() < deadline) {
    const response = await fetch(`${url}/api/v1/targets?state=active`)
    const body = (await response.json()) as { data?: { activeTargets?: { health: string }[] } }
    const targets = body.data?.activeTargets ?? []
    if (targets.length >= count && targets.every((t) => t.health !== 'unknown')) return
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`prometheus did not scrape its ${count} targets in 20 s:\n${tail(logFile)}`)
}

function tail(file: string): string {
  return readFileSync(file, 'utf8').split('\n').slice(-20).join('\n')
}
