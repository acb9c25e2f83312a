import { InputError } from '../../../action/errors.js'
import * as input from '../../../action/inputs.js'
import type { ImageRef } from '../../../registry/index.js'
import { imageInput, type Credentials, secretNamesInput } from '../../shared/inputs.js'

/** The stages that act on a cluster. */
export type ClusterStage = 'canary' | 'production' | 'rollback' | 'finalize'

/** How traffic reaches the canary, or which switch a blue-green promotion flips. */
export type TrafficMethod = 'replicas' | 'nginx' | 'gateway-api'

/** The kinds of stable workload promote's cluster stages move. */
export type WorkloadKind = 'Deployment' | 'StatefulSet'

/** What every cluster stage's inputs have, parsed and checked before anything runs. */
interface CommonClusterInputs {
  /** The image to roll out (a digest, or a tag resolved once); optional for production with a canary running, rollback and finalize. */
  readonly source?: ImageRef
  readonly strategy: 'canary' | 'blue-green'
  readonly traffic: TrafficMethod
  /** Run a baseline (stable's image at the canary's size) beside the canary. */
  readonly baseline: boolean
  /** The stable workload's kind: a Deployment, or a StatefulSet (canaried by its partition). */
  readonly kind: WorkloadKind
  /** The stable workload's name (`deployment/<name>` or `statefulset/<name>` in the input). */
  readonly workload: string
  /** Manifests that create the workload when it does not exist yet (stage production). */
  readonly manifests: readonly string[]
  /** Secret names added to the imagePullSecrets of every pod template promote writes. */
  readonly imagePullSecrets: readonly string[]
  /** The container whose image is set; undefined to find it by the source's repository. */
  readonly container?: string
  /** The Service in front of the workload; undefined to find the one selecting its pods. */
  readonly service?: string
  /** The Ingress (nginx) or HTTPRoute (gateway-api) to use; undefined for every one routing to the Service. */
  readonly route?: string
  readonly namespace?: string
  /** Kubeconfig content (masked), or undefined for $KUBECONFIG. */
  readonly kubeconfig?: string
  readonly context?: string
  readonly timeoutMs: number
  /** How long blue-green keeps the old colour running before a later run scales it down. */
  readonly scaleDownDelayMs: number
  /** The GitHub environment the Deployment records go to. */
  readonly environment: string
  readonly environmentUrl?: string
  readonly githubToken?: string
  /** Check everything and say what would change, without changing it. */
  readonly dryRun: boolean
  /** Credentials of the source's registry, to resolve a tag. */
  readonly sourceCredentials?: Credentials
  readonly insecureRegistries: readonly string[]
  readonly fieldManager: string
}

/** stage canary: the image to run as the canary, and its share of traffic in percent. */
export interface CanaryInputs extends CommonClusterInputs {
  readonly stage: 'canary'
  readonly source: ImageRef
  readonly weight: number
}

/** stage production, rollback or finalize: the source is optional. */
export interface OtherClusterInputs extends CommonClusterInputs {
  readonly stage: Exclude<ClusterStage, 'canary'>
  readonly weight?: undefined
}

/** A cluster stage's inputs; `stage` tells which. */
export type ClusterInputs = CanaryInputs | OtherClusterInputs

const NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/

