/**
 * A simulated service's /metrics for Prometheus to scrape: request counters by status and a latency
 * histogram, advanced by a timer from a seeded PRNG so that rate() over a few seconds shows the
 * configured error rate and latency.
 *
 * Hand-written rather than prom-client: that package is not a dependency, and the text exposition
 * format of two counters and one histogram is a few lines
 * (https://prometheus.io/docs/instrumenting/exposition_formats/).
 */
import { createServer, type Server } from 'node:http'

/** How the simulated service behaves. */
export interface ExporterOptions {
  /** Share of requests answered 500, 0–1. */
  readonly errorRate: number
  /** Latency of each request: uniform in mean ± jitter, never below 0. */
  readonly latencyMs: { readonly mean: number; readonly jitter: number }
  /** Simulated requests per second; 0 means no traffic (the series stay flat, or absent). */
  readonly requestsPerSecond: number
  /** PRNG seed (default 1): the same seed gives the same sequence of requests. */
  readonly seed?: number
}

/** A running exporter on loopback. */
export interface Exporter {
  /** `127.0.0.1:PORT`, as a scrape target. */
  readonly host: string
  /** `http://127.0.0.1:PORT/metrics`. */
  readonly url: string
  /** Changes the behaviour from now on; counters keep their values. */
  set(options: Partial<Omit<ExporterOptions, 'seed'>>): void
  stop(): Promise<void>
}

/** Upper bounds in seconds: Prometheus client libraries' default buckets. */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const
const TICK_MS = 100

/** The counters of the simulated service. */
class Simulation {
  private readonly random: () => number
  private carry = 0
  private served = false
  private readonly statuses = { '200': 0, '500': 0 }
  private readonly buckets = BUCKETS.map(() => 0)
  private count = 0
  private sum = 0

  constructor(
    public options: ExporterOptions,
    seed: number
  ) {
    this.random = mulberry32(seed)
  }

  /** Serves the requests due in `elapsedMs` at the current rate. */
  advance(elapsedMs: number): void {
    this.carry += (this.options.requestsPerSecond * elapsedMs) / 1000
    const due = Math.floor(this.carry)
    this.carry -= due
    for (let i = 0; i < due; i++) this.request()
  }

  private request(): void {
    const { errorRate, latencyMs } = this.options
    this.served = true
    this.statuses[this.random() < errorRate ? '500' : '200'] += 1
    const ms = Math.max(0, latencyMs.mean + latencyMs.jitter * (2 * this.random() - 1))
    const seconds = ms / 1000
    BUCKETS.forEach((le, i) => {
      if (seconds <= le) this.buckets[i] = (this.buckets[i] ?? 0) + 1
    })
    this.count += 1
    this.sum += seconds
  }

  /** The text exposition format; empty until the first request. */
  render(): string {
    if (!this.served) return ''
    const lines = [
      '# HELP http_requests_total Requests served, by status.',
      '# TYPE http_requests_total counter',
      ...Object.entries(this.statuses).map(([s, n]) => `http_requests_total{status="${s}"} ${n}`),
      '# HELP http_request_duration_seconds Time to serve a request.',
      '# TYPE http_request_duration_seconds histogram',
      ...BUCKETS.map(
        (le, i) => `http_request_duration_seconds_bucket{le="${le}"} ${this.buckets[i] ?? 0}`
      ),
      `http_request_duration_seconds_bucket{le="+Inf"} ${this.count}`,
      `http_request_duration_seconds_sum ${this.sum}`,
      `http_request_duration_seconds_count ${this.count}`
    ]
    return `${lines.join('\n')}\n`
  }
}

/** Starts the exporter on a free loopback port; its timer runs until stop(). */
export async function startExporter(options: ExporterOptions): Promise<Exporter> {
  validate(options)
  const simulation = new Simulation(options, options.seed ?? 1)
  let last = performance.now()
  const timer = setInterval(() => {
    const now = performance.now()
    simulation.advance(now - last)
    last = now
  }, TICK_MS)
  const server = createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end()
      return
    }
    res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' })
    res.end(simulation.render())
  })
  const port = await listen(server).catch((error: unknown) => {
    clearInterval(timer)
    throw error
  })
  const host = `127.0.0.1:${port}`
  return {
    host,
    url: `http://${host}/metrics`,
    set(changes): void {
      const next = { ...simulation.options, ...changes }
      validate(next)
      simulation.options = next
    },
    async stop(): Promise<void> {
      clearInterval(timer)
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      if (typeof address === 'object' && address !== null) resolve(address.port)
      else reject(new Error('exporter: no port assigned'))
    })
  })
}

function validate({ errorRate, latencyMs, requestsPerSecond }: ExporterOptions): void {
  if (!(errorRate >= 0 && errorRate <= 1)) {
    throw new RangeError(`exporter: errorRate is ${errorRate}; expected 0–1`)
  }
  if (!(latencyMs.mean >= 0 && latencyMs.jitter >= 0)) {
    throw new RangeError(`exporter: latencyMs is ${JSON.stringify(latencyMs)}; expected ≥ 0`)
  }
  if (!(requestsPerSecond >= 0 && Number.isFinite(requestsPerSecond))) {
    throw new RangeError(`exporter: requestsPerSecond is ${requestsPerSecond}; expected ≥ 0`)
  }
}

/** A small seeded PRNG (mulberry32): uniform in [0, 1), the same sequence for the same seed. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
