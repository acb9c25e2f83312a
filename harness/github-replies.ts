/**
 * Answers of the GitHub API stand-in in GitHub's error shapes: `{message, errors?, documentation_url,
 * status}` bodies, and the 422 validation failures (`missing_field`, `invalid`, `custom`) of
 * https://docs.github.com/rest/using-the-rest-api/troubleshooting-the-rest-api.
 */

/** A status, a JSON body and extra headers, to be sent. */
export interface Reply {
  readonly status: number
  readonly body: unknown
  readonly headers?: Record<string, string>
}

const DOCS = 'https://docs.github.com/rest'

/** GitHub's error body. */
export function errorBody(
  status: number,
  message = 'Error',
  errors?: unknown[]
): Record<string, unknown> {
  return { message, ...(errors ? { errors } : {}), documentation_url: DOCS, status: String(status) }
}

/** An error reply. */
export function reply(status: number, message: string, errors?: unknown[]): Reply {
  return { status, body: errorBody(status, message, errors) }
}

type Kind = 'string' | 'string!' | 'string?' | 'boolean' | 'strings' | 'payload'

/** Type checks in GitHub's validation error shape: `missing_field` or `invalid` for the first bad field. */
export function check(
  resource: string,
  body: Record<string, unknown>,
  fields: Record<string, Kind>
): Reply | undefined {
  for (const [field, kind] of Object.entries(fields)) {
    const value = body[field]
    if (value === undefined) {
      if (kind === 'string!')
        return reply(422, 'Validation Failed', [{ resource, field, code: 'missing_field' }])
      continue
    }
    const fits =
      (kind.startsWith('string') && typeof value === 'string') ||
      (kind === 'string?' && value === null) ||
      (kind === 'boolean' && typeof value === 'boolean') ||
      (kind === 'strings' && Array.isArray(value) && value.every((v) => typeof v === 'string')) ||
      (kind === 'payload' &&
        (typeof value === 'string' ||
          (typeof value === 'object' && value !== null && !Array.isArray(value))))
    if (!fits) return reply(422, 'Validation Failed', [{ resource, field, code: 'invalid' }])
  }
  return undefined
}

/** `invalid` unless the value is one of `accepted`. */
export function oneOf(
  resource: string,
  field: string,
  value: unknown,
  accepted: string[]
): Reply | undefined {
  if (accepted.includes(value as string)) return undefined
  return reply(422, 'Validation Failed', [{ resource, field, code: 'invalid', value }])
}

/** `custom` "too long" when a string has more than `max` characters (code points). */
export function maxLength(
  resource: string,
  field: string,
  value: unknown,
  max: number
): Reply | undefined {
  if (typeof value !== 'string' || [...value].length <= max) return undefined
  const message = `${field} is too long (maximum is ${max} characters)`
  return reply(422, 'Validation Failed', [{ resource, field, code: 'custom', message }])
}
