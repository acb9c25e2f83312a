/** Kubernetes for the actions: kubeconfig, manifests and images, apply, rollout, diagnosis, rollback. */

/** The kubeconfig of the `kubeconfig` input, $KUBECONFIG or ~/.kube/config, merged as kubectl does. */
export { loadKubeConfig, openKubeConfig, KubeconfigError } from './kubeconfig.js'
/** A loaded kubeconfig: the client-node KubeConfig, server, context, namespace and source. */
export type { LoadedKubeConfig, KubeConfigOptions } from './kubeconfig.js'
/** Manifests from files and folders, with file-and-line errors. */
export { loadManifests, parseManifest, ManifestError } from './manifests.js'
/** A manifest's object and where it was read. */
export type { KubeObject, ManifestDocument, ManifestProblem } from './manifests.js'
/** Image overrides (`ref` or `name=ref`) set into the pod specs of workloads. */
export { parseImageOverrides, substituteImages } from './images.js'
/** An image override and a substitution made with it. */
export type { ImageOverride, Substitution } from './images.js'
/** A small client on @kubernetes/client-node: discovery, get, list, apply, update, delete. */
export { KubeClient, UnknownKindError, refOf, resourceName } from './client.js'
/** Object references and what discovery says about a kind. */
export type { ObjectRef, ResourceInfo, KubeClientOptions, NewObject } from './client.js'
/** Server-side apply of documents: checked and dry-run first, then applied in dependency order. */
export { applyManifests, ApplyError } from './apply/apply.js'
/** An applied object with its state before and after. */
export type { AppliedObject, ApplyOptions } from './apply/apply.js'
/** Waits for a workload's rollout, driven by watch events, with kubectl's semantics. */
export { waitForRollout } from './rollout/wait.js'
/** A workload to wait for, and how its rollout ended. */
export type { WorkloadRef, RolloutOutcome, WaitOptions } from './rollout/wait.js'
/** kubectl's rollout status of a Deployment, StatefulSet or DaemonSet. */
export { rolloutState, type RolloutState } from './rollout/status.js'
/** Roll out, or say why per pod and undo the step: how every action finishes a workload change. */
export {
  rollOutOrUndo,
  waitAll,
  workloadLabel,
  workloadInNamespace,
  type RolloutStep,
  type RolledOut
} from './rollout/or-undo.js'
/** Why a workload's newest pods are not ready, with warning events. */
export { diagnoseWorkload } from './rollout/diagnose.js'
/** A diagnosis of a workload's pods. */
export type { Diagnosis, DiagnosisEvent, DiagnoseOptions } from './rollout/diagnose.js'
/** Puts back the pod template a workload ran before this run's apply. */
export {
  rollbackWorkload,
  ROLLBACK_FIELD_MANAGER,
  type RollbackResult
} from './rollout/rollback.js'
/** A failure of the API server naming server, verb, resource, namespace and status. */
export { KubeError, kubeError, classifyKube, type KubeOperation } from './errors.js'
/** Canary, baseline and green copies of a stable Deployment. */
export {
  variantDeployment,
  variantName,
  variantSelector,
  variantPromQLSelector,
  relabelled,
  withReplicas,
  replicasOf,
  podLabelsOf,
  TRACK_LABEL,
  WORKLOAD_LABEL,
  type Track,
  type VariantOptions
} from './variants.js'
/**
 * What a workload is: its pod spec, containers, the container an action acts on, its image pull
 * secrets, its revision.
 */
export {
  podSpecOf,
  containersOf,
  imageOf,
  withContainerImage,
  withImagePullSecrets,
  pickContainer,
  revisionOf,
  parseImage,
  repositoryOfImage,
  REVISION_ANNOTATION,
  type WorkloadContainer,
  type ContainerWanted,
  type ContainerChoice
} from './workload.js'
/** A workload's promotion state in annotations, and the claim a run holds on it. */
export {
  readState,
  readClaim,
  claimWorkload,
  settleWorkload,
  withAnnotations,
  ClaimedError,
  LOCK_ANNOTATION,
  type PromotionState,
  type PromotionStage,
  type Claim
} from './promotion-state.js'
/** The Service in front of a workload, variant Services, selector switches. */
export {
  findService,
  ensureVariantService,
  setServiceSelector,
  deleteServiceIfPresent,
  selectorMatches,
  TrafficError
} from './traffic/services.js'
/** ingress-nginx canary Ingresses with a weight. */
export {
  ingressesFor,
  setNginxCanary,
  nginxCanaryWeight,
  removeNginxCanary,
  canaryIngressName
} from './traffic/nginx.js'
/** Gateway API HTTPRoute backend weights and switches. */
export {
  routesFor,
  setRouteBackends,
  routeWeights,
  restoreRouteBackends
} from './traffic/gateway.js'
export {
  configRefsOf,
  fieldDifferences,
  hashedConfigName,
  withConfigNames,
  type ConfigRef,
  type FieldDifference
} from './pod-config.js'
export { autoscalerFor, autoscalerOf, type Autoscaler } from './autoscaler.js'
export { selectorString } from './rollout/pod-problems.js'
