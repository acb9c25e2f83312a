/**
 * How much input the actions read, and the check that says so before reading it: without them a
 * 131 MB kubeconfig or a JUnit report with a 200 MB failure message ran Node out of heap with no
 * `::error` and no outputs. The limits are far above what real inputs hold (a kubeconfig with
 * embedded certificates is tens of KB, a Kubernetes object at most ~1.5 MB in etcd).
 */
import { statSync } from 'node:fs'
import { InputError } from './errors.js'

const MiB = 1024 * 1024

export const LIMITS = {
  /** A kubeconfig, as the input's text or as a file. */
  kubeconfig: 4 * MiB,
  /** One manifest file. */
  manifestFile: 16 * MiB,
  /** One JUnit report file. */
  junitFile: 64 * MiB,
  /** A failure message or details kept per test (the rest is cut, and says how much). */
  testText: 64 * 1024
} as const

/** `bytes` as people read it: `512 KiB`, `131.0 MiB`. */
export function size(bytes: number): string {
  if (bytes < MiB) return `${Math.ceil(bytes / 1024)} KiB`
  return `${(bytes / MiB).toFixed(1)} MiB`
}

/**
 * Throws an InputError naming `input`, the file and both sizes when `file` is larger than `limit`;
 * a file that cannot be stat'ed is left to the reader, which reports it its own way.
 */
export function checkFileSize(
  input: string,
  file: string,
  limit: number,
  what: string,
  shown: string = file
): void {
  let bytes: number
  try {
    bytes = statSync(file).size
  } catch {
    return
  }
  if (bytes > limit) {
    throw new InputError(input, shown, `${what} of at most ${size(limit)}; it is ${size(bytes)}`)
  }
}

/** Throws an InputError when the text of `input` is larger than `limit` (its text not repeated). */
export function checkTextSize(input: string, text: string, limit: number, what: string): void {
  const bytes = Buffer.byteLength(text)
  if (bytes > limit) {
    throw new InputError(input, `(${size(bytes)} of text)`, `${what} of at most ${size(limit)}`)
  }
}

/** `text` cut to `limit` characters, saying how many were left out. */
export function truncated(text: string, limit: number = LIMITS.testText): string {
  if (text.length <= limit) return text
  return `${text.slice(0, limit)}… (${text.length - limit} more characters not kept)`
}
