import * as core from '@actions/core'
import { cancelled } from '../../action/cancel.js'
import { messageOf } from '../../action/errors.js'
import { readInputs } from './inputs.js'

/**
 * promote: inputs → the stage. Each stage's code is loaded only once the inputs are good, and only
 * its own: a release never compiles the Kubernetes client, a cluster stage loads the registry
 * client only to resolve a tag.
 */
export async function run(): Promise<void> {
  try {
    const inputs = readInputs()
    if (inputs.stage === 'release') {
      const { promoteRelease } = await import('./release/stage.js')
      await promoteRelease(inputs)
    } else if (inputs.stage === 'verify') {
      const { verifyStage } = await import('./release/verify.js')
      await verifyStage(inputs)
    } else {
      const { runClusterStage } = await import('./cluster/stage.js')
      await runClusterStage(inputs)
    }
  } catch (error) {
    core.setFailed(messageOf(error))
  } finally {
    // cancelled: end now that the step is undone and recorded, before the runner kills the process
    if (cancelled()) process.exit(process.exitCode ?? 1)
  }
}
