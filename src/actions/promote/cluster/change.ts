/**
 * The whole change a cluster stage rolls out when `manifests` are given: the manifests' pod
 * template of the workload (env, resources, probes, volumes, everything) with `source` pinned, and
 * the ConfigMaps and Secrets of the manifests it reads under content-hashed names, so that a canary
 * never changes the config stable's pods read. Without `manifests` there is no template change:
 * stages set the image alone, as before.
 */
import * as core from '@actions/core'
import type { V1LabelSelector } from '@kubernetes/client-node'
import {
  configRefsOf,
  fieldDifferences,
  hashedConfigName,
  KubeError,
  loadManifests,
  podSpecOf,
  revisionOf,
  selectorString,
  withConfigNames,
  withContainerImage,
  withImagePullSecrets,
  type FieldDifference,
  type KubeObject
} from '../../../kube/index.js'
import type { ClusterContext } from './context.js'

/** The label on every config object promote creates, naming the workload that reads it. */
export const CONFIG_OF_LABEL = 'rollout-kit/config-of'

type Json = Record<string, unknown>

/** The manifests' pod template, pinned and reading hashed config, and that config. */
export interface TemplateChange {
  /** `spec.template` as the manifests render it: metadata and pod spec. */
  readonly template: Json
  /** The hashed ConfigMaps and Secrets to apply before anything reads them. */
  readonly config: readonly KubeObject[]
  /** The base names of the manifests' config objects, to read hashed names back. */
  readonly configNames: ReadonlySet<string>
  /** The manifests, for messages. */
  readonly files: string
}

/**
 * Renders the change of `context.ref.name` from the manifests with `image` in `container`, or
 * undefined without manifests. `stable`, when given, must be selected by the template's labels.
 */
export async function renderChange(
  context: ClusterContext,
  container: string,
  image: string,
  stable?: KubeObject
): Promise<TemplateChange | undefined> {
  const { inputs } = context
  if (inputs.manifests.length === 0) return undefined
  const files = inputs.manifests.join(', ')
  const documents = (await loadManifests(inputs.manifests)).map((d) => d.object)
  const kind = context.ref.kind
  const workload = documents.find((o) => o.kind === kind && o.metadata.name === context.ref.name)
  if (!workload) {
    throw new Error(`The manifests (${files}) hold no ${kind} ${context.ref.name}`)
  }
  // as promote writes it: the source pinned, the pull secrets added
  const pinned = withImagePullSecrets(
    withContainerImage(workload, container, image),
    inputs.imagePullSecrets
  )
  const podSpec = podSpecOf(pinned)
  if (!podSpec || !podSpec.containers) {
    throw new Error(`${kind} ${context.ref.name} in ${files} has no pod template`)
  }
  const present = documents.filter(
    (o) =>
      o.apiVersion === 'v1' &&
      (o.kind === 'ConfigMap' || o.kind === 'Secret') &&
      (o.metadata.namespace ?? context.namespace) === context.namespace
  )
  const read = configRefsOf(podSpec)
  const config = present.filter((o) =>
    read.some((r) => r.kind === o.kind && r.name === o.metadata.name)
  )
  const hashed = new Map(config.map((o) => [`${o.kind}/${o.metadata.name}`, hashedConfigName(o)]))
  const template = structuredClone((pinned.spec as Json).template as Json)
  template.spec = withConfigNames(podSpec, (ref) => hashed.get(`${ref.kind}/${ref.name}`))
  if (stable) checkSelected(context, stable, template, files)
  return {
    template,
    config: config.map((o) =>
      configObject(context, o, hashed.get(`${o.kind}/${o.metadata.name}`)!)
    ),
    configNames: new Set(present.map((o) => o.metadata.name)),
    files
  }
}

/** The template's labels must carry stable's selector, or stable could not take the template. */
function checkSelected(
  context: ClusterContext,
  stable: KubeObject,
  template: Json,
  files: string
): void {
  const selector =
    ((stable.spec as Json).selector as { matchLabels?: Record<string, string> })?.matchLabels ?? {}
  const labels = ((template.metadata as Json | undefined)?.labels ?? {}) as Record<string, string>
  const missing = Object.entries(selector).filter(([key, value]) => labels[key] !== value)
  if (missing.length > 0) {
    throw new Error(
      `The pod template of ${context.ref.kind} ${context.ref.name} in ${files} lacks the labels of ${context.label}'s selector (${missing.map(([k, v]) => `${k}=${v}`).join(', ')}); a selector cannot change, so the manifests must keep them`
    )
  }
}

