/** For tests of what fails: the error a promise rejects with. */

/** The error `promise` rejects with; throws when it resolves instead. */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise
  } catch (error) {
    return error as Error
  }
  throw new Error('expected a rejection')
}
