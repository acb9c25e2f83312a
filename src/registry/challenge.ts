/**
 * A parser for `WWW-Authenticate` (RFC 9110 §11.6.1): one or more challenges, each a scheme followed
 * by a token68 or by comma-separated `name=value` parameters whose values may be quoted strings with
 * commas and backslash escapes. Hand-written: it is small, and no maintained package does only this.
 */

/** One authentication challenge; scheme and parameter names are lowercase. */
export interface Challenge {
  readonly scheme: string
  readonly params: Readonly<Record<string, string>>
  readonly token68?: string
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+/
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*(?=[ \t]*(?:,|$))/

/** Parses every challenge of a `WWW-Authenticate` value; unparseable tails are dropped. */
export function parseChallenges(header: string | undefined): Challenge[] {
  const challenges: Challenge[] = []
  let rest = header ?? ''
  for (;;) {
    rest = rest.replace(/^[\s,]+/, '')
    const scheme = TOKEN.exec(rest)?.[0]
    if (!scheme) return challenges
    rest = rest.slice(scheme.length).replace(/^[ \t]+/, '')
    const params: Record<string, string> = {}
    let token68: string | undefined
    const t68 = isParam(rest) ? undefined : TOKEN68.exec(rest)?.[0]
    if (t68) {
      token68 = t68
      rest = rest.slice(t68.length)
    }
    while (isParam(rest)) {
      const name = TOKEN.exec(rest)![0]
      rest = rest.slice(name.length).replace(/^[ \t]*=[ \t]*/, '')
      const [value, after] = readValue(rest)
      params[name.toLowerCase()] = value
      rest = after.replace(/^[ \t]*,?[ \t]*/, '')
    }
    challenges.push({ scheme: scheme.toLowerCase(), params, ...(token68 && { token68 }) })
  }
}

/** Whether the text starts with `name=` followed by a value (not a token68's trailing `=`). */
function isParam(text: string): boolean {
  return /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+[ \t]*=(?!=)(?![ \t]*(?:,|$))/.test(text)
}

/** Reads a token or quoted-string; returns the value and the remaining text. */
function readValue(text: string): [string, string] {
  if (!text.startsWith('"')) {
    const token = /^[^\s,]*/.exec(text)![0]
    return [token, text.slice(token.length)]
  }
  let value = ''
  for (let i = 1; i < text.length; i++) {
    const c = text[i]
    if (c === '\\' && i + 1 < text.length) value += text[++i]
    else if (c === '"') return [value, text.slice(i + 1)]
    else value += c
  }
  return [value, '']
}
