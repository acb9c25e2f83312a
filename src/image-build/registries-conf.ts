/**
 * A registries.conf (v2) for one build that reaches the given registries over plain HTTP or
 * unverified TLS, per registry instead of a blanket `--tls-verify=false`.
 * https://github.com/containers/image/blob/main/docs/containers-registries.conf.5.md
 */
import { parseReference } from '../registry/index.js'

/** The registry host (with port) of an image reference; undefined when it does not parse. */
export function registryHost(image: string): string | undefined {
  try {
    return parseReference(image).registry
  } catch {
    // a base image that still holds an unresolved ${ARG} is no registry's: nothing to mark insecure
    return undefined
  }
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