function configObject(context: ClusterContext, object: KubeObject, name: string): KubeObject {
  const labels = {
    ...(object.metadata.labels as Record<string, string> | undefined),
    [CONFIG_OF_LABEL]: context.ref.name
  }
  return {
    ...object,
    metadata: {
      name,
      namespace: context.namespace,
      labels,
      ...(object.metadata.annotations ? { annotations: object.metadata.annotations } : {})
    },
    // its name is its content: it never changes, and the API server can stop watching it
    immutable: true
  } as KubeObject
}

/** Applies the change's config objects (created once: same content, same name). */
export async function applyConfig(
  context: ClusterContext,
  change: TemplateChange
): Promise<string[]> {
  const lines: string[] = []
  for (const object of change.config) {
    const ref = {
      apiVersion: 'v1',
      kind: object.kind,
      name: object.metadata.name,
      namespace: context.namespace
    }
    if (await context.kube.get(ref)) continue
    await context.kube.create(object, { fieldManager: 'rollout-kit-promote' })
    lines.push(`${object.kind.toLowerCase()}/${object.metadata.name} created`)
  }
  for (const line of lines) core.info(line)
  return lines
}

/**
 * The change's pod spec as the API server would default it (a dry-run create of a throwaway
 * Deployment), so that it compares with a live template field by field.
 */
async function defaulted(context: ClusterContext, template: Json): Promise<Json> {
  const probe: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: `${context.ref.name}-rollout-kit-probe`.slice(0, 253),
      namespace: context.namespace
    },
    spec: {
      replicas: 0,
      // selected by its own labels: the template is compared, not the selector
      selector: { matchLabels: (template.metadata as Json | undefined)?.labels ?? {} },
      template
    }
  }
  const created = await context.kube.create<KubeObject>(probe, { dryRun: true })
  return ((created.spec as Json).template as Json) ?? {}
}

/** A template with the image of `container` and the hashed config names made comparable. */
function comparable(template: Json, container: string, configNames: ReadonlySet<string>): Json {
  const spec = withConfigNames((template.spec ?? {}) as Json, (ref) => {
    const base = /^(.*)-[0-9a-f]{10}$/.exec(ref.name)?.[1]
    return base && configNames.has(base) ? base : undefined
  })
  for (const c of [
    ...((spec.containers as Json[]) ?? []),
    ...((spec.initContainers as Json[]) ?? [])
  ]) {
    if (c.name === container) c.image = '(the image)'
  }
  const labels = { ...((template.metadata as Json | undefined)?.labels as Json | undefined) }
  delete labels['pod-template-hash']
  return { metadata: { labels }, spec }
}

/**
 * The fields of `live`'s pod template that differ from the change's, besides the image and the
 * config's hashed names (which differ by design): what a `kubectl edit` of production made, and
 * what the manifests change besides the image.
 */
export async function templateDifferences(
  context: ClusterContext,
  live: KubeObject,
  change: TemplateChange,
  container: string,
  options: { readonly specOnly?: boolean } = {}
): Promise<FieldDifference[]> {
  const wanted = await defaulted(context, change.template)
  const current = ((live.spec as Json).template ?? {}) as Json
  const names = options.specOnly ? new Set<string>() : change.configNames
  const [a, b] = [comparable(current, container, names), comparable(wanted, container, names)]
  return options.specOnly ? fieldDifferences(a.spec, b.spec, 'spec') : fieldDifferences(a, b)
}

/** The fields of two live Deployments' pod specs that differ, besides `container`'s image. */
export function specDifferences(
  one: KubeObject,
  other: KubeObject,
  container: string
): FieldDifference[] {
  const spec = (o: KubeObject) =>
    comparable(((o.spec as Json).template ?? {}) as Json, container, new Set()).spec
  return fieldDifferences(spec(one), spec(other), 'spec')
}

/**
 * The pod template stable ran at `revision`, from the ReplicaSet that keeps it (as `kubectl rollout
 * undo --to-revision` finds it), without the `pod-template-hash` label the controller adds; undefined
 * when that ReplicaSet is gone (past `revisionHistoryLimit`).
 */
