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
  if (error instanceof Error) return error.message
  return String(error)
}
