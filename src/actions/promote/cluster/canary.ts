import * as core from '@actions/core'
import { messageOf } from '../../../action/errors.js'
import {
  autoscalerOf,
  type Autoscaler,
  deleteServiceIfPresent,
  imageOf,
  type KubeObject,
  type PromotionState,
  readState,
  refOf,
  replicasOf,
  variantDeployment,
  variantName,
  variantPromQLSelector,
  withImagePullSecrets,
  withReplicas,
  type Track
} from '../../../kube/index.js'
import {
  applyConfig,
  logDifferences,
  renderChange,
  templateDifferences,
  templateRows,
  type TemplateChange
} from './change.js'
import type { CanaryContext, ClusterContext, StageResult } from './context.js'
import { canaryTraffic, resetCanaryTraffic, type CanaryTraffic } from './traffic.js'
import { awaitRollout, claim, getStable, chooseContainer, release, settle } from './workload.js'

/** Replica counts that give the canary its share; `weight` is what they give in truth. */
export interface CanarySize {
  readonly canary: number
  readonly baseline: number
  /** The canary's share of traffic, in percent, rounded. */
  readonly weight: number
}

/**
 * The canary's (and baseline's) replicas for a weight beside `stable` replicas. By replica ratio,
 * stable keeps its replicas and the canary gets the count nearest to the weight (at least one when
 * the weight is above zero): 20 % beside 4 stable is 1 canary, beside 1 stable it is 1 (50 %), which
 * the result says. By ingress or route weights, the canary is sized to its share of the load.
 */
export function canarySize(
  method: string,
  stable: number,
  weight: number,
  baseline: boolean
): CanarySize {
  if (method !== 'replicas') {
    const n = weight === 0 ? 1 : Math.max(1, Math.ceil((stable * weight) / 100))
    return { canary: n, baseline: baseline ? n : 0, weight }
  }
  if (weight === 0) return { canary: 0, baseline: 0, weight: 0 }
  const share = weight / 100
  const each = baseline ? (stable * share) / (1 - 2 * share) : (stable * share) / (1 - share)
  const n = Math.max(1, Math.round(each))
  const total = stable + n * (baseline ? 2 : 1)
  return { canary: n, baseline: baseline ? n : 0, weight: Math.round((100 * n) / total) }
}

/**
 * The stable replicas a canary's share is of: those an HPA on stable keeps now (its
 * `currentReplicas`, which it may have changed since stable's spec was last read), else stable's.
 */
export function replicasToShare(stable: KubeObject, autoscaler: Autoscaler | undefined): number {
  return autoscaler?.currentReplicas ?? replicasOf(stable)
}

/**
 * stage canary: the source's digest as a canary beside stable, at a weight; called again, the
 * weight changes. Each step waits for its rollout; a failure undoes the step's changes.
 */
