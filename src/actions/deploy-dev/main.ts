import * as core from '@actions/core'
import { cancelled } from '../../action/cancel.js'
import { messageOf } from '../../action/errors.js'
import { readInputs } from './inputs.js'

/** deploy-dev: inputs → kubeconfig → apply or poll → rollout (rolled back on failure) → outputs. */
export async function run(): Promise<void> {
  try {
    const inputs = readInputs()
    // Loaded only once the inputs are good: a bad input fails without compiling the Kubernetes client.
    const { deploy } = await import('./deploy.js')
    await deploy(inputs)
  } catch (error) {
    core.setFailed(messageOf(error))
  } finally {
    // cancelled: end now that the step is undone and recorded, before the runner kills the process
    if (cancelled()) process.exit(process.exitCode ?? 1)
  }
}
