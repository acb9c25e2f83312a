/**
 * What keeps a pod from being ready, as `kubectl describe pod` would show it, and the label
 * selector that lists a workload's pods. Reading pod statuses is hand-written after kubectl's
 * `describe` and `rollout status` warnings (no JavaScript library does it); so is rendering a label
 * selector (a few lines), for which client-node has no helper.
 */
import type { V1ContainerStatus, V1LabelSelector, V1Pod } from '@kubernetes/client-node'

/** Why one pod (or one of its containers) is not ready. */
export interface PodProblem {
  readonly pod: string
  readonly container?: string
  /** CrashLoopBackOff, ImagePullBackOff, ErrImagePull, Unready, Pending, Error, OOMKilled… */
  readonly reason: string
  readonly message: string
  readonly restarts: number
}

/** A problem with the few words the summary shows for it. */
export interface Finding {
  readonly problem: PodProblem
  readonly brief: string
}

/** `app=web,tier in (a,b),!canary` from a LabelSelector. */
export function selectorString(selector: V1LabelSelector | undefined): string {
  const labels = Object.entries(selector?.matchLabels ?? {}).map(
    ([key, value]) => `${key}=${value}`
  )
  const expressions = (selector?.matchExpressions ?? []).map(({ key, operator, values }) => {
    const list = `(${(values ?? []).join(',')})`
    if (operator === 'In') return `${key} in ${list}`
    if (operator === 'NotIn') return `${key} notin ${list}`
    return operator === 'Exists' ? key : `!${key}`
  })
  return [...labels, ...expressions].join(',')
}

/** Why a pod is not ready; nothing for a ready or terminating pod. */
export function podProblems(pod: V1Pod): PodProblem[] {
  return podFindings(pod).map((finding) => finding.problem)
}

/** Each problem of {@link podProblems} with the few words a summary shows for it. */
export function podFindings(pod: V1Pod): Finding[] {
  const name = pod.metadata?.name ?? ''
  const status = pod.status ?? {}
  const condition = (type: string) => status.conditions?.find((c) => c.type === type)
  if (pod.metadata?.deletionTimestamp || condition('Ready')?.status === 'True') return []
  const containers = [...(status.initContainerStatuses ?? []), ...(status.containerStatuses ?? [])]
  const restarts = containers.reduce((sum, c) => sum + (c.restartCount ?? 0), 0)
  const whole = (reason: string, message: string): Finding[] => [
    { problem: { pod: name, reason, message, restarts }, brief: `${name} ${reason}: ${message}` }
  ]
  if (status.phase === 'Failed') {
    return whole(status.reason ?? 'Failed', status.message ?? 'the pod failed')
  }
  if (!pod.spec?.nodeName) {
    const scheduled = condition('PodScheduled')
    return whole(
      'Pending',
      scheduled?.status === 'False'
        ? `${scheduled.reason ?? 'Unschedulable'}: ${scheduled.message ?? 'no node fits'}`
        : 'not scheduled to a node yet'
    )
  }
  const found = containers.flatMap((container) => containerFinding(container) ?? [])
  if (found.length === 0) {
    const message = condition('Ready')?.message ?? `phase ${status.phase ?? 'unknown'}, not ready`
    return whole(status.phase === 'Pending' ? 'Pending' : 'Unready', message)
  }
  const named = containers.length > 1
  return found.map(({ problem, brief }) => ({
    problem: { pod: name, ...problem },
    brief: `${name}${named ? ` (container ${problem.container})` : ''} ${problem.reason}${brief}`
  }))
}

/** A container's trouble, with the summary's detail (its leading separator included). */
function containerFinding(
  status: V1ContainerStatus
): { problem: Omit<PodProblem, 'pod'>; brief: string } | undefined {
  const base = { container: status.name, restarts: status.restartCount ?? 0 }
  const { waiting, terminated, running } = status.state ?? {}
  const last = status.lastState?.terminated
  const lastReason = last?.reason && last.reason !== 'Error' ? ` (${last.reason})` : ''
  const lastExit = last ? `last exit code ${last.exitCode}${lastReason}` : undefined
  if (waiting) {
    const reason = waiting.reason ?? 'Waiting'
    const message = [waiting.message ?? reason, lastExit].filter(Boolean).join('; ')
    const counted = [`${base.restarts} restarts`, lastExit].filter(Boolean).join(', ')
    const brief =
      base.restarts > 0 ? ` (${counted})` : waiting.message ? `: ${waiting.message}` : ''
    return { problem: { ...base, reason, message }, brief }
  }
  if (terminated && terminated.exitCode !== 0) {
    const signal = terminated.signal ? `, signal ${terminated.signal}` : ''
    const detail = terminated.message ? `: ${terminated.message}` : ''
    const message = `exited with code ${terminated.exitCode}${signal}${detail}`
    const reason = terminated.reason ?? 'Error'
    return { problem: { ...base, reason, message }, brief: ` (exit code ${terminated.exitCode})` }
  }
  if (running && !status.ready) {
    const message =
      status.started === false
        ? 'running, startup probe not passed yet'
        : 'running but not ready: readiness probe failing'
    const brief = ' (running, readiness probe failing)'
    return { problem: { ...base, reason: 'Unready', message }, brief }
  }
  return undefined
}
