import * as core from '@actions/core'
import { messageOf } from '../../action/errors.js'
import { readGitHubContext } from '../../build/index.js'
import type { RecordedDeployment } from '../../github/index.js'
import type { DeployInputs } from './inputs.js'

/**
 * The GitHub Deployment of this run, started only when the cluster is about to change (a poll that
 * finds nothing new records nothing) and finished with the outcome. Recording never fails a deploy:
 * a GitHub API error is a warning; without a token, the summary says that nothing was recorded.
 */
export class DeploymentRecorder {
  private deployment?: RecordedDeployment
  private started = false
  /** Why no Deployment was recorded, when none was. */
  note?: string

  constructor(private readonly inputs: DeployInputs) {}

  /** Creates the Deployment with an in_progress status (once). */
  async begin(description: string): Promise<void> {
    if (this.started) return
    this.started = true
    if (!this.inputs.githubToken) {
      this.note = 'No GitHub Deployment was recorded: no `github-token` was given.'
      core.info(this.note)
      return
    }
    try {
      const github = readGitHubContext(process.env)
      const { startDeployment } = await import('../../github/index.js')
      this.deployment = await startDeployment({
        token: this.inputs.githubToken,
        apiUrl: process.env.GITHUB_API_URL || 'https://api.github.com',
        repository: github.repository,
        ref: github.sha,
        environment: this.inputs.environment,
        transient: this.inputs.transientEnvironment,
        production: false,
        description: `deploy-dev ${description}`,
        logUrl: github.runUrl
      })
    } catch (error) {
      this.note = `No GitHub Deployment was recorded: ${messageOf(error)}`
      core.warning(this.note)
    }
  }

  /** Sets the final status; a failure to do so is a warning. */
  async finish(state: 'success' | 'failure', description: string): Promise<void> {
    if (!this.deployment) return
    try {
      await this.deployment.status(state, {
        environmentUrl: this.inputs.environmentUrl,
        description
      })
    } catch (error) {
      core.warning(
        `Could not set GitHub Deployment ${this.deployment.id} to ${state}: ${messageOf(error)}`
      )
    }
  }

  /** The Deployment's id, when one was recorded. */
  get id(): string | undefined {
    return this.deployment ? String(this.deployment.id) : undefined
  }
}
