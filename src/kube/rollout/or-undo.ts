/**
 * The one way rollout-kit finishes a change to workloads: wait for their rollouts (all at once); when
 * one fails or runs out of time, say why per pod (the newest revision's pods and warning events),
 * undo the step (the caller's undo, which puts back what the step changed and waits for it), and
 * throw one error that says all of it. deploy-dev and every promote cluster stage go through here,
 * so a failed rollout reads the same and is undone the same wherever it happens.
 */
import * as core from '@actions/core'
import type { KubeClient } from '../client.js'
import { diagnoseWorkload, type Diagnosis } from './diagnose.js'
import { waitForRollout, type RolloutOutcome, type WorkloadRef } from './wait.js'

/** What a step changed and how to put it back. */
export interface RolloutStep {
  /** The workloads whose rollout the step started. */
  readonly workloads: readonly WorkloadRef[]
  readonly timeoutMs: number
  /**
   * Puts back what the step changed, waits for that, and says what it did. Absent when the step
   * must not be undone; `notUndone` then says so.
   */
  readonly undo?: () => Promise<string>
  /** Said after the reasons when there is no undo. */
  readonly notUndone?: string
  /** Log groups around the wait, the diagnosis and the undo (default: none). */
  readonly groups?: boolean
}

/** A workload that rolled out. */
export interface RolledOut {
  readonly ref: WorkloadRef
  readonly revision?: string
  readonly message: string
}

/** `deployment/web`, as kubectl prints a workload. */
export function workloadLabel(ref: { readonly kind: string; readonly name: string }): string {
  return `${ref.kind.toLowerCase()}/${ref.name}`
}

/** `deployment/web in namespace dev`, as failure messages name a workload. */
export function workloadInNamespace(ref: WorkloadRef): string {
  return `${workloadLabel(ref)} in namespace ${ref.namespace}`
}

/**
 * Waits for the step's workloads; returns how each rolled out, or throws (after the undo) an Error
 * whose message is every failure's reason, one per workload with its pods' problems, then what the
 * undo did. The reasons are logged before the undo starts, in case it is cut short; the error is
 * said once, by the step's failure.
 */
export async function rollOutOrUndo(kube: KubeClient, step: RolloutStep): Promise<RolledOut[]> {
  if (step.workloads.length === 0) return []
  const group = <T>(name: string, run: () => Promise<T>): Promise<T> =>
    step.groups ? core.group(name, run) : run()
  const outcomes = await group('Wait for the rollout', () =>
    waitAll(kube, step.workloads, step.timeoutMs)
  )
  const failed = step.workloads.filter((_, i) => !outcomes[i].ok)
  if (failed.length === 0) {
    return step.workloads.map((ref, i) => {
      const outcome = outcomes[i] as Extract<RolloutOutcome, { ok: true }>
      core.info(`${workloadLabel(ref)}: ${outcome.message}`)
      return { ref, revision: outcome.revision, message: outcome.message }
    })
  }
  const reasons = await group('Why the rollout failed', () =>
    Promise.all(failed.map((ref) => explain(kube, ref, outcomes[step.workloads.indexOf(ref)])))
  )
  const failure = reasons.join('\n')
  if (!step.undo) {
    throw new Error(step.notUndone ? `${failure}\n${step.notUndone}` : failure)
  }
  const undo = step.undo
  core.info(`${failure}\nUndoing the step…`)
  const undone = await group('Roll back', () => undo())
  throw new Error(`${failure}\n${undone}`)
}

/**
 * Waits for every workload's rollout at once, logging progress per workload; the outcomes in the
 * order of `workloads`.
 */
export function waitAll(
  kube: KubeClient,
  workloads: readonly WorkloadRef[],
  timeoutMs: number
): Promise<RolloutOutcome[]> {
  return Promise.all(
    workloads.map((ref) =>
      waitForRollout(kube, ref, {
        timeoutMs,
        onProgress: (message) => core.info(`${workloadLabel(ref)}: ${message}`)
      })
    )
  )
}

async function explain(
  kube: KubeClient,
  ref: WorkloadRef,
  outcome: RolloutOutcome
): Promise<string> {
  const label = workloadInNamespace(ref)
  let diagnosis: Diagnosis | undefined
  try {
    diagnosis = await diagnoseWorkload(kube, ref)
  } catch (error) {
    core.warning(`Could not read the pods of ${label}: ${String(error)}`)
  }
  for (const event of diagnosis?.events ?? []) {
    core.info(`event ${event.type} ${event.reason} on ${event.object}: ${event.message}`)
  }
  const line = `${label} did not roll out: ${outcome.ok ? '' : outcome.message}`
  return diagnosis?.summary ? `${line}\n${diagnosis.summary}` : line
}
