/**
 * Cancellation of a run. The runner sends SIGINT to the action when its run is cancelled or a newer
 * run of its concurrency group replaces it, SIGTERM about 7.5 s later, and then kills it. Node's
 * default is to die at once, which leaves a cluster between versions, a GitHub Deployment
 * `in_progress` and promote's claim in place. `cancellation()` installs handlers instead: the first
 * signal aborts the signal it returns (with a CancelledError naming the signal), so that the step
 * stops waiting, undoes what it started, records the failure and fails; whatever is still running
 * after EXIT_WITHIN_MS, and a second signal, ends the process.
 */
import * as core from '@actions/core'
import { constants } from 'node:os'

/** How long after the first signal the process ends, undone or not: well before the runner kills. */
export const EXIT_WITHIN_MS = 4500

/** The reason of an aborted cancellation signal. */
export class CancelledError extends Error {
  constructor(readonly signal: NodeJS.Signals) {
    super(`The run was cancelled (${signal})`)
    this.name = 'CancelledError'
  }
}

let controller: AbortController | undefined

/** The run's cancellation, aborted by the first SIGINT or SIGTERM; installs the handlers once. */
export function cancellation(): AbortSignal {
  if (controller) return controller.signal
  const current = new AbortController()
  controller = current
  const exitCode = (signal: NodeJS.Signals): number => 128 + (constants.signals[signal] ?? 0)
  const onSignal = (signal: NodeJS.Signals): void => {
    if (current.signal.aborted) process.exit(exitCode(signal))
    core.info(`${signal} received: the run is cancelled; stopping and undoing the step in progress`)
    current.abort(new CancelledError(signal))
    setTimeout(() => {
      core.error(
        `The run was cancelled (${signal}) and the step could not finish undoing within ${EXIT_WITHIN_MS / 1000} s; see the log above for what was done`
      )
      process.exit(exitCode(signal))
    }, EXIT_WITHIN_MS).unref()
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  return current.signal
}

/** Whether the run has been cancelled (false when `cancellation()` was never asked for). */
export function cancelled(): boolean {
  return controller?.signal.aborted ?? false
}