export async function revisionTemplate(
  context: ClusterContext,
  stable: KubeObject,
  revision: string
): Promise<Json | undefined> {
  const sets = await context.kube.list<KubeObject>('apps/v1', 'ReplicaSet', context.namespace, {
    labelSelector: selectorString((stable.spec as { selector?: V1LabelSelector }).selector)
  })
  const owned = sets.filter(
    (rs) =>
      ((rs.metadata.ownerReferences ?? []) as { uid?: string }[]).some(
        (owner) => owner.uid === stable.metadata.uid
      ) && revisionOf(rs) === revision
  )
  const template = owned[0] && structuredClone((owned[0].spec as Json).template as Json)
  if (!template) return undefined
  const labels = { ...((template.metadata as Json | undefined)?.labels as Json | undefined) }
  delete labels['pod-template-hash']
  template.metadata = { ...(template.metadata as Json), labels }
  return template
}

/**
 * Deletes the config objects promote created for the workload (by label) that no Deployment or
 * ReplicaSet in the namespace reads any more: those of canaries rolled back, and of revisions past
 * the history limit. Anything a template still names, including an old revision a rollback could
 * return to, stays. Returns one line per object deleted.
 */
export async function removeOrphanConfig(context: ClusterContext): Promise<string[]> {
  const { kube, namespace } = context
  const labelSelector = `${CONFIG_OF_LABEL}=${context.ref.name}`
  const ours = [
    ...(await kube.list<KubeObject>('v1', 'ConfigMap', namespace, { labelSelector })),
    // a deployer whose manifests hold no Secret may well not be allowed to list them
    ...(await kube
      .list<KubeObject>('v1', 'Secret', namespace, { labelSelector })
      .catch((error: unknown) => {
        if (error instanceof KubeError && error.status === 403) return []
        throw error
      }))
  ]
  if (ours.length === 0) return []
  const readers = [
    ...(await kube.list<KubeObject>('apps/v1', 'Deployment', namespace)),
    ...(await kube.list<KubeObject>('apps/v1', 'ReplicaSet', namespace))
  ]
  const read = new Set(
    readers.flatMap((o) => configRefsOf(podSpecOf(o) ?? {}).map((r) => `${r.kind}/${r.name}`))
  )
  const lines: string[] = []
  for (const object of ours) {
    if (read.has(`${object.kind}/${object.metadata.name}`)) continue
    await kube.delete({
      apiVersion: 'v1',
      kind: object.kind,
      name: object.metadata.name,
      namespace
    })
    lines.push(`${object.kind.toLowerCase()}/${object.metadata.name} deleted (read by no template)`)
  }
  for (const line of lines) core.info(line)
  return lines
}

/** Logs what the manifests change on the workload besides the image (with values in a dry run). */
export function logDifferences(
  context: ClusterContext,
  change: TemplateChange,
  differences: readonly FieldDifference[]
): void {
  core.info(
    differences.length === 0
      ? `The manifests (${change.files}) change nothing on ${context.label} besides the image`
      : `Besides the image, the manifests (${change.files}) differ from ${context.label}'s live template in:\n${differences.map((d) => `  ${describeDifference(d, context.inputs.dryRun)}`).join('\n')}`
  )
}

/** The summary's rows on a template change: where from, and what differs besides the image. */
export function templateRows(
  change: TemplateChange | undefined,
  differences: readonly FieldDifference[],
  values: boolean
): [string, string][] {
  if (!change) return []
  const listed = differences.slice(0, 20).map((d) => `\`${describeDifference(d, values)}\``)
  if (differences.length > 20) listed.push(`and ${differences.length - 20} more`)
  return [
    ['pod template', `from ${change.files}`],
    ['changes besides the image', listed.join('<br>') || 'none']
  ]
}

/** A difference in one line, with values when `values` (a dry run's full diff). */
export function describeDifference(difference: FieldDifference, values: boolean): string {
  if (!values) return difference.path
  const show = (value: unknown) => (value === undefined ? '(absent)' : JSON.stringify(value))
  return `${difference.path}: ${show(difference.live)} → ${show(difference.wanted)}`
}
