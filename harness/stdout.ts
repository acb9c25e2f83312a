/**
 * Capturing what code under test writes to process.stdout, where @actions/core writes its workflow
 * commands (`::add-mask::…`, `::debug::…`), so that tests can check them.
 */

/** What {@link captureStdout} gives back: `fn`'s result and everything written meanwhile. */
export interface Captured<T> {
  readonly result: T
  readonly written: string
}

/**
 * Runs `fn` (sync or async) with process.stdout's writes captured instead of printed, until its
 * promise settles; stdout is restored even when `fn` throws, and the error goes on.
 */
export async function captureStdout<T>(fn: () => T | Promise<T>): Promise<Captured<T>> {
  const chunks: string[] = []
  const write = process.stdout.write.bind(process.stdout)
  process.stdout.write = ((chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'))
    return true
  }) as typeof process.stdout.write
  try {
    const result = await fn()
    return { result, written: chunks.join('') }
  } finally {
    process.stdout.write = write
  }
}

/** The non-empty lines `fn` writes to stdout (see captureStdout); its result is dropped. */
export async function stdoutLines(fn: () => unknown): Promise<string[]> {
  const { written } = await captureStdout(fn)
  return written.split('\n').filter(Boolean)
}