export async function canaryStage(context: CanaryContext): Promise<StageResult> {
  const { inputs, kube, image } = context
  const weight = inputs.weight
  const stable = await getStable(
    context,
    'a canary runs beside a stable Deployment; roll out the first version with stage production'
  )
  const state = readState(stable)
  const { name: container, image: stableImage } = chooseContainer(context, stable, state)
  const change = await renderChange(context, container, image, stable)
  // what the canary changes besides the image, stable's live template against the manifests: the
  // intended change, and whatever a `kubectl edit` of production made that the manifests undo
  const differences = change ? await templateDifferences(context, stable, change, container) : []
  // a change of configuration alone (the image stable runs) goes through a canary too
  const check = (live: KubeObject, now: PromotionState) =>
    checkCanary(context, live, now, container, differences.length > 0)
  // the state first: an illegal transition is refused as such, before the traffic is looked at
  check(stable, state)
  if (change) logDifferences(context, change, differences)
  const traffic = await canaryTraffic(context, stable, inputs.traffic)
  // an HPA owns stable's size: the canary's share is of the replicas it keeps now
  const autoscaler = await autoscalerOf(kube, context.namespace, {
    kind: 'Deployment',
    name: context.ref.name
  })
  const stableReplicas = replicasToShare(stable, autoscaler)
  const size = canarySize(inputs.traffic, stableReplicas, weight, inputs.baseline)
  const before = await kube.get<KubeObject>({
    ...context.ref,
    name: variantName(context.ref.name, 'canary')
  })
  if (inputs.dryRun) {
    return {
      image,
      changed: false,
      weight: size.weight,
      message: `Would run ${image} as deployment/${variantName(context.ref.name, 'canary')} (${size.canary} replicas) at ${size.weight} % by ${inputs.traffic}${change ? ` with the pod template of ${change.files}` : ''}`,
      rows: templateRows(change, differences, true)
    }
  }
  await core.group('Claim the workload', () => claim(context, check))
  try {
    await context.begin(`canary ${size.weight} % ${image}`)
    const lines = await core.group('Run the canary', () =>
      runCanary(context, { stable, container, stableImage, image, size, traffic, before, change })
    )
    const previousWeight = state.stage === 'canary' ? state.weight : undefined
    await settle(context, {
      stage: 'canary',
      strategy: 'canary',
      container,
      stableImage,
      canaryImage: image,
      weight: size.weight,
      traffic: inputs.traffic,
      baseline: inputs.baseline,
      scaleDownAt: undefined,
      activeColor: undefined
    })
    const changed =
      previousWeight !== size.weight ||
      before === undefined ||
      (state.baseline ?? false) !== inputs.baseline
    const selector = (track: Track) =>
      variantPromQLSelector(context.namespace, context.ref.name, track)
    return {
      image,
      previousImage: stableImage,
      changed,
      weight: size.weight,
      selectors: {
        canary: selector('canary'),
        baseline: inputs.baseline ? selector('baseline') : undefined
      },
      message: `${image} runs as the canary of ${context.label} at ${size.weight} % of the traffic (${inputs.traffic})`,
      rows: [
        [
          'canary',
          `deployment/${variantName(context.ref.name, 'canary')}, ${size.canary} replicas`
        ],
        ...(inputs.baseline
          ? ([
              [
                'baseline',
                `deployment/${variantName(context.ref.name, 'baseline')}, ${size.baseline} replicas`
              ]
            ] as const)
          : []),
        [
          'stable',
          `${context.label}, ${stableReplicas} replicas${autoscaler ? ` (horizontalpodautoscaler/${autoscaler.object.metadata.name})` : ''}, ${stableImage}`
        ],
        ['traffic', lines.join('<br>') || `${inputs.traffic}: ${size.weight} %`],
        ...templateRows(change, differences, false)
      ]
    }
  } catch (error) {
    await release(context)
    throw error
  }
}

/** Refuses what a canary must not do: replace another running canary, or run in blue-green mode. */
function checkCanary(
  context: CanaryContext,
  live: KubeObject,
  state: PromotionState,
  container: string,
  templateChanges: boolean
): void {
  const image = context.image
  if (state.stage === 'canary' && state.canaryImage && state.canaryImage !== image) {
    throw new Error(
      `Refusing stage canary of ${image}: a canary of ${state.canaryImage} runs on ${context.label} at ${state.weight ?? '?'} %; promote it with stage production or remove it with stage rollback first`
    )
  }
  const method = context.inputs.traffic
  if (state.stage === 'canary' && state.traffic && state.traffic !== method) {
    throw new Error(
      `Refusing stage canary with traffic ${method}: the canary on ${context.label} runs with traffic ${state.traffic}; call it with traffic ${state.traffic}, or remove it with stage rollback first`
    )
  }
  if (state.strategy === 'blue-green' && state.activeColor === 'green') {
    throw new Error(
      `Refusing stage canary on ${context.label}: it is a blue-green pair with the green colour serving; promote with strategy blue-green`
    )
  }
  if (imageOf(live, container) === image && !templateChanges) {
    throw new Error(
      `Refusing stage canary of ${image}: ${context.label} already runs it as stable; there is nothing to compare it with`
    )
  }
}

