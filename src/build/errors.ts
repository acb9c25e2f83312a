/**
 * Errors thrown by src/build. It sits on the middle floor and may not import src/action, so it has its
 * own input error with the same message shape as src/action's InputError.
 */

/** A value the build cannot accept: names the input, the value and what would be accepted. */
export class BuildInputError extends Error {
  constructor(
    readonly input: string,
    readonly value: string,
    readonly accepted: string
  ) {
    super(`Input '${input}' is '${value}'; expected ${accepted}`)
    this.name = 'BuildInputError'
  }
}

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
