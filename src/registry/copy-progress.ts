/**
 * Progress of a copy's blob phase for people watching a long copy: bytes copied of the total,
 * blobs done of the total and the rate, e.g. `copied 412 MB of 1.2 GB (7 of 12 blobs), 38 MB/s`.
 * The counts only grow: a blob restarted from the source counts the bytes it had reached once.
 */
import { Transform, type Readable } from 'node:stream'
import { bytes } from '../action/summary.js'

/** How often a long copy says how far it is, unless told otherwise. */
export const DEFAULT_PROGRESS_INTERVAL_MS = 10_000

/** Counts blobs and bytes as they move. */
export class CopyProgress {
  private readonly started = performance.now()
  private blobsDone = 0
  private bytesDone = 0
  /** Per blob in flight, the most bytes any attempt reached. */
  private readonly reached = new Map<string, number>()
  /** Every byte streamed, restarts included: what the rate is made of. */
  private streamed = 0

  constructor(
    private readonly totalBytes: number,
    private readonly totalBlobs: number
  ) {}

  /** `stream` with its bytes counted towards `digest`; errors and destruction pass both ways. */
  counted(digest: string, stream: Readable): Readable {
    let attempt = 0
    const counter = new Transform({
      transform: (chunk: Buffer, _encoding, done) => {
        attempt += chunk.length
        this.streamed += chunk.length
        this.reached.set(digest, Math.max(this.reached.get(digest) ?? 0, attempt))
        done(null, chunk)
      }
    })
    stream.on('error', (error) => counter.destroy(error))
    counter.on('close', () => stream.destroy())
    return stream.pipe(counter)
  }

  /** A blob is done (copied, mounted or found present): it counts with its whole size. */
  finished(digest: string, size: number): void {
    this.reached.delete(digest)
    this.blobsDone++
    this.bytesDone += size
  }

  /** The progress line now. */
  line(): string {
    let copied = this.bytesDone
    for (const n of this.reached.values()) copied += n
    const seconds = (performance.now() - this.started) / 1000
    const rate = seconds > 0 ? this.streamed / seconds : 0
    return `copied ${bytes(copied)} of ${bytes(this.totalBytes)} (${this.blobsDone} of ${this.totalBlobs} blobs), ${bytes(Math.round(rate))}/s`
  }

  /** Calls `log` with a line every `intervalMs` until the returned function is called. */
  every(intervalMs: number, log: (line: string) => void): () => void {
    const timer = setInterval(() => log(this.line()), intervalMs)
    timer.unref()
    return () => clearInterval(timer)
  }
}
