/** Small pieces of registry requests shared by the client's operations. */
import type { HttpResponse } from './http.js'
import type { ImageRef } from './reference.js'

/** The manifest reference in the URL: the digest wins over the tag; `latest` when neither. */
export function reference(ref: ImageRef): string {
  return ref.digest ?? ref.tag ?? 'latest'
}

/** `repo:tag` or `repo@digest`, for messages. */
export function selector(ref: ImageRef): string {
  return ref.digest ? `${ref.repository}@${ref.digest}` : `${ref.repository}:${ref.tag ?? 'latest'}`
}

/** The media type of a response, without parameters. */
export function contentType(response: Pick<HttpResponse, 'headers'>): string {
  return response.headers['content-type']?.split(';')[0].trim() ?? ''
}

/** The path and query of a `Location` or `Link` (absolute or relative), with more query parameters. */
export function uploadPath(location: string, params: Record<string, string> = {}): string {
  const url = new URL(location, 'http://registry.invalid')
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value)
  return `${url.pathname}${url.search}`
}
