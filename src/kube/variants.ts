/**
 * Variants of a stable Deployment that promote runs beside it: the canary (the new digest), the
 * baseline (the stable digest at the canary's size, for a fair comparison) and the green colour of
 * a blue-green pair. A variant is a copy of the stable Deployment's spec with its own selector and
 * labels, so that it works on an existing Deployment whose labels were never planned for it, and
 * the stable Deployment's selector (immutable) is never touched:
 *
 * - every variant's selector is `{rollout-kit/workload: <stable>, rollout-kit/track: <track>}`,
 *   labels the stable pods do not have, so the stable ReplicaSets never match a variant's pods;
 * - its pods keep the stable pod labels, so metrics, policies and (for the replica-ratio canary)
 *   the stable Service select them as they select stable's; the keys named in `relabel` (the stable
 *   Service's selector keys) get `-<track>` appended to their values where the variant must stay
 *   out of the stable Service (NGINX and Gateway API canaries, the green colour), as Flagger names
 *   its primary pods `app: <name>-primary`.
 */
import type { KubeObject } from './manifests.js'
import { withContainerImage } from './workload.js'

/** The pod label that says which variant a pod belongs to (absent on the stable pods). */
export const TRACK_LABEL = 'rollout-kit/track'
/** The pod label naming the stable Deployment a variant belongs to. */
export const WORKLOAD_LABEL = 'rollout-kit/workload'
/** The annotation on a variant (Deployment or Service) naming the stable one it stands beside. */
export const VARIANT_OF_ANNOTATION = 'rollout-kit/variant-of'

/** The variants promote makes. */
export type Track = 'canary' | 'baseline' | 'green'

/** What a variant is made of. */
export interface VariantOptions {
  readonly track: Track
  /** The container whose image the variant sets. */
  readonly container: string
  /** The image for that container, `repository@sha256:…`. */
  readonly image: string
  readonly replicas: number
  /** Pod label keys whose values get `-<track>` so that the stable Service does not select them. */
  readonly relabel: readonly string[]
}

type Labels = Record<string, string>

/** `<stable>-<track>`, the variant's Deployment (and Service) name. */
export function variantName(stable: string, track: Track): string {
  return `${stable}-${track}`
}

/** The variant's selector, also the set of labels that tells its pods apart. */
export function variantSelector(stable: string, track: Track): Labels {
  return { [WORKLOAD_LABEL]: stable, [TRACK_LABEL]: track }
}

/**
 * PromQL label matchers that select exactly the pods of one variant of `stable` in `namespace`,
 * whatever the traffic method relabelled: they name the variant's own labels, which every method
 * sets. They use the label names Prometheus's Kubernetes service discovery gives them under the
 * usual relabelling (kube-prometheus-stack, Google Managed Prometheus, the Prometheus examples):
 * pod labels copied by `labelmap: __meta_kubernetes_pod_label_(.+)`, whose characters other than
 * letters, digits and `_` become `_` (`rollout-kit/track` is `rollout_kit_track`), and the
 * namespace as `namespace`.
 */
export function variantPromQLSelector(namespace: string, stable: string, track: Track): string {
  const labels: Labels = { namespace, ...variantSelector(stable, track) }
  return Object.entries(labels)
    .map(([key, value]) => `${key.replace(/[^A-Za-z0-9_]/g, '_')}=${JSON.stringify(value)}`)
    .join(',')
}

/**
 * The variant Deployment of `stable`: its spec with the variant's selector, replicas, labels and
 * image; no status, no revision annotations, not paused.
 */
export function variantDeployment(stable: KubeObject, options: VariantOptions): KubeObject {
  const name = stable.metadata.name
  const spec = specOf(stable)
  const template = (spec.template ?? {}) as { metadata?: { labels?: Labels }; spec?: unknown }
  const podLabels = {
    ...relabelled(template.metadata?.labels ?? {}, options.relabel, options.track),
    ...variantSelector(name, options.track)
  }
  const variantTemplate = { ...template, metadata: { ...template.metadata, labels: podLabels } }
  const rest = { ...spec }
  delete rest.paused
  const variant: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: variantName(name, options.track),
      namespace: stable.metadata.namespace,
      labels: { ...labelsOf(stable), ...variantSelector(name, options.track) },
      annotations: { [VARIANT_OF_ANNOTATION]: name }
    },
    spec: {
      ...rest,
      replicas: options.replicas,
      selector: { matchLabels: variantSelector(name, options.track) },
      template: variantTemplate
    }
  }
  return withContainerImage(variant, options.container, options.image)
}

/**
 * `labels` with `-<suffix>` appended to the values of `keys`; a value that would pass the 63
 * characters of a label value is shortened before the suffix (and ends alphanumeric).
 */
export function relabelled(labels: Labels, keys: readonly string[], suffix: string): Labels {
  const result = { ...labels }
  for (const key of keys) {
    const value = labels[key]
    if (value === undefined) continue
    const room = 63 - suffix.length - 1
    const head = value.slice(0, room).replace(/[^A-Za-z0-9]+$/, '')
    result[key] = head ? `${head}-${suffix}` : suffix
  }
  return result
}

/** A copy of the Deployment with `spec.replicas` set. */
export function withReplicas(deployment: KubeObject, replicas: number): KubeObject {
  return { ...deployment, spec: { ...specOf(deployment), replicas } }
}

/** `spec.replicas` of a Deployment, 1 when unset (the API server's default). */
export function replicasOf(deployment: KubeObject): number {
  const replicas = specOf(deployment).replicas
  return typeof replicas === 'number' ? replicas : 1
}

/** The pod template's labels. */
export function podLabelsOf(deployment: KubeObject): Labels {
  const template = specOf(deployment).template as { metadata?: { labels?: Labels } } | undefined
  return { ...template?.metadata?.labels }
}

function specOf(object: KubeObject): Record<string, unknown> {
  const spec = object.spec
  return spec && typeof spec === 'object' ? { ...(spec as Record<string, unknown>) } : {}
}

function labelsOf(object: KubeObject): Labels {
  return { ...(object.metadata.labels as Labels | undefined) }
}
