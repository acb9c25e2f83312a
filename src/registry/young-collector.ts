/**
 * Frees the Buffers of bytes already streamed, early. Every socket read allocates a new 64 KiB
 * Buffer outside V8's heap, and V8 frees it only when a collection finds it dead; but streaming
 * allocates so little on the heap that collections are rare, so dead Buffers pile up to V8's
 * external-memory limit (about 64 MiB, then twice as much in RSS with the allocator's slack):
 * copying 1 GiB peaked at 176 MB RSS. A young-generation collection after every few MiB streamed
 * (about 1.5 ms each, while they are still young) keeps the pile small, and reusing freed memory
 * costs fewer page faults than fresh memory, which pays for the collections.
 *
 * Node gives an action no heap flags (the runner starts `node dist/index.js`), and no API to ask
 * for a collection; `--expose-gc` set at run time puts `gc` into new contexts (node's own tests do
 * this), and a node started with `--expose-gc` has it globally. Without either nothing is done.
 * node:v8 and node:vm are loaded at the first collection, not at start-up (5 ms).
 */
/** Bytes streamed between two collections. */
export const COLLECT_EVERY_BYTES = 8 * 1024 * 1024

/** What V8's `gc` extension is called with. */
type Collect = (options: { type: 'minor' }) => void

/** Counts bytes streamed (by any stream) and collects the young generation every `every` bytes. */
export class YoungCollector {
  private since = 0
  private collect: Collect | undefined | null

  /** `find` returns V8's gc (undefined when there is none); it is called at the first collection. */
  constructor(
    private readonly find: () => Collect | undefined,
    private readonly every = COLLECT_EVERY_BYTES
  ) {}

  /** `bytes` more were streamed. */
  streamed(bytes: number): void {
    this.since += bytes
    if (this.since < this.every) return
    this.since = 0
    if (this.collect === undefined) this.collect = this.find() ?? null
    this.collect?.({ type: 'minor' })
  }
}

/** V8's `gc`, exposed at run time when the process was not started with it. */
function exposedGc(): Collect | undefined {
  const global = (globalThis as { gc?: Collect }).gc
  if (typeof global === 'function') return global
  try {
    process.getBuiltinModule('node:v8').setFlagsFromString('--expose-gc')
    const gc: unknown = process.getBuiltinModule('node:vm').runInNewContext('gc')
    return typeof gc === 'function' ? (gc as Collect) : undefined
  } catch {
    // A runtime without V8's gc extension: the Buffers are freed as V8 sees fit.
    return undefined
  }
}

let shared: YoungCollector | undefined

/** The process's collector, shared by all streams so that their bytes count together. */
export function youngCollector(): YoungCollector {
  shared ??= new YoungCollector(exposedGc)
  return shared
}
