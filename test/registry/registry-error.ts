import { expect } from '@jest/globals'
import { RegistryError } from '../../src/registry/index.js'

/** The rejection of `promise`, which must be a RegistryError. */
export async function registryError(promise: Promise<unknown>): Promise<RegistryError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e
  )
  expect(error).toBeInstanceOf(RegistryError)
  return error as RegistryError
}
