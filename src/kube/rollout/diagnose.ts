/**
 * Why a rollout does not finish: the pods of the workload's newest revision, what keeps each from
 * being ready (read by pod-problems.ts), and the Warning events of the workload, its newest
 * ReplicaSet and those pods.
 */
import {
  AppsV1Api,
  CoreV1Api,
  type CoreV1Event,
  type KubeConfig,
  type V1LabelSelector,
  type V1ObjectMeta,
  type V1Pod,
  type V1StatefulSet
} from '@kubernetes/client-node'
import type { KubeClient } from '../client.js'
import { kubeError } from '../errors.js'
import { podFindings, selectorString, type Finding, type PodProblem } from './pod-problems.js'
import type { WorkloadRef } from './types.js'
import { DAEMONSET_GENERATION_ANNOTATION, REVISION_ANNOTATION } from '../workload.js'

/** A Warning event about the workload, its ReplicaSet or one of its pods. */
export interface DiagnosisEvent {
  /** `pod/web-7d9c-abcde`, `replicaset/web-7d9c`, `deployment/web`. */
  readonly object: string
  readonly reason: string
  readonly message: string
  readonly count: number
  readonly type: string
}

/** What is wrong with a rollout, for the log and the job summary. */
export interface Diagnosis {
  readonly problems: readonly PodProblem[]
  /** Newest first. */
  readonly events: readonly DiagnosisEvent[]
  /** One or a few lines a person reads first. */
  readonly summary: string
}

/** Options of {@link diagnoseWorkload}. */
export interface DiagnoseOptions {
  /** At most this many events (default 10). */
  readonly maxEvents?: number
}

/** Looks at the pods of the workload's newest revision and at recent Warning events. */
export async function diagnoseWorkload(
  kube: KubeClient,
  ref: WorkloadRef,
  options: DiagnoseOptions = {}
): Promise<Diagnosis> {
  const cluster = new Cluster(kube.kc, ref.namespace)
  const newest = await newestPods(cluster, ref)
  const findings = newest.pods.flatMap(podFindings)
  const watched = [
    { kind: ref.kind, meta: newest.workload },
    ...newest.owners.map((meta) => ({ kind: 'ReplicaSet', meta })),
    ...newest.pods.map((pod) => ({ kind: 'Pod', meta: pod.metadata }))
  ]
  const events = await warningEvents(cluster, watched, options.maxEvents ?? 10)
  return {
    problems: findings.map((finding) => finding.problem),
    events,
    summary: summarize(ref, newest.pods.length, findings, events)
  }
}

/** The pods of the newest revision, with the objects whose events matter. */
interface Newest {
  readonly workload?: V1ObjectMeta
  /** The ReplicaSet of a Deployment's revision. */
  readonly owners: readonly V1ObjectMeta[]
  readonly pods: readonly V1Pod[]
}

async function newestPods(cluster: Cluster, ref: WorkloadRef): Promise<Newest> {
  const { name, namespace } = ref
  if (ref.kind === 'Deployment') {
    const deployment = await cluster.call('get', 'deployments.apps', name, () =>
      cluster.apps.readNamespacedDeployment({ name, namespace })
    )
    const revision = deployment.metadata?.annotations?.[REVISION_ANNOTATION]
    const selector = selectorString(deployment.spec?.selector)
    const sets = await cluster.call('list', 'replicasets.apps', undefined, () =>
      cluster.apps.listNamespacedReplicaSet({ namespace, labelSelector: selector })
    )
    const set = sets.items.find(
      (rs) =>
        ownedBy(rs.metadata, deployment.metadata) &&
        rs.metadata?.annotations?.[REVISION_ANNOTATION] === revision
    )
    const pods = set ? await cluster.pods(set.spec?.selector, set.metadata) : []
    return { workload: deployment.metadata, owners: set?.metadata ? [set.metadata] : [], pods }
  }
  const workload =
    ref.kind === 'StatefulSet'
      ? await cluster.call('get', 'statefulsets.apps', name, () =>
          cluster.apps.readNamespacedStatefulSet({ name, namespace })
        )
      : await cluster.call('get', 'daemonsets.apps', name, () =>
          cluster.apps.readNamespacedDaemonSet({ name, namespace })
        )
  const pods = await cluster.pods(workload.spec?.selector, workload.metadata)
  // a StatefulSet names its update revision; a DaemonSet's pods carry its template generation
  const [label, value] =
    ref.kind === 'StatefulSet'
      ? ['controller-revision-hash', (workload as V1StatefulSet).status?.updateRevision]
      : [
          'pod-template-generation',
          workload.metadata?.annotations?.[DAEMONSET_GENERATION_ANNOTATION]
        ]
  const newest = pods.filter((pod) => value && pod.metadata?.labels?.[label] === value)
  return { workload: workload.metadata, owners: [], pods: newest.length > 0 ? newest : pods }
}

