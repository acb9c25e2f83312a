/**
 * What a workload is, for every part of rollout-kit that reads or changes one: its pod spec (of any
 * built-in workload kind), its containers and their images, the container an action acts on, a copy
 * with one container's image set or with image pull secrets added, and the revision a rollout
 * reached. deploy-dev (apply and poll), promote's cluster stages, variants and rollback all use
 * these, so that a change to what a workload is (a new kind, init containers) is made here once.
 */
import { parseReference, repositoryName, type ImageRef } from '../registry/index.js'
import type { KubeObject } from './manifests.js'

/** The annotation a Deployment (and its ReplicaSets) carries its revision number in. */
export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision'
/** The annotation the API server bumps on each change of a DaemonSet's template. */
export const DAEMONSET_GENERATION_ANNOTATION = 'deprecated.daemonset.template.generation'

const APPS_GROUPS = ['apps', 'extensions']
const POD_SPEC_PATHS: Readonly<Record<string, { groups: string[]; path: string[] }>> = {
  Deployment: { groups: APPS_GROUPS, path: ['spec', 'template', 'spec'] },
  StatefulSet: { groups: APPS_GROUPS, path: ['spec', 'template', 'spec'] },
  DaemonSet: { groups: APPS_GROUPS, path: ['spec', 'template', 'spec'] },
  ReplicaSet: { groups: APPS_GROUPS, path: ['spec', 'template', 'spec'] },
  Job: { groups: ['batch'], path: ['spec', 'template', 'spec'] },
  CronJob: { groups: ['batch'], path: ['spec', 'jobTemplate', 'spec', 'template', 'spec'] },
  Pod: { groups: [''], path: ['spec'] }
}

/**
 * The pod spec of a Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob or Pod of the
 * built-in API groups; undefined for other kinds (a custom resource named `Job` is not a batch Job).
 * The object's own pod spec, not a copy.
 */
export function podSpecOf(object: KubeObject): Record<string, unknown> | undefined {
  const where = POD_SPEC_PATHS[object.kind]
  const slash = object.apiVersion.indexOf('/')
  const group = slash === -1 ? '' : object.apiVersion.slice(0, slash)
  if (!where || !where.groups.includes(group)) return undefined
  let value: unknown = object
  for (const key of where.path) value = isRecord(value) ? value[key] : undefined
  return isRecord(value) ? value : undefined
}

/** A container of a pod spec. Names are unique across containers and init containers. */
export interface WorkloadContainer {
  readonly name: string
  readonly image: string
  /** An init container. */
  readonly init: boolean
}

/**
 * The containers of a workload's pod spec that have a name and an image: the init containers
 * first, in pod-spec order. Copies; change an image with {@link withContainerImage}.
 */
export function containersOf(object: KubeObject): WorkloadContainer[] {
  const spec = podSpecOf(object)
  if (!spec) return []
  const list = (value: unknown, init: boolean): WorkloadContainer[] =>
    Array.isArray(value)
      ? value
          .filter(
            (c): c is { name: string; image: string } =>
              isRecord(c) && typeof c.name === 'string' && typeof c.image === 'string'
          )
          .map(({ name, image }) => ({ name, image, init }))
      : []
  return [...list(spec.initContainers, true), ...list(spec.containers, false)]
}

/** The image of one container (or init container), undefined when there is no such container. */
export function imageOf(object: KubeObject, container: string): string | undefined {
  return containersOf(object).find((c) => c.name === container)?.image
}

/** A copy of the workload with the image of the container (or init container) named set. */
export function withContainerImage(
  object: KubeObject,
  container: string,
  image: string
): KubeObject {
  const copy = structuredClone(object)
  const spec = podSpecOf(copy)
  for (const list of [spec?.initContainers, spec?.containers]) {
    if (!Array.isArray(list)) continue
    for (const c of list) if (isRecord(c) && c.name === container) c.image = image
  }
  return copy
}

/**
 * A copy of the workload whose pod spec's `imagePullSecrets` names each of `names` once: the
 * entries it had are kept in their order, the names it lacked appended in the order given. An
 * object without a pod spec (another kind) comes back as an unchanged copy, as does one that
 * already names them all.
 */
