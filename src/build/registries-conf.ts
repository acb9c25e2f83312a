/**
 * A registries.conf (v2) for one build that reaches the given registries over plain HTTP or
 * unverified TLS, per registry instead of a blanket `--tls-verify=false`.
 * https://github.com/containers/image/blob/main/docs/containers-registries.conf.5.md
 */

/** The registry host (with port) of an image reference; `docker.io` when it names none. */
export function registryHost(image: string): string {
  const slash = image.indexOf('/')
  if (slash < 0) return 'docker.io'
  const first = image.slice(0, slash)
  return /[.:[]/.test(first) || first === 'localhost' ? first : 'docker.io'
}

/** True for `localhost`, `127.0.0.0/8` and `[::1]`, with or without a port. */
export function isLoopbackHost(host: string): boolean {
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0]
  return (
    name === 'localhost' ||
    name === '[::1]' ||
    /^127\.(25[0-5]|2[0-4]\d|1?\d?\d)\.(25[0-5]|2[0-4]\d|1?\d?\d)\.(25[0-5]|2[0-4]\d|1?\d?\d)$/.test(
      name
    )
  )
}

/**
 * The file text: the system file's `unqualified-search-registries` and `short-name-mode` kept (a v1
 * `[registries.search]` list is carried over too), then one insecure `[[registry]]` per host.
 * Drop-ins in registries.conf.d still apply, since only the main file is replaced.
 */
export function registriesConf(
  systemText: string | undefined,
  insecureHosts: readonly string[]
): string {
  const lines = ['# Written by rollout-kit for one build; removed afterwards.']
  const text = (systemText ?? '')
    .split(/\r?\n/)
    .filter((line) => !line.trim().startsWith('#'))
    .join('\n')
  const topLevel = text.split(/^\s*\[/m)[0]
  const search =
    /^\s*unqualified-search-registries\s*=\s*(\[[^\]]*\])/m.exec(topLevel)?.[1] ??
    /\[registries\.search\][^[]*?registries\s*=\s*(\[[^\]]*\])/.exec(text)?.[1]
  if (search) lines.push(`unqualified-search-registries = ${search.replace(/\s+/g, ' ')}`)
  const mode = /^\s*short-name-mode\s*=\s*("[^"]*")/m.exec(topLevel)?.[1]
  if (mode) lines.push(`short-name-mode = ${mode}`)
  for (const host of new Set(insecureHosts)) {
    lines.push('', '[[registry]]', `location = ${JSON.stringify(host)}`, 'insecure = true')
  }
  return `${lines.join('\n')}\n`
}
