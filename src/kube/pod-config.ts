/**
 * The configuration a pod template reads (ConfigMaps and Secrets, by volume, projected volume,
 * `envFrom` and `env[].valueFrom`), given content-hashed names as kustomize's generators do: a
 * canary reads `app-config-<hash>` while stable keeps reading what it read, and a rollback to an
 * older template finds the older config still there under its own name. And what differs between
 * two pod templates, field by field, for drift reports.
 *
 * Hand-written: kustomize's hashing lives in Go (sigs.k8s.io/kustomize/api/hasher) and no
 * maintained JavaScript library walks pod specs for config references; the walk follows the
 * PodSpec fields of the Kubernetes API reference.
 */
import { createHash } from 'node:crypto'
import type { KubeObject } from './manifests.js'

/** A ConfigMap or Secret, by kind and name. */
export interface ConfigRef {
  readonly kind: 'ConfigMap' | 'Secret'
  readonly name: string
}

type Json = Record<string, unknown>

const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const list = (value: unknown): Json[] => (Array.isArray(value) ? value.filter(isRecord) : [])

/**
 * Calls `visit` on every place a pod spec names a ConfigMap or Secret, with a setter for the name:
 * volumes (`configMap.name`, `secret.secretName`, projected sources), and each container's and
 * init container's `envFrom` and `env[].valueFrom`.
 */
function eachConfigName(
  podSpec: Json,
  visit: (ref: ConfigRef, rename: (name: string) => void) => void
): void {
  const at = (holder: Json, key: string, kind: ConfigRef['kind']) => {
    const name = holder[key]
    if (typeof name === 'string' && name !== '') {
      visit({ kind, name }, (renamed) => {
        holder[key] = renamed
      })
    }
  }
  for (const volume of list(podSpec.volumes)) {
    if (isRecord(volume.configMap)) at(volume.configMap, 'name', 'ConfigMap')
    if (isRecord(volume.secret)) at(volume.secret, 'secretName', 'Secret')
    if (isRecord(volume.projected)) {
      for (const source of list(volume.projected.sources)) {
        if (isRecord(source.configMap)) at(source.configMap, 'name', 'ConfigMap')
        if (isRecord(source.secret)) at(source.secret, 'name', 'Secret')
      }
    }
  }
  for (const container of [...list(podSpec.initContainers), ...list(podSpec.containers)]) {
    for (const from of list(container.envFrom)) {
      if (isRecord(from.configMapRef)) at(from.configMapRef, 'name', 'ConfigMap')
      if (isRecord(from.secretRef)) at(from.secretRef, 'name', 'Secret')
    }
    for (const env of list(container.env)) {
      const source = env.valueFrom
      if (!isRecord(source)) continue
      if (isRecord(source.configMapKeyRef)) at(source.configMapKeyRef, 'name', 'ConfigMap')
      if (isRecord(source.secretKeyRef)) at(source.secretKeyRef, 'name', 'Secret')
    }
  }
}

/** The ConfigMaps and Secrets a pod spec reads, each once, in the order first named. */
export function configRefsOf(podSpec: Json): ConfigRef[] {
  const found: ConfigRef[] = []
  eachConfigName(podSpec, (ref) => {
    if (!found.some((f) => f.kind === ref.kind && f.name === ref.name)) found.push(ref)
  })
  return found
}

/** A copy of the pod spec with config names replaced by `renamed(ref)` (undefined: kept). */
export function withConfigNames(
  podSpec: Json,
  renamed: (ref: ConfigRef) => string | undefined
): Json {
  const copy = structuredClone(podSpec)
  eachConfigName(copy, (ref, rename) => {
    const name = renamed(ref)
    if (name !== undefined) rename(name)
  })
  return copy
}

/**
 * `<name>-<10 hex>` from the object's kind, name and content (`data`, `binaryData`, `stringData`,
 * `type`): the same content always gets the same name, changed content a new one. The name stays
 * within the 253 characters of a DNS subdomain.
 */
export function hashedConfigName(object: KubeObject): string {
  const content = {
    kind: object.kind,
    name: object.metadata.name,
    type: (object as Json).type ?? null,
    data: sorted((object as Json).data),
    binaryData: sorted((object as Json).binaryData),
    stringData: sorted((object as Json).stringData)
  }
  const hash = createHash('sha256').update(JSON.stringify(content)).digest('hex').slice(0, 10)
  return `${object.metadata.name.slice(0, 253 - 11)}-${hash}`
}

function sorted(value: unknown): unknown {
  if (!isRecord(value)) return null
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, value[key]])
  )
}

/** One field that differs between two values: its path, and each side (undefined: absent). */
export interface FieldDifference {
  readonly path: string
  readonly live: unknown
  readonly wanted: unknown
}

/**
 * The fields of `live` and `wanted` that differ, as paths (`spec.containers[app].env[LEVEL].value`):
 * list items that have a `name` are matched by name, other lists by position; a missing field and
 * one that is undefined are the same.
 */
export function fieldDifferences(live: unknown, wanted: unknown, path = ''): FieldDifference[] {
  if (isRecord(live) && isRecord(wanted)) {
    const keys = [...new Set([...Object.keys(live), ...Object.keys(wanted)])].sort()
    return keys.flatMap((key) =>
      fieldDifferences(live[key], wanted[key], path ? `${path}.${key}` : key)
    )
  }
  if (Array.isArray(live) && Array.isArray(wanted)) {
    const named = (items: unknown[]) =>
      items.every((item) => isRecord(item) && typeof item.name === 'string')
    if (named(live) && named(wanted)) {
      const byName = (items: unknown[]) => new Map(items.map((item) => [(item as Json).name, item]))
      const l = byName(live)
      const w = byName(wanted)
      const names = [...new Set([...l.keys(), ...w.keys()])] as string[]
      return names.flatMap((name) => fieldDifferences(l.get(name), w.get(name), `${path}[${name}]`))
    }
    const length = Math.max(live.length, wanted.length)
    return Array.from({ length }, (_, i) =>
      fieldDifferences(live[i], wanted[i], `${path}[${i}]`)
    ).flat()
  }
  return JSON.stringify(live) === JSON.stringify(wanted) ? [] : [{ path, live, wanted }]
}
