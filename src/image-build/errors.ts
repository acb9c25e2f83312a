/**
 * Errors thrown by src/image-build. Bad input is src/action's InputError (the ground floor), so that every
 * action reports it in the same words.
 */
export { InputError } from '../action/errors.js'

/** An external tool that exited non-zero: the command, its exit code and the end of its stderr. */
export class ToolError extends Error {
  constructor(
    readonly command: string,
    readonly exitCode: number,
    readonly stderrTail: string
  ) {
    super(`${command} failed (exit ${exitCode})${stderrTail ? `: ${stderrTail}` : ''}`)
    this.name = 'ToolError'
  }
}

/** No usable builder on this machine, or the one asked for is missing. */
export class BuilderUnavailableError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'BuilderUnavailableError'
  }
}
