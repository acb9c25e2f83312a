/**
 * The order a manifest batch is applied in: the order Helm installs in (pkg/releaseutil
 * kind_sorter.go) with CustomResourceDefinitions moved up after Namespaces; kinds of other API
 * groups (custom resources) come last.
 */
import type { Planned } from './types.js'

/** Helm's install order, CustomResourceDefinitions moved up after Namespaces. */
const KIND_ORDER = (
  'PriorityClass Namespace CustomResourceDefinition NetworkPolicy ResourceQuota LimitRange ' +
  'PodSecurityPolicy PodDisruptionBudget ServiceAccount Secret ConfigMap StorageClass ' +
  'PersistentVolume PersistentVolumeClaim ClusterRole ClusterRoleBinding Role RoleBinding ' +
  'Service DaemonSet Pod ReplicationController ReplicaSet Deployment HorizontalPodAutoscaler ' +
  'StatefulSet Job CronJob IngressClass Ingress APIService MutatingWebhookConfiguration ' +
  'ValidatingWebhookConfiguration'
).split(' ')

/** The documents in dependency order; documents of one kind keep their order. */
export function inApplyOrder(planned: readonly Planned[]): Planned[] {
  const rank = (p: Planned): number => {
    const group = p.resource.group
    // a kind of Kubernetes' own groups; `Service` of serving.knative.dev is a custom resource
    const builtIn = !group.includes('.') || group.endsWith('.k8s.io')
    const index = builtIn ? KIND_ORDER.indexOf(p.ref.kind) : -1
    return index < 0 ? KIND_ORDER.length : index
  }
  // Array.prototype.sort is stable: documents of one kind keep their order
  return [...planned].sort((a, b) => rank(a) - rank(b))
}
