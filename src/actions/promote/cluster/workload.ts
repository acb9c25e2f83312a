import * as core from '@actions/core'
import {
  claimWorkload,
  imageOf,
  pickContainer,
  replicasOf,
  rollOutOrUndo,
  withContainerImage,
  withImagePullSecrets,
  withReplicas,
  type KubeObject,
  type PromotionState,
  type WorkloadContainer,
  settleWorkload,
  waitForRollout
} from '../../../kube/index.js'
import { repositoryName } from '../../../registry/index.js'
import type { ClusterContext } from './context.js'

/** The stable Deployment, or an error saying it does not exist and what to do. */
export async function getStable(context: ClusterContext, hint: string): Promise<KubeObject> {
  const live = await context.kube.get<KubeObject>(context.ref)
  if (!live) throw new Error(`${context.label} does not exist on ${context.server}: ${hint}`)
  return live
}

/**
 * The container promote sets: the `container` input, else the one recorded by an earlier run,
 * else the one running the source's repository, else the only one.
 */
export function chooseContainer(
  context: ClusterContext,
  stable: KubeObject,
  state: PromotionState
): WorkloadContainer {
  const wanted = context.inputs.container ?? state.container
  const source = context.inputs.source
  const choice = pickContainer(stable, {
    name: wanted,
    repository: source && repositoryName(source)
  })
  if (choice.ok) return choice.container
  const names = choice.candidates.map((c) => c.name)
  if (choice.reason === 'unknown-name') {
    throw new Error(
      `${context.label} has no container '${wanted}'; its containers: ${names.join(', ') || 'none'}`
    )
  }
  throw new Error(
    `${context.label} has ${names.length} containers (${names.join(', ')}) and none runs ${source ? repositoryName(source) : 'the source'} alone; name one with the \`container\` input`
  )
}

/** Claims the workload for this run after `check` passed on its live state. */
export function claim(
  context: ClusterContext,
  check: (live: KubeObject, state: PromotionState) => void
): Promise<KubeObject> {
  return claimWorkload(
    context.kube,
    context.ref,
    {
      holder: context.holder,
      stage: context.inputs.stage,
      runUrl: context.runUrl,
      // a claim outlives a cancelled job only until every wait of this run would have timed out
      expires: new Date(Date.now() + 3 * context.inputs.timeoutMs + 60_000).toISOString()
    },
    check
  )
}

/** Writes the state (with time and run) and drops this run's claim. */
export async function settle(
  context: ClusterContext,
  state?: Partial<Record<keyof PromotionState, unknown>>
): Promise<void> {
  const stamped = state && {
    ...state,
    updatedAt: new Date().toISOString(),
    runUrl: context.runUrl
  }
  await settleWorkload(context.kube, context.ref, context.holder, stamped)
}

/** Drops this run's claim, warning (not failing) when that fails: the claim expires anyway. */
export async function release(context: ClusterContext): Promise<void> {
  try {
    await settleWorkload(context.kube, context.ref, context.holder)
  } catch (error) {
    core.warning(`Could not drop the claim on ${context.label}: ${String(error)}`)
  }
}

/**
 * Waits for a Deployment's rollout; when it fails, says why per pod and throws, after `undo` (which
 * puts back what the step changed, and is waited for too).
 */
export async function awaitRollout(
  context: ClusterContext,
  name: string,
  undo?: (how: { readonly cancelled: boolean }) => Promise<string>
): Promise<string | undefined> {
  const ref = { kind: 'Deployment' as const, name, namespace: context.namespace }
  const [done] = await rollOutOrUndo(context.kube, {
    workloads: [ref],
    timeoutMs: context.inputs.timeoutMs,
    undo,
    signal: context.signal
  })
  return done.revision
}

/**
 * Sets a container's image in a Deployment (a read-modify-write, so the manifests' field manager
 * keeps its fields) and waits; a failed rollout puts the previous image back and waits for that.
 * Returns the image it ran before, undefined when it already ran `image`.
 */
export async function rollOutImage(
  context: ClusterContext,
  name: string,
  container: string,
  image: string,
  changes: {
    replicas?: number
    /** This rollout is the stage's only change: putting it back puts the stage's changes back. */
    only?: boolean
    /**
     * The whole pod template to roll out (`image` pinned in it): the manifests' change. A failure
     * puts the previous template back, not only the image.
     */
    template?: Record<string, unknown>
  } = {}
): Promise<string | undefined> {
  const ref = { ...context.ref, name }
  let previous: string | undefined
  let previousReplicas: number | undefined
  let previousTemplate: unknown
  /** Sets the container's image (and the replicas, when given); undefined when nothing changes. */
  const set = (live: KubeObject, to: string, replicas: number | undefined) => {
    const same =
      imageOf(live, container) === to && (replicas ?? replicasOf(live)) === replicasOf(live)
    if (same) return undefined
    const changed = withContainerImage(live, container, to)
    return replicas === undefined ? changed : withReplicas(changed, replicas)
  }
  const withTemplate = (live: KubeObject, template: unknown): KubeObject => ({
    ...live,
    spec: { ...(live.spec as Record<string, unknown>), template }
  })
  const manager = { fieldManager: 'rollout-kit-promote' }
  await context.kube.update<KubeObject>(
    ref,
    (live) => {
      previous = imageOf(live, container)
      previousReplicas = replicasOf(live)
      previousTemplate = (live.spec as Record<string, unknown> | undefined)?.template
      const pulls = (object: KubeObject | undefined) =>
        object && withImagePullSecrets(object, context.inputs.imagePullSecrets)
      if (!changes.template) return pulls(set(live, image, changes.replicas))
      const changed = withTemplate(live, changes.template)
      return pulls(
        changes.replicas === undefined ? changed : withReplicas(changed, changes.replicas)
      )
    },
    manager
  )
  const before = previous
  await awaitRollout(context, name, async ({ cancelled }) => {
    if (before === undefined) {
      if (changes.only) context.putBack()
      return 'Nothing to put back.'
    }
    const replicas = changes.replicas === undefined ? undefined : previousReplicas
    await context.kube.update<KubeObject>(
      ref,
      (live) =>
        changes.template
          ? withTemplate(
              replicas === undefined ? live : withReplicas(live, replicas),
              previousTemplate
            )
          : set(live, before, replicas),
      manager
    )
    if (changes.only) context.putBack()
    if (cancelled) {
      return `Put deployment/${name} back to ${before}; its rollout goes on in the cluster (not waited for: the run was cancelled).`
    }
    const back = await waitForRollout(
      context.kube,
      { kind: 'Deployment', name, namespace: context.namespace },
      { timeoutMs: context.inputs.timeoutMs, patient: true }
    )
    return back.ok
      ? `Put deployment/${name} back to ${before}, which is available again.`
      : `Put deployment/${name} back to ${before}, but it did not become available again: ${back.message}`
  })
  // a template change is a change even when the image stays
  return previous === image && !changes.template ? undefined : previous
}