interface CanaryPlan {
  readonly stable: KubeObject
  readonly container: string
  readonly stableImage: string
  readonly image: string
  readonly size: CanarySize
  readonly traffic: CanaryTraffic
  /** The canary Deployment before this run, when one ran. */
  readonly before?: KubeObject
  /** The manifests' template the canary runs, when given; else stable's with the image. */
  readonly change?: TemplateChange
}

/** Applies the canary (and baseline), waits for them, routes the weight; undoes all of it on failure. */
async function runCanary(context: ClusterContext, plan: CanaryPlan): Promise<string[]> {
  const { inputs, kube } = context
  const manager = { fieldManager: 'rollout-kit-promote', force: true }
  // the canary runs the manifests' template when given; the baseline always runs stable's
  const canaryBase = plan.change
    ? { ...plan.stable, spec: { ...(plan.stable.spec as object), template: plan.change.template } }
    : plan.stable
  const variant = (track: Track, image: string, replicas: number) =>
    withImagePullSecrets(
      variantDeployment(track === 'canary' ? canaryBase : plan.stable, {
        track,
        container: plan.container,
        image,
        replicas,
        relabel: plan.traffic.relabel(track)
      }),
      inputs.imagePullSecrets
    )
  const undo = () => undoCanary(context, plan)
  try {
    if (plan.change) await applyConfig(context, plan.change)
    await kube.apply(variant('canary', plan.image, plan.size.canary), manager)
    if (inputs.baseline)
      await kube.apply(variant('baseline', plan.stableImage, plan.size.baseline), manager)
    const waits = [variantName(context.ref.name, 'canary')]
    if (inputs.baseline) waits.push(variantName(context.ref.name, 'baseline'))
    await Promise.all(waits.map((name) => awaitRollout(context, name)))
    const baselineWeight = inputs.baseline ? plan.size.weight : 0
    const lines = await plan.traffic.route(plan.size.weight, baselineWeight)
    if (!inputs.baseline) lines.push(...(await removeBaseline(context, plan.traffic.service)))
    return lines
  } catch (error) {
    const undone = await undo()
    if (error instanceof Error) error.message += `\n${undone}`
    throw error
  }
}

/** Removes the baseline an earlier call ran, now that the weights no longer send to it. */
async function removeBaseline(context: ClusterContext, service: KubeObject): Promise<string[]> {
  const { kube, namespace } = context
  const lines: string[] = []
  const ref = { ...context.ref, name: variantName(context.ref.name, 'baseline') }
  if (await kube.delete(ref)) lines.push(`deployment/${ref.name} removed`)
  const baselineService = variantName(service.metadata.name, 'baseline')
  if (await deleteServiceIfPresent(kube, namespace, baselineService)) {
    lines.push(`service/${baselineService} removed`)
  }
  return lines
}

/** Puts back what runCanary changed: the earlier canary's size and weight, or no canary at all. */
async function undoCanary(context: ClusterContext, plan: CanaryPlan): Promise<string> {
  const { kube } = context
  const state = readState(plan.stable)
  try {
    const before = plan.before
    if (before && state.stage === 'canary' && state.weight !== undefined) {
      await kube.update<KubeObject>(
        refOf(before),
        (live) => withReplicas(live, replicasOf(before)),
        { fieldManager: 'rollout-kit-promote' }
      )
      await plan.traffic.route(state.weight, state.baseline ? state.weight : 0)
      context.putBack()
      return `Put the canary back to ${state.weight} %.`
    }
    const lines = await resetCanaryTraffic(context, plan.traffic.service, plan.traffic.method)
    for (const track of ['canary', 'baseline'] as const) {
      await kube.delete({ ...context.ref, name: variantName(context.ref.name, track) })
    }
    context.putBack()
    return `Removed the canary again${lines.length ? ` (${lines.join('; ')})` : ''}; ${context.label} serves all traffic as before.`
  } catch (error) {
    return `Could not undo the canary: ${messageOf(error)}; run stage rollback.`
  }
}
