/**
 * The canary gate's `checks` input (YAML): a list of HTTP smoke checks, each a URL or a mapping with
 * name, method, accepted statuses, a body pattern, a latency bound, retries and headers. Read by
 * yaml-input.ts, so that every problem names the line it is on; all problems are reported at once,
 * in one InputError, before any request is made.
 */
import { isMap, isScalar, type Node } from 'yaml'
import { MAX_DURATION_MS, parseDuration } from '../../action/inputs.js'
import { parseYamlList, type Add } from '../yaml-input.js'

/** One smoke check, parsed. */
export interface HttpCheck {
  /** Shown in logs and results; the URL unless given. */
  readonly name: string
  /** An http or https URL. */
  readonly url: string
  readonly method: 'GET' | 'HEAD'
  /** Accepted statuses; any 2xx when absent. */
  readonly statuses?: readonly number[]
  /** A pattern the body must match (GET only). */
  readonly body?: RegExp
  /** The longest a complete response may take. */
  readonly maxLatencyMs?: number
  /** Extra attempts after a failed one. */
  readonly retries: number
  readonly headers: Readonly<Record<string, string>>
}

/** Extra attempts when a check does not say. */
export const DEFAULT_RETRIES = 2
/** The most extra attempts a check may ask for. */
const MAX_RETRIES = 10
const KEYS = ['url', 'name', 'method', 'status', 'body', 'max-latency', 'retries', 'headers']

/** A check's fields as they are read, before the defaults. */
type Draft = { -readonly [K in keyof HttpCheck]?: HttpCheck[K] }

/** Parses the `checks` YAML; an InputError naming the input, value and line of every problem. */
export function parseChecks(text: string, input = 'checks'): HttpCheck[] {
  const expected = 'a YAML list of checks, each a URL or a mapping with a url'
  return parseYamlList(text, input, expected, parseCheck) as HttpCheck[]
}

function parseCheck(item: Node, add: Add): Draft {
  const check: Draft = { method: 'GET', retries: DEFAULT_RETRIES, headers: {} }
  if (isScalar(item)) {
    check.url = parseUrl(item, add)
  } else if (isMap(item)) {
    for (const pair of item.items) {
      const key = pair.key as Node
      const value = pair.value as Node | null
      const name = isScalar(key) ? String(key.value) : ''
      if (!KEYS.includes(name)) add(key, name, `one of the keys: ${KEYS.join(', ')}`)
      else readField(check, name, value, add)
    }
    if (
      check.url === undefined &&
      !item.items.some((p) => isScalar(p.key) && p.key.value === 'url')
    )
      add(item, 'a check without url', 'a mapping with a url')
  } else {
    add(item, item?.toJSON(), 'a URL or a mapping with a url')
  }
  if (check.body && check.method === 'HEAD') {
    add(item, 'body with method HEAD', 'a body pattern only with method GET')
  }
  check.name ??= check.url
  return check
}

function readField(check: Draft, key: string, node: Node | null, add: Add): void {
  const value: unknown = isScalar(node) ? node.value : node?.toJSON()
  switch (key) {
    case 'url':
      check.url = parseUrl(node, add)
      return
    case 'name':
      if (typeof value === 'string' && value.trim()) check.name = value.trim()
      else add(node, value, 'a name (text)')
      return
    case 'method':
      if (value === 'GET' || value === 'HEAD') check.method = value
      else add(node, value, 'method GET or HEAD')
      return
    case 'status':
      check.statuses = parseStatuses(node, value, add)
      return
    case 'body':
      check.body = parseRegExp(node, value, add)
      return
    case 'max-latency': {
      const ms = typeof value === 'string' ? parseDuration(value) : undefined
      if (ms !== undefined && ms > 0 && ms <= MAX_DURATION_MS) check.maxLatencyMs = ms
      else add(node, value, 'a max-latency duration such as 500ms or 2s, at most 120h')
      return
    }
    case 'retries':
      if (Number.isInteger(value) && (value as number) >= 0 && (value as number) <= MAX_RETRIES)
        check.retries = value as number
      else add(node, value, `retries: an integer from 0 to ${MAX_RETRIES}`)
      return
    case 'headers':
      check.headers = parseHeaders(node, add)
      return
  }
}

function parseUrl(node: Node | null, add: Add): string | undefined {
  const value: unknown = isScalar(node) ? node.value : node?.toJSON()
  try {
    const url = new URL(String(value))
    if (typeof value === 'string' && (url.protocol === 'http:' || url.protocol === 'https:'))
      return value
  } catch {
    // not a URL at all: reported below like a URL of another scheme
  }
  add(node, value, 'an http:// or https:// URL')
  return undefined
}

function parseStatuses(node: Node | null, value: unknown, add: Add): number[] | undefined {
  const list = Array.isArray(value) ? (value as unknown[]) : [value]
  const valid = (s: unknown) => Number.isInteger(s) && (s as number) >= 100 && (s as number) <= 599
  if (list.length > 0 && list.every(valid)) return list as number[]
  add(node, value, 'status: an HTTP status (100–599) or a list of them')
  return undefined
}

function parseRegExp(node: Node | null, value: unknown, add: Add): RegExp | undefined {
  if (typeof value === 'string' && value !== '') {
    try {
      return new RegExp(value)
    } catch (error) {
      add(node, value, `a JavaScript regular expression (${(error as Error).message})`)
      return undefined
    }
  }
  add(node, value, 'body: a JavaScript regular expression')
  return undefined
}

function parseHeaders(node: Node | null, add: Add): Record<string, string> {
  const headers: Record<string, string> = {}
  if (!isMap(node)) {
    add(node, node?.toJSON(), 'headers: a mapping of header names to values')
    return headers
  }
  for (const pair of node.items) {
    const key = pair.key as Node
    const value = pair.value as Node | null
    const name = isScalar(key) ? String(key.value) : ''
    const text = isScalar(value) ? value.value : undefined
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) add(key, name, 'an HTTP header name')
    else if (['string', 'number', 'boolean'].includes(typeof text)) headers[name] = String(text)
    else add(value ?? key, value?.toJSON(), `a text value for header ${name}`)
  }
  return headers
}
