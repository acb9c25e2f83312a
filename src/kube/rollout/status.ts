/**
 * What `kubectl rollout status` says of a Deployment, StatefulSet or DaemonSet: a port of kubectl's
 * pkg/polymorphichelpers/rollout_status.go, which client-node lacks. One deviation: a missing
 * `updateStrategy.type` counts as RollingUpdate, the API server's default (kubectl only ever sees
 * defaulted objects).
 */
import type { V1DaemonSet, V1Deployment, V1StatefulSet } from '@kubernetes/client-node'

/** What `kubectl rollout status` would say: finished, failed for good, or still going. */
export interface RolloutState {
  readonly done: boolean
  /** The rollout cannot finish by waiting (a Deployment past its progress deadline). */
  readonly failed: boolean
  readonly message: string
}

const ROLLING = 'RollingUpdate'
const ONLY_ROLLING = `rollout status is only available for ${ROLLING} strategy type`

const quote = (name: string | undefined): string => JSON.stringify(name ?? '')
const going = (message: string): RolloutState => ({ done: false, failed: false, message })
const finished = (message: string): RolloutState => ({ done: true, failed: false, message })

/** The rollout status of a workload given as JSON (or as client-node's model), as kubectl says it. */
export function rolloutState(object: unknown): RolloutState {
  const kind =
    typeof object === 'object' && object !== null ? (object as { kind?: unknown }).kind : undefined
  if (kind === 'Deployment') return deploymentState(object as V1Deployment)
  if (kind === 'StatefulSet') return statefulSetState(object as V1StatefulSet)
  if (kind === 'DaemonSet') return daemonSetState(object as V1DaemonSet)
  throw new TypeError(
    `rollout status is implemented for Deployment, StatefulSet and DaemonSet, not ${JSON.stringify(kind)}`
  )
}

function deploymentState(deployment: V1Deployment): RolloutState {
  const name = quote(deployment.metadata?.name)
  const status = deployment.status ?? {}
  if ((deployment.metadata?.generation ?? 0) > (status.observedGeneration ?? 0)) {
    return going('Waiting for deployment spec update to be observed...')
  }
  const progressing = status.conditions?.find((condition) => condition.type === 'Progressing')
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    return {
      done: false,
      failed: true,
      message: `deployment ${name} exceeded its progress deadline`
    }
  }
  const waiting = `Waiting for deployment ${name} rollout to finish:`
  const updated = status.updatedReplicas ?? 0
  const replicas = deployment.spec?.replicas
  if (replicas !== undefined && updated < replicas) {
    return going(`${waiting} ${updated} out of ${replicas} new replicas have been updated...`)
  }
  if ((status.replicas ?? 0) > updated) {
    return going(
      `${waiting} ${(status.replicas ?? 0) - updated} old replicas are pending termination...`
    )
  }
  if ((status.availableReplicas ?? 0) < updated) {
    return going(
      `${waiting} ${status.availableReplicas ?? 0} of ${updated} updated replicas are available...`
    )
  }
  return finished(`deployment ${name} successfully rolled out`)
}

function statefulSetState(set: V1StatefulSet): RolloutState {
  const strategy = set.spec?.updateStrategy
  if ((strategy?.type ?? ROLLING) !== ROLLING) {
    return finished(`statefulset ${quote(set.metadata?.name)}: ${ONLY_ROLLING}`)
  }
  const status = set.status
  const observed = status?.observedGeneration ?? 0
  if (observed === 0 || (set.metadata?.generation ?? 0) > observed) {
    return going('Waiting for statefulset spec update to be observed...')
  }
  const replicas = set.spec?.replicas
  const ready = status?.readyReplicas ?? 0
  if (replicas !== undefined && ready < replicas) {
    return going(`Waiting for ${replicas - ready} pods to be ready...`)
  }
  const updated = status?.updatedReplicas ?? 0
  if (strategy?.rollingUpdate) {
    const partition = strategy.rollingUpdate.partition
    if (replicas !== undefined && partition !== undefined && updated < replicas - partition) {
      return going(
        `Waiting for partitioned roll out to finish: ${updated} out of ${replicas - partition} new pods have been updated...`
      )
    }
    return finished(`partitioned roll out complete: ${updated} new pods have been updated...`)
  }
  if (status?.updateRevision !== status?.currentRevision) {
    return going(
      `waiting for statefulset rolling update to complete ${updated} pods at revision ${status?.updateRevision}...`
    )
  }
  return finished(
    `statefulset rolling update complete ${status?.currentReplicas ?? 0} pods at revision ${status?.currentRevision}...`
  )
}

function daemonSetState(daemon: V1DaemonSet): RolloutState {
  const name = quote(daemon.metadata?.name)
  if ((daemon.spec?.updateStrategy?.type ?? ROLLING) !== ROLLING) {
    return finished(`daemon set ${name}: ${ONLY_ROLLING}`)
  }
  const status = daemon.status
  if ((daemon.metadata?.generation ?? 0) > (status?.observedGeneration ?? 0)) {
    return going('Waiting for daemon set spec update to be observed...')
  }
  const desired = status?.desiredNumberScheduled ?? 0
  const waiting = `Waiting for daemon set ${name} rollout to finish:`
  const updated = status?.updatedNumberScheduled ?? 0
  if (updated < desired) {
    return going(`${waiting} ${updated} out of ${desired} new pods have been updated...`)
  }
  if ((status?.numberAvailable ?? 0) < desired) {
    return going(
      `${waiting} ${status?.numberAvailable ?? 0} of ${desired} updated pods are available...`
    )
  }
  return finished(`daemon set ${name} successfully rolled out`)
}