/** The API calls diagnosis makes, with errors naming the server, the operation and the status. */
class Cluster {
  readonly apps: AppsV1Api
  private readonly core: CoreV1Api
  private readonly server: string

  constructor(
    kc: KubeConfig,
    private readonly namespace: string
  ) {
    this.apps = kc.makeApiClient(AppsV1Api)
    this.core = kc.makeApiClient(CoreV1Api)
    this.server = kc.getCurrentCluster()?.server ?? '(no current cluster)'
  }

  async call<T>(verb: string, resource: string, name: string | undefined, fn: () => Promise<T>) {
    try {
      return await fn()
    } catch (error) {
      const { server, namespace } = this
      throw kubeError(error, { server, verb, resource, name, namespace })
    }
  }

  /** Pods matching `selector` that `owner` controls, oldest first. */
  async pods(selector?: V1LabelSelector, owner?: V1ObjectMeta): Promise<V1Pod[]> {
    const labelSelector = selectorString(selector)
    const list = await this.call('list', 'pods', undefined, () =>
      this.core.listNamespacedPod({ namespace: this.namespace, labelSelector })
    )
    return list.items
      .filter((pod) => ownedBy(pod.metadata, owner))
      .sort((a, b) => time(a.metadata?.creationTimestamp) - time(b.metadata?.creationTimestamp))
  }

  /** The namespace's Warning events. */
  async warnings(): Promise<CoreV1Event[]> {
    const list = await this.call('list', 'events', undefined, () =>
      this.core.listNamespacedEvent({ namespace: this.namespace, fieldSelector: 'type=Warning' })
    )
    return list.items
  }
}

function ownedBy(meta: V1ObjectMeta | undefined, owner: V1ObjectMeta | undefined): boolean {
  return (meta?.ownerReferences ?? []).some((ref) => ref.controller && ref.uid === owner?.uid)
}

/** Warning events about the given objects (by uid, else by kind and name), newest first. */
async function warningEvents(
  cluster: Cluster,
  objects: readonly { kind: string; meta?: V1ObjectMeta }[],
  max: number
): Promise<DiagnosisEvent[]> {
  const uids = new Set(objects.map(({ meta }) => meta?.uid))
  const keys = new Set(objects.map(({ kind, meta }) => `${kind}/${meta?.name}`))
  const about = ({ involvedObject: { uid, kind, name } }: CoreV1Event): boolean =>
    uid ? uids.has(uid) : keys.has(`${kind}/${name}`)
  return (await cluster.warnings())
    .filter(about)
    .sort((a, b) => eventTime(b) - eventTime(a))
    .slice(0, Math.max(0, max))
    .map((event) => ({
      object: `${(event.involvedObject.kind ?? 'object').toLowerCase()}/${event.involvedObject.name ?? ''}`,
      reason: event.reason ?? '',
      message: event.message ?? '',
      count: event.count ?? event.series?.count ?? 1,
      type: event.type ?? 'Warning'
    }))
}

function time(value: Date | string | undefined): number {
  return value === undefined ? 0 : new Date(value).getTime()
}

function eventTime(event: CoreV1Event): number {
  return time(event.lastTimestamp ?? event.eventTime ?? event.metadata.creationTimestamp)
}

/** `2 of 2 new pods of deployment/web are failing: web-… CrashLoopBackOff (5 restarts, …); …`. */
function summarize(
  ref: WorkloadRef,
  podCount: number,
  findings: readonly Finding[],
  events: readonly DiagnosisEvent[]
): string {
  const workload = `${ref.kind.toLowerCase()}/${ref.name}`
  const failing = new Set(findings.map((f) => f.problem.pod)).size
  const shown = findings.slice(0, 3).map((f) => f.brief)
  if (findings.length > 3) shown.push(`and ${findings.length - 3} more`)
  const lines = [
    podCount === 0
      ? `no pods of the newest revision of ${workload} exist`
      : failing === 0
        ? `all ${podCount} new pods of ${workload} are ready`
        : `${failing} of ${podCount} new pods of ${workload} are failing: ${shown.join('; ')}`
  ]
  const [latest] = events
  if (latest) {
    const times = latest.count > 1 ? ` (${latest.count} times)` : ''
    lines.push(`latest warning: ${latest.object} ${latest.reason}: ${latest.message}${times}`)
  }
  return lines.join('\n')
}