export function withImagePullSecrets(object: KubeObject, names: readonly string[]): KubeObject {
  const copy = structuredClone(object)
  const spec = podSpecOf(copy)
  if (!spec) return copy
  const existing = Array.isArray(spec.imagePullSecrets) ? spec.imagePullSecrets : []
  const named = new Set(existing.map((s) => (isRecord(s) ? s.name : undefined)))
  const added = names.filter((name, i) => !named.has(name) && names.indexOf(name) === i)
  if (added.length > 0) {
    spec.imagePullSecrets = [...existing, ...added.map((name) => ({ name }))]
  }
  return copy
}

/** What to pick a container by; see {@link pickContainer}. */
export interface ContainerWanted {
  /** The container named so, when given. */
  readonly name?: string
  /** Else the one container running an image of this repository (normalised). */
  readonly repository?: string
  /** Whether init containers are candidates too (default: no). */
  readonly init?: boolean
}

/** The container picked, or why none could be, with the candidates for the message. */
export type ContainerChoice =
  | { readonly ok: true; readonly container: WorkloadContainer }
  | {
      readonly ok: false
      /** `unknown-name`: no container has the name; `ambiguous`: none or several run the repository. */
      readonly reason: 'unknown-name' | 'ambiguous'
      /** How many candidates run the repository (for `ambiguous`). */
      readonly running: number
      readonly candidates: readonly WorkloadContainer[]
    }

/**
 * The container an action acts on: the one named, else the only candidate running an image of the
 * repository, else the only candidate. Callers word the refusal (an input error or a stage error).
 */
export function pickContainer(object: KubeObject, wanted: ContainerWanted): ContainerChoice {
  const candidates = containersOf(object)
    .filter((c) => wanted.init || !c.init)
    .sort((a, b) => Number(a.init) - Number(b.init))
  if (wanted.name !== undefined) {
    const named = candidates.find((c) => c.name === wanted.name)
    return named
      ? { ok: true, container: named }
      : { ok: false, reason: 'unknown-name', running: 0, candidates }
  }
  const running = wanted.repository
    ? candidates.filter((c) => repositoryOfImage(c.image) === wanted.repository)
    : []
  if (running.length === 1) return { ok: true, container: running[0] }
  if (running.length === 0 && candidates.length === 1) return { ok: true, container: candidates[0] }
  return { ok: false, reason: 'ambiguous', running: running.length, candidates }
}

/**
 * The revision a workload is at: a Deployment's revision annotation, a StatefulSet's update
 * revision, a DaemonSet's template generation (the annotation the API server bumps on each template
 * change, like a Deployment's revision; its status names no revision, and the newest
 * ControllerRevision would take one more list and RBAC on controllerrevisions). Undefined for other
 * kinds and for a workload the controller has not seen yet. `kind` stands in for an object that
 * does not carry its own (a typed client's objects may not).
 */
export function revisionOf(object: unknown, kind?: string): string | undefined {
  if (!isRecord(object)) return undefined
  const metadata = isRecord(object.metadata) ? object.metadata : {}
  const annotations = (isRecord(metadata.annotations) ? metadata.annotations : {}) as Record<
    string,
    string | undefined
  >
  switch (kind ?? object.kind) {
    case 'Deployment':
    case 'ReplicaSet':
      return annotations[REVISION_ANNOTATION]
    case 'StatefulSet': {
      const status = isRecord(object.status) ? object.status : {}
      return typeof status.updateRevision === 'string' ? status.updateRevision : undefined
    }
    case 'DaemonSet': {
      const generation = metadata.generation
      return (
        annotations[DAEMONSET_GENERATION_ANNOTATION] ??
        (typeof generation === 'number' ? String(generation) : undefined)
      )
    }
    default:
      return undefined
  }
}

/** An image reference parsed, undefined when it is not one (a template placeholder, say). */
export function parseImage(image: string): ImageRef | undefined {
  try {
    return parseReference(image)
  } catch {
    return undefined
  }
}

/** The normalised repository of a container's image, undefined when it is not a reference. */
export function repositoryOfImage(image: string): string | undefined {
  const ref = parseImage(image)
  return ref && repositoryName(ref)
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
