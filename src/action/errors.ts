/** A user's input that cannot be accepted: names the input, the value and what would be. */
export class InputError extends Error {
  constructor(
    readonly input: string,
    readonly value: string,
    readonly accepted: string
  ) {
    super(`Input '${input}' is '${value}'; expected ${accepted}`)
    this.name = 'InputError'
  }
}

/** The message to show a user for any thrown value: no stack for errors, a string for the rest. */
export function messageOf(error: unknown): string {
  // duck-typed: errors from another realm (node:fs errors under jest's vm) fail `instanceof Error`
  if (error instanceof Error) return error.message
  if (typeof error === 'object' && error !== null && 'message' in error) {
    const { message } = error as { message: unknown }
    if (typeof message === 'string') return message
  }
  return String(error)
}
