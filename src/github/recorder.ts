import * as core from '@actions/core'
import { messageOf } from '../action/errors.js'
import { startDeployment, type RecordedDeployment } from './deployments.js'

/** Where and how a run records its Deployment. */
export interface RecorderOptions {
  /** No token: nothing is recorded, and `note` says so. */
  readonly token?: string
  readonly apiUrl: string
  /** `owner/name`; empty outside a workflow run, and then nothing is recorded. */
  readonly repository: string
  /** The commit deployed. */
  readonly ref: string
  readonly environment: string
  readonly environmentUrl?: string
  readonly transient: boolean
  readonly production: boolean
  /** The workflow run's page. */
  readonly logUrl?: string
  /** The action's name, put before each description (`deploy-dev`, `promote canary`). */
  readonly label: string
  /** Data stored with the Deployment (image, digest, stage…). */
  readonly payload?: Record<string, unknown>
}

/**
 * The GitHub Deployment of a run, started only when the cluster is about to change and finished
 * with the outcome. Recording never fails a deploy: a GitHub API error is a warning; without a
 * token, `note` says that nothing was recorded.
 */
export class DeploymentRecorder {
  private deployment?: RecordedDeployment
  private started = false
  /** Why no Deployment was recorded, when none was. */
  note?: string

  constructor(private readonly options: RecorderOptions) {}

  /** Creates the Deployment with an in_progress status (once). */
  async begin(description: string): Promise<void> {
    if (this.started) return
    this.started = true
    const { token, ...options } = this.options
    if (!token) {
      this.note = 'No GitHub Deployment was recorded: no `github-token` was given.'
      core.info(this.note)
      return
    }
    if (!options.repository || !options.ref) {
      this.note =
        'No GitHub Deployment was recorded: not in a workflow run (no GITHUB_REPOSITORY or GITHUB_SHA).'
      core.info(this.note)
      return
    }
    try {
      this.deployment = await startDeployment({
        ...options,
        token,
        description: `${options.label} ${description}`
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
        environmentUrl: this.options.environmentUrl,
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
