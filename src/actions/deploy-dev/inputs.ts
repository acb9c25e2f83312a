import { InputError } from '../../action/errors.js'
import * as input from '../../action/inputs.js'
import { parseImageOverrides, type ImageOverride } from '../../kube/index.js'
import {
  type ImageRef,
  parseTagFilter,
  parseTagPolicy,
  type TagPolicy
} from '../../registry/index.js'
import { referenceInput, secretNamesInput } from '../shared/inputs.js'

/** The kinds whose rollout deploy-dev can follow, as `workload` names them. */
const WORKLOAD_KINDS = {
  deployment: 'Deployment',
  statefulset: 'StatefulSet',
  daemonset: 'DaemonSet'
} as const

/** A workload named by the `workload` input. */
export interface WorkloadName {
  readonly kind: (typeof WORKLOAD_KINDS)[keyof typeof WORKLOAD_KINDS]
  readonly name: string
}

/** What every mode shares. */
interface CommonInputs {
  /** Namespace override; undefined to use the kubeconfig's. */
  readonly namespace?: string
  /** Kubeconfig content (masked), or undefined for $KUBECONFIG. */
  readonly kubeconfig?: string
  readonly context?: string
  readonly timeoutMs: number
  readonly rollbackOnFailure: boolean
  readonly environment: string
  readonly environmentUrl?: string
  readonly transientEnvironment: boolean
  readonly githubToken?: string
  readonly registryCredentials?: { readonly username: string; readonly password: string }
  readonly insecureRegistries: readonly string[]
  readonly fieldManager: string
  /**
   * Secrets (kubernetes.io/dockerconfigjson) every pod template written names in
   * `imagePullSecrets`: apply adds them to every workload of the manifests, poll to the workload it
   * updates. Empty: pod templates keep what they have.
   */
  readonly imagePullSecrets: readonly string[]
}

/** `mode: apply`: manifests with images set. */
export interface ApplyInputs extends CommonInputs {
  readonly mode: 'apply'
  readonly manifests: readonly string[]
  readonly images: readonly ImageOverride[]
}

/** `mode: poll`: a repository watched for the image a policy selects. */
export interface PollInputs extends CommonInputs {
  readonly mode: 'poll'
  readonly repository: ImageRef
  readonly policy: TagPolicy
  readonly tagFilter?: RegExp
  readonly workload: WorkloadName
  readonly container?: string
}

export type DeployInputs = ApplyInputs | PollInputs

/** Reads and checks deploy-dev's inputs; throws one InputError for the first bad one. */
export function readInputs(): DeployInputs {
  const mode = input.oneOf('mode', ['apply', 'poll'] as const, 'apply')
  const common = commonInputs()
  if (mode === 'apply') {
    const manifests = input.list('manifests')
    if (manifests.length === 0) {
      throw new InputError('manifests', '', 'manifest files or folders, one per line (mode apply)')
    }
    return { ...common, mode, manifests, images: parseImageOverrides(input.list('images')) }
  }
  return {
    ...common,
    mode,
    repository: watchedRepository(),
    policy: parseTagPolicy(input.required('policy')),
    tagFilter: parseTagFilter(input.text('tag-filter')),
    workload: workloadName(),
    container: input.text('container') || undefined
  }
}

function commonInputs(): CommonInputs {
  const registryCredentials = input.credentialPair('registry')
  const namespace = input.text('namespace')
  if (namespace && !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(namespace)) {
    throw new InputError('namespace', namespace, 'a DNS label (lower case letters, digits, -)')
  }
  const kubeconfig = input.secret('kubeconfig')
  const fieldManager = input.text('field-manager') || 'rollout-kit'
  return {
    namespace: namespace || undefined,
    kubeconfig: kubeconfig || undefined,
    context: input.text('context') || undefined,
    timeoutMs: input.positiveDuration('timeout', '10m'),
    rollbackOnFailure: input.boolean('rollback-on-failure', true),
    environment: input.text('environment') || 'dev',
    environmentUrl: input.httpUrl('environment-url'),
    transientEnvironment: input.boolean('transient-environment', true),
    githubToken: input.secret('github-token') || undefined,
    registryCredentials,
    insecureRegistries: input.list('insecure-registries', { commas: true }),
    fieldManager,
    imagePullSecrets: secretNamesInput(
      'image-pull-secrets',
      input.list('image-pull-secrets', { commas: true })
    )
  }
}

function watchedRepository(): ImageRef {
  const lines = input.list('images')
  if (lines.length !== 1) {
    throw new InputError(
      'images',
      lines.join(', '),
      'exactly one repository to watch in mode poll, e.g. ghcr.io/acme/web'
    )
  }
  const value = lines[0]
  const ref = referenceInput('images', value, 'a repository')
  if (ref.tag !== undefined || ref.digest !== undefined) {
    throw new InputError('images', value, 'a repository without tag or digest (mode poll)')
  }
  return ref
}

function workloadName(): WorkloadName {
  const value = input.required('workload')
  const match = /^([a-z]+)\/([a-z0-9]([-a-z0-9.]*[a-z0-9])?)$/.exec(value)
  const kind = match ? WORKLOAD_KINDS[match[1] as keyof typeof WORKLOAD_KINDS] : undefined
  if (!match || !kind) {
    throw new InputError(
      'workload',
      value,
      'deployment/<name>, statefulset/<name> or daemonset/<name>'
    )
  }
  return { kind, name: match[2] }
}
