/**
 * Input parsers the actions share that need more than src/action's ground floor knows: an image
 * reference is the registry's grammar, so its parser lives above src/registry.
 */
import { InputError } from '../../action/errors.js'
import { InvalidReferenceError, parseReference, type ImageRef } from '../../registry/index.js'

/**
 * `value` of input `name` as an image reference; one that does not follow the grammar is an
 * InputError saying `<accepted>: <what is wrong>`.
 */
export function referenceInput(name: string, value: string, accepted: string): ImageRef {
  try {
    return parseReference(value)
  } catch (error) {
    if (error instanceof InvalidReferenceError) {
      throw new InputError(name, value, `${accepted}: ${error.message}`)
    }
    throw error
  }
}

/** Registry credentials read from a pair of inputs (already masked). */
export interface Credentials {
  readonly username: string
  readonly password: string
}

/** `value` of input `name` as an image to act on: a digest, or a tag to resolve once. */
export function imageInput(name: string, value: string): ImageRef {
  const ref = referenceInput(name, value, 'an image reference')
  if (ref.tag === undefined && ref.digest === undefined) {
    throw new InputError(name, value, 'an image with a digest (repo@sha256:…) or a tag')
  }
  return ref
}

/** A Kubernetes object name that is a DNS subdomain (RFC 1123), as Secret names are. */
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/
const DNS_SUBDOMAIN_MAX = 253

/**
 * The names of input `name` (one per line or comma-separated) as names of Secrets: each a DNS
 * subdomain of at most 253 characters, duplicates dropped, in the order given. The first bad one is
 * an InputError naming it.
 */
export function secretNamesInput(name: string, values: readonly string[]): string[] {
  for (const value of values) {
    if (value.length > DNS_SUBDOMAIN_MAX || !DNS_SUBDOMAIN.test(value)) {
      throw new InputError(
        name,
        value,
        'names of Secrets, one per line or comma-separated, each a DNS subdomain of at most 253 ' +
          'characters (lower case letters, digits, - and ., starting and ending alphanumeric)'
      )
    }
  }
  return [...new Set(values)]
}
