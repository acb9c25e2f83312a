import { DeploymentRecorder, runContext } from '../../github/index.js'
import type { DeployInputs } from './inputs.js'

export { DeploymentRecorder }

/** deploy-dev's recorder: the dev environment, transient unless told otherwise, not production. */
export function deployRecorder(inputs: DeployInputs): DeploymentRecorder {
  const github = runContext()
  return new DeploymentRecorder({
    token: inputs.githubToken,
    apiUrl: github.apiUrl,
    repository: github.repository,
    ref: github.sha,
    environment: inputs.environment,
    environmentUrl: inputs.environmentUrl,
    transient: inputs.transientEnvironment,
    production: false,
    logUrl: github.runUrl || undefined,
    label: 'deploy-dev'
  })
}
