/**
 * The images a Dockerfile pulls: FROM lines and `COPY --from=<image>`, after the ARGs declared
 * before the first FROM are substituted, leaving out `scratch` and references to earlier stages.
 * https://docs.docker.com/reference/dockerfile/#understand-how-arg-and-from-interact
 */

/** The external images `dockerfileText` builds on, in order of first use, each once. */
export function baseImages(
  dockerfileText: string,
  buildArgs: readonly (readonly [string, string])[] = []
): string[] {
  const given = new Map(buildArgs.map(([key, value]) => [key, value]))
  const metaArgs = new Map<string, string>()
  const stages = new Set<string>()
  const images: string[] = []
  let seenFrom = false
  const use = (image: string): void => {
    if (image === '' || image.toLowerCase() === 'scratch' || stages.has(image.toLowerCase())) return
    if (/^\d+$/.test(image) || images.includes(image)) return
    images.push(image)
  }
  for (const [instruction, rest] of instructions(dockerfileText)) {
    if (instruction === 'ARG' && !seenFrom) {
      for (const [name, fallback] of argDeclarations(rest)) {
        const value =
          given.get(name) ?? (fallback === undefined ? undefined : expand(fallback, metaArgs))
        if (value !== undefined) metaArgs.set(name, value)
      }
    } else if (instruction === 'FROM') {
      seenFrom = true
      const words = rest.split(/\s+/).filter((word) => !word.startsWith('--'))
      use(expand(words[0] ?? '', metaArgs))
      if (words[1]?.toLowerCase() === 'as' && words[2]) stages.add(words[2].toLowerCase())
    } else if (instruction === 'COPY' || instruction === 'ADD') {
      const from = /(?:^|\s)--from=(\S+)/.exec(rest)
      if (from) use(expand(unquote(from[1]), metaArgs))
    }
  }
  return images
}

/** Substitutes `$VAR`, `${VAR}`, `${VAR:-word}` and `${VAR:+word}`; unset variables are empty. */
export function expand(text: string, vars: ReadonlyMap<string, string>): string {
  return text.replace(
    /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::?([-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g,
    (_match, braced: string | undefined, op: string | undefined, word: string, bare: string) => {
      const value = vars.get(braced ?? bare)
      if (op === '-') return value ? value : word
      if (op === '+') return value ? word : ''
      return value ?? ''
    }
  )
}

/** Logical instructions: continuation lines joined, comments and blank lines dropped. */
function instructions(text: string): [string, string][] {
  const lines = text.split(/\r?\n/)
  let escape = '\\'
  let start = 0
  for (; start < lines.length; start++) {
    const directive = /^#\s*([a-z]+)\s*=\s*(\S+)\s*$/i.exec(lines[start])
    if (!directive) break
    if (directive[1].toLowerCase() === 'escape') escape = directive[2]
  }
  const result: [string, string][] = []
  let pending = ''
  for (const raw of lines.slice(start)) {
    const line = raw.trim()
    if (line.startsWith('#') || line === '') continue
    if (line.endsWith(escape)) {
      pending += `${line.slice(0, -escape.length)} `
      continue
    }
    const whole = (pending + line).trim()
    pending = ''
    const match = /^(\S+)\s*(.*)$/.exec(whole)
    if (match) result.push([match[1].toUpperCase(), match[2].trim()])
  }
  return result
}

/** `ARG A=1 B C="x"` → [['A', '1'], ['B', undefined], ['C', 'x']]. */
function argDeclarations(rest: string): [string, string | undefined][] {
  const words = rest.match(/(?:[^\s"']+|"[^"]*"|'[^']*')+/g) ?? []
  return words.map((word) => {
    const at = word.indexOf('=')
    return at < 0 ? [word, undefined] : [word.slice(0, at), unquote(word.slice(at + 1))]
  })
}

function unquote(text: string): string {
  return /^(["']).*\1$/.test(text) ? text.slice(1, -1) : text
}

/**
 * `dockerfileText` with `labels` set by one LABEL instruction at its end, for a build of its last
 * stage (`target` undefined or that stage's name); undefined when that cannot be done (another
 * target, or an escape character other than `\`). With `--layers`, buildah commits each `--label`
 * as a step of its own; one instruction is one commit.
 */
export function withLabels(
  dockerfileText: string,
  labels: Readonly<Record<string, string>>,
  target?: string
): string | undefined {
  if (/^#\s*escape\s*=\s*(?!\\)/im.test(dockerfileText.split(/\r?\n/, 5).join('\n')))
    return undefined
  if (target) {
    const froms = instructions(dockerfileText).filter(([instruction]) => instruction === 'FROM')
    const last = froms
      .at(-1)?.[1]
      .split(/\s+/)
      .filter((word) => !word.startsWith('--'))
    if (last?.[1]?.toLowerCase() !== 'as' || last[2]?.toLowerCase() !== target.toLowerCase()) {
      return undefined
    }
  }
  const pairs = Object.entries(labels).map(
    ([key, value]) => `${JSON.stringify(key)}=${JSON.stringify(value)}`
  )
  if (pairs.length === 0) return dockerfileText
  const text = dockerfileText.endsWith('\n') ? dockerfileText : `${dockerfileText}\n`
  return `${text}LABEL ${pairs.join(' ')}\n`
}
