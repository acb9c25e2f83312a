/** GitHub for the actions: the run's context, Deployments and their statuses, commit statuses. */

/** The git context of a workflow run, read from GITHUB_* variables and the event payload. */
export { readGitHubContext, parseGitHubContext, runContext } from './context.js'
/** The git context, the run an action reports to, environment maps and ref kinds. */
export type { GitHubContext, RunContext, Env, RefType } from './context.js'

/** Creates a Deployment for an environment and reports it `in_progress`. */
export { startDeployment } from './deployments.js'
/** A created Deployment, whose state `status()` reports. */
export type { RecordedDeployment } from './deployments.js'
/** What to record, where, and with which credentials and retries. */
export type { DeploymentOptions } from './deployments.js'
/** The states a deploy reports: in_progress, success, failure, error. */
export type { DeploymentState } from './deployments.js'
/** A failed GitHub API call naming server, operation and, when it answered, the HTTP status. */
export { GitHubError } from './errors.js'
/** Sets a commit status (pending, success, failure, error) under a context, retrying transient answers. */
export { setCommitStatus } from './statuses.js'
/** Which commit, state, context, description and link to set, with credentials and retries. */
export type { CommitStatusOptions, CommitState } from './statuses.js'
/** A run's Deployment: started when the cluster is about to change, finished with the outcome. */
export { DeploymentRecorder, type RecorderOptions } from './recorder.js'
