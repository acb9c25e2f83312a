/**
 * The one way rollout-kit finishes a change to workloads: wait for their rollouts (all at once); when
 * one fails or runs out of time, say why per pod (the newest revision's pods and warning events),
 * undo the step (the caller's undo, which puts back what the step changed and waits for it), and
 * throw one error that says all of it. deploy-dev and every promote cluster stage go through here,
 * so a failed rollout reads the same and is undone the same wherever it happens.
 *
 * An undo that meets an API server that does not answer (the wait may have timed out during an
 * outage) is tried again until it answers, for as long as the step's timeout (at most a minute);
 * past that the error says plainly that what the step changed was left running, and what to run.
 *
 * A cancelled run (the step's `signal` aborted) stops waiting at once, undoes without waiting for
 * the undo's own rollout (the runner kills the process seconds later), and fails saying so.
 */
import * as core from '@actions/core'
import { messageOf } from '../../action/errors.js'
import { withRetry, type Verdict } from '../../retry/index.js'
import type { KubeClient } from '../client.js'
import { KubeError } from '../errors.js'
import { diagnoseWorkload, type Diagnosis } from './diagnose.js'
import { waitForRollout, type RolloutOutcome, type WorkloadRef } from './wait.js'

/** What a step changed and how to put it back. */
export interface RolloutStep {
  /** The workloads whose rollout the step started. */
  readonly workloads: readonly WorkloadRef[]
  readonly timeoutMs: number
  /**
   * Puts back what the step changed, waits for that (not when `cancelled`: the run is about to
   * end), and says what it did. Absent when the step must not be undone; `notUndone` then says so.
   */
  readonly undo?: (how: { readonly cancelled: boolean }) => Promise<string>
  /** Said after the reasons when there is no undo. */
  readonly notUndone?: string
  /** Log groups around the wait, the diagnosis and the undo (default: none). */
  readonly groups?: boolean
  /** The run's cancellation: aborting it stops the wait and undoes the step. */
  readonly signal?: AbortSignal
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
  let outcomes: RolloutOutcome[]
  try {
    outcomes = await group('Wait for the rollout', () =>
      waitAll(kube, step.workloads, step.timeoutMs, step.signal)
    )
  } catch (error) {
    if (!step.signal?.aborted) throw error
    throw new Error(await undoCancelled(step))
  }
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
  const undone = await group('Roll back', () =>
    undoWhenAnswered(kube, step, () => undo({ cancelled: false }))
  )
  throw new Error(`${failure}\n${undone}`)
}

/** Undoes a cancelled step at once (no diagnosis, no waiting): the message of its failure. */
async function undoCancelled(step: RolloutStep): Promise<string> {
  const workloads = step.workloads.map(workloadInNamespace).join(', ')
  const why = `${messageOf(step.signal?.reason)} while ${workloads} rolled out.`
  if (!step.undo) return step.notUndone ? `${why}\n${step.notUndone}` : why
  core.info(`${why}\nUndoing the step…`)
  try {
    return `${why}\n${await step.undo({ cancelled: true })}`
  } catch (error) {
    return `${why}\nCould not undo the step: ${messageOf(error)}`
  }
}

/** The longest an undo waits for an API server that does not answer. */
const UNDO_GRACE_MAX_MS = 60_000

/**
 * Runs the undo; while it fails because the API server does not answer (no HTTP status), tries
 * again every few seconds for the step's timeout (at most a minute). Past that, says what was left.
 */
async function undoWhenAnswered(
  kube: KubeClient,
  step: RolloutStep,
  undo: () => Promise<string>
): Promise<string> {
  const graceMs = Math.min(step.timeoutMs, UNDO_GRACE_MAX_MS)
  const policy = {
    attempts: Number.POSITIVE_INFINITY,
    baseDelayMs: 1000,
    maxDelayMs: 5000,
    deadline: performance.now() + graceMs
  }
  // only an API server that does not answer (no HTTP status) is waited for
  const unanswered = (error: unknown): Verdict =>
    error instanceof KubeError && error.status === undefined
      ? { retry: true, reason: messageOf(error) }
      : { retry: false }
  try {
    return await withRetry(
      policy,
      () => undo(),
      unanswered,
      (reason, delayMs) =>
        core.info(
          `Cannot undo yet, the API server does not answer (${reason}); trying again in ${(delayMs / 1000).toFixed(1)} s`
        )
    )
  } catch (error) {
    if (!unanswered(error).retry) throw error
    const left = step.workloads.map(workloadInNamespace).join(', ')
    const undoBy = step.workloads
      .map((w) => `kubectl rollout undo ${workloadLabel(w)} -n ${w.namespace}`)
      .join('; ')
    return (
      `Could not undo the step: the API server ${kube.server} did not answer for ` +
      `${Math.round(graceMs / 1000)} s (${messageOf(error)}). What the step changed was left ` +
      `running: ${left} may still be rolling out the new version. Run the step again once the ` +
      `API server answers, or put the previous version back by hand (${undoBy}).`
    )
  }
}

/**
 * Waits for every workload's rollout at once, logging progress per workload; the outcomes in the
 * order of `workloads`.
 */
export function waitAll(
  kube: KubeClient,
  workloads: readonly WorkloadRef[],
  timeoutMs: number,
  signal?: AbortSignal
): Promise<RolloutOutcome[]> {
  return Promise.all(
    workloads.map((ref) =>
      waitForRollout(kube, ref, {
        timeoutMs,
        // the step was just answered by the API server: an outage from here on is ridden out
        patient: true,
        signal,
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