/** Reads and checks a cluster stage's inputs; throws one InputError for the first bad one. */
export function readClusterInputs(stage: ClusterStage): ClusterInputs {
  const sourceCredentials = input.credentialPair('source')
  const strategy = input.oneOf('strategy', ['canary', 'blue-green'] as const, 'canary')
  const traffic = input.oneOf('traffic', ['replicas', 'nginx', 'gateway-api'] as const, 'replicas')
  const source = input.text('source') ? imageInput('source', input.text('source')) : undefined
  const baseline = input.boolean('baseline', false)
  // what a StatefulSet cannot do is said before what the weight cannot be
  const workload = workloadInput()
  if (workload.kind === 'StatefulSet') checkStatefulSet({ strategy, traffic, baseline })
  let variant:
    | Pick<CanaryInputs, 'stage' | 'source' | 'weight'>
    | Pick<OtherClusterInputs, 'stage' | 'source' | 'weight'>
  if (stage === 'canary') {
    const weight = canaryWeight(traffic, baseline)
    if (strategy === 'blue-green') {
      throw new InputError(
        'strategy',
        strategy,
        'canary with stage canary (blue-green switches all traffic in stage production)'
      )
    }
    if (!source) throw new InputError('source', '', 'the image to run as the canary (stage canary)')
    variant = { stage, source, weight }
  } else {
    variant = { stage, source, weight: undefined }
  }
  if (strategy === 'blue-green' && traffic === 'nginx') {
    throw new InputError(
      'traffic',
      traffic,
      'replicas (the Service selector is switched) or gateway-api (the HTTPRoute is switched) with strategy blue-green'
    )
  }
  const namespace = input.text('namespace')
  if (namespace && !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(namespace)) {
    throw new InputError('namespace', namespace, 'a DNS label (lower case letters, digits, -)')
  }
  const common = {
    strategy,
    traffic,
    baseline,
    kind: workload.kind,
    workload: workload.name,
    manifests: input.list('manifests'),
    imagePullSecrets: secretNamesInput(
      'image-pull-secrets',
      input.list('image-pull-secrets', { commas: true })
    ),
    container: optionalName('container'),
    service: optionalName('service'),
    route: optionalName('route'),
    namespace: namespace || undefined,
    kubeconfig: input.secret('kubeconfig') || undefined,
    context: input.text('context') || undefined,
    timeoutMs: input.positiveDuration('timeout', '10m'),
    scaleDownDelayMs: input.duration('scale-down-delay', '30m'),
    environment: input.text('environment') || 'production',
    environmentUrl: input.httpUrl('environment-url'),
    githubToken: input.secret('github-token') || undefined,
    dryRun: input.boolean('dry-run', false),
    sourceCredentials,
    insecureRegistries: input.list('insecure-registries', { commas: true }),
    fieldManager: input.text('field-manager') || 'rollout-kit'
  }
  return { ...common, ...variant }
}

/**
 * The canary's weight. Replica ratios cannot give the canary all traffic without taking stable to
 * zero (that is stage production), nor half or more beside a baseline of its own size.
 */
function canaryWeight(traffic: string, baseline: boolean): number {
  const weight = input.integer('weight', { min: 0, max: 100 })
  if (traffic === 'replicas' && weight === 100) {
    throw new InputError(
      'weight',
      '100',
      'below 100 with traffic replicas (stable keeps its replicas; stage production moves all traffic)'
    )
  }
  if (traffic === 'replicas' && baseline && weight >= 50) {
    throw new InputError(
      'weight',
      String(weight),
      'below 50 with traffic replicas and a baseline (the baseline takes as much traffic as the canary)'
    )
  }
  if (traffic !== 'replicas' && baseline && weight > 50) {
    throw new InputError(
      'weight',
      String(weight),
      'at most 50 with a baseline (the baseline takes as much traffic as the canary)'
    )
  }
  return weight
}

function workloadInput(): { kind: WorkloadKind; name: string } {
  const value = input.required('workload')
  const match = /^(deployment|deployments|deploy|statefulset|statefulsets|sts)\/(.+)$/.exec(value)
  if (!match || !NAME.test(match[2]) || match[2].length > 253) {
    throw new InputError(
      'workload',
      value,
      'deployment/<name> or statefulset/<name> (promote moves Deployments and StatefulSets)'
    )
  }
  return { kind: match[1].startsWith('d') ? 'Deployment' : 'StatefulSet', name: match[2] }
}

/**
 * What a StatefulSet cannot do: its canary is its own pods at the highest ordinals (by the update
 * partition), behind stable's Service, so there is no second workload to weight traffic to, to run
 * a baseline beside, or to switch to as another colour.
 */
function checkStatefulSet(options: { strategy: string; traffic: string; baseline: boolean }): void {
  if (options.strategy === 'blue-green') {
    throw new InputError(
      'strategy',
      options.strategy,
      'canary with a StatefulSet (blue-green needs a second copy of the workload; a StatefulSet is canaried by its update partition)'
    )
  }
  if (options.traffic !== 'replicas') {
    throw new InputError(
      'traffic',
      options.traffic,
      "replicas with a StatefulSet (its canary pods are stable's own pods, behind stable's Service: no route can weight them apart)"
    )
  }
  if (options.baseline) {
    throw new InputError(
      'baseline',
      'true',
      "false with a StatefulSet (its canary pods are stable's own pods: there is no separate baseline to run)"
    )
  }
}

function optionalName(name: string): string | undefined {
  const value = input.text(name)
  if (value && !NAME.test(value)) {
    throw new InputError(name, value, 'an object name (lower case letters, digits, -, .)')
  }
  return value || undefined
}
