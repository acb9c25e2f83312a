import * as core from '@actions/core'
import { X509Certificate } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { InputError, messageOf } from './errors.js'

/** An input's raw text, trimmed; empty when unset. */
export function text(name: string): string {
  return core.getInput(name).trim()
}

/** A required input: an InputError when empty. */
export function required(name: string): string {
  const value = text(name)
  if (!value) throw new InputError(name, '', 'a value (this input is required)')
  return value
}

/** A credential: read, then masked before anything can log it. Empty stays empty. */
export function secret(name: string): string {
  const value = core.getInput(name)
  if (value) core.setSecret(value)
  return value.trim()
}

/** One of a fixed set of words, as the YAML reads. */
export function oneOf<T extends string>(name: string, allowed: readonly T[], fallback?: T): T {
  const value = text(name)
  if (!value && fallback !== undefined) return fallback
  if ((allowed as readonly string[]).includes(value)) return value as T
  throw new InputError(name, value, `one of: ${allowed.join(', ')}`)
}

/** A boolean in YAML 1.2 core schema words (true/True/TRUE, false/False/FALSE). */
export function boolean(name: string, fallback: boolean): boolean {
  const value = text(name)
  if (!value) return fallback
  if (['true', 'True', 'TRUE'].includes(value)) return true
  if (['false', 'False', 'FALSE'].includes(value)) return false
  throw new InputError(name, value, 'true or false')
}

/** Newline-separated values (commas too when `commas`), trimmed, blanks and `#` comments dropped. */
export function list(name: string, options: { commas?: boolean } = {}): string[] {
  return splitList(core.getInput(name), options.commas ?? false)
}

/** Splits a multi-value input's text; see `list`. */
export function splitList(raw: string, commas: boolean): string[] {
  return raw
    .split(commas ? /[\n,]/ : /\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
}

/** `KEY=value` lines into ordered pairs; the value may hold `=`. */
export function keyValues(name: string): [string, string][] {
  return list(name).map((line) => {
    const at = line.indexOf('=')
    if (at <= 0) throw new InputError(name, line, 'lines of the form KEY=value')
    return [line.slice(0, at).trim(), line.slice(at + 1)]
  })
}

/** An http:// or https:// URL; undefined when empty (required: an InputError instead). */
export function httpUrl(name: string, options: { required?: boolean } = {}): string | undefined {
  const value = options.required ? required(name) : text(name)
  if (!value) return undefined
  let url: URL | undefined
  try {
    url = new URL(value)
  } catch {
    url = undefined
  }
  if (url?.protocol !== 'http:' && url?.protocol !== 'https:') {
    throw new InputError(name, value, 'an http:// or https:// URL')
  }
  return value
}

/** `<prefix>-username` and `<prefix>-password` (masked), both or neither. */
export function credentialPair(
  prefix: string
): { readonly username: string; readonly password: string } | undefined {
  const password = secret(`${prefix}-password`)
  const username = text(`${prefix}-username`)
  if (Boolean(username) !== Boolean(password)) {
    const missing = username ? `${prefix}-password` : `${prefix}-username`
    const other = username ? `${prefix}-username` : `${prefix}-password`
    throw new InputError(missing, '', `a value when ${other} is set`)
  }
  return username ? { username, password } : undefined
}

const CA_ACCEPTED =
  'PEM CA certificates: the text (-----BEGIN CERTIFICATE-----…), or the path of a file holding it'

/**
 * CA certificates in PEM to trust besides the system roots, given as the text (when it starts with
 * `-----BEGIN`) or as the path of a file holding it; undefined when empty. Every certificate in it
 * must parse, so that a bad bundle fails here, before any request. A CA is not secret, but a value
 * that is not one could be anything, so only its first line or the path is ever shown.
 */
export function caCertificates(name: string): string | undefined {
  const value = text(name)
  if (!value) return undefined
  const inline = value.startsWith('-----BEGIN')
  const shown = inline ? `${value.split('\n')[0].trim()}…` : value
  let pem = value
  if (!inline) {
    try {
      pem = readFileSync(value, 'utf8')
    } catch (error) {
      throw new InputError(
        name,
        shown,
        `${CA_ACCEPTED}; the file cannot be read: ${messageOf(error)}`
      )
    }
  }
  const problem = pemProblem(pem)
  if (problem) throw new InputError(name, shown, `${CA_ACCEPTED}; ${problem}`)
  return pem.trim()
}

/** What is wrong with a PEM CA bundle, or undefined when every certificate in it parses. */
function pemProblem(pem: string): string | undefined {
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem)) {
    return 'it holds a private key; give only the certificates of the CA'
  }
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? []
  if (blocks.length === 0)
    return 'it holds no -----BEGIN CERTIFICATE----- … -----END CERTIFICATE----- block'
  for (const [i, block] of blocks.entries()) {
    try {
      new X509Certificate(block)
    } catch (error) {
      return `certificate ${i + 1} of ${blocks.length} does not parse (${messageOf(error)})`
    }
  }
  return undefined
}

/** An integer within bounds. */
export function integer(
  name: string,
  bounds: { min?: number; max?: number },
  fallback?: number
): number {
  const value = text(name)
  if (!value && fallback !== undefined) return fallback
  const n = Number(value)
  const { min = -Infinity, max = Infinity } = bounds
  if (!/^-?\d+$/.test(value) || n < min || n > max) {
    const range = [Number.isFinite(min) ? `≥ ${min}` : '', Number.isFinite(max) ? `≤ ${max}` : '']
    throw new InputError(name, value, `an integer ${range.filter(Boolean).join(' and ')}`.trim())
  }
  return n
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }

/**
 * The longest duration any input takes: 5 days, the longest a self-hosted runner's job runs
 * (GitHub-hosted jobs end at 6 h). Beyond it nothing could wait that long anyway, and Node's timers
 * fire at once past 2^31-1 ms (24.8 days: `timeout: 600h` used to roll back a healthy rollout).
 */
export const MAX_DURATION_MS = 5 * 24 * 3_600_000

/** What an input that is too long a duration is told. */
export const MAX_DURATION_TEXT =
  'at most 120h (5 days, the longest a self-hosted job runs; GitHub-hosted jobs end at 6h)'

/** A duration above zero (a timeout, say), in milliseconds; see {@link duration}. */
export function positiveDuration(name: string, fallback: string): number {
  const ms = duration(name, fallback)
  if (ms <= 0) throw new InputError(name, text(name), 'a duration above zero, such as 90s or 10m')
  return ms
}

/** A duration such as `90s`, `10m`, `1h30m` or `500ms`, in milliseconds, at most MAX_DURATION_MS. */
export function duration(name: string, fallback: string): number {
  const value = text(name) || fallback
  const ms = parseDuration(value)
  if (ms === undefined) throw new InputError(name, value, 'a duration such as 90s, 10m or 1h30m')
  if (ms > MAX_DURATION_MS) throw new InputError(name, value, `a duration ${MAX_DURATION_TEXT}`)
  return ms
}

/** Parses `1h30m`, `90s`, `250ms`; undefined when malformed. A bare number is seconds. */
export function parseDuration(value: string): number | undefined {
  if (/^\d+$/.test(value)) return Number(value) * 1000
  const parts = [...value.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)]
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== value) return undefined
  return Math.round(parts.reduce((sum, [, n, unit]) => sum + Number(n) * UNIT_MS[unit], 0))
}
