import * as core from '@actions/core'
import { messageOf } from '../../action/errors.js'
import { readInputs } from './inputs.js'

/** canary-gate: inputs → run the gate → evidence and commit status → outputs, summary, pass or fail. */
export async function run(): Promise<void> {
  try {
    const inputs = readInputs()
    // Loaded only once the inputs are good: a bad input fails without compiling the registry client.
    const { runGate } = await import('./gate.js')
    await runGate(inputs)
  } catch (error) {
    core.setFailed(messageOf(error))
  }
}
