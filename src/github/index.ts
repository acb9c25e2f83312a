/** GitHub's record of deploys: Deployments and their statuses, through the REST API. */

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
