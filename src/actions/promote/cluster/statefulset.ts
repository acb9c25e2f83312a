/**
 * promote's cluster stages on a StatefulSet. Its canary is no second workload: the StatefulSet's
 * own pods at the highest ordinals run the new template, by its RollingUpdate partition (the pods at
 * ordinals ≥ partition take the update revision, the others keep the current one), behind stable's
 * Service. Production takes the partition to 0; rollback puts the image and partition back.
 *
 * The StatefulSet controller does not move a pod back below the partition, nor replace a pod of a
 * revision it abandoned that never became ready (the "forced rollback" known issue): whenever the
 * image or partition changes, promote deletes such pods itself, and the controller recreates each
 * at the revision its ordinal should run.
 */
import * as core from '@actions/core'
import type { V1LabelSelector, V1Pod } from '@kubernetes/client-node'
import { messageOf } from '../../../action/errors.js'
import {
  imageOf,
  selectorString,
  type KubeObject,
  type PromotionState,
  readState,
  replicasOf,
  rollOutOrUndo,
  waitForRollout,
  withContainerImage,
  withImagePullSecrets
} from '../../../kube/index.js'
import {
  applyConfig,
  describeDifference,
  logDifferences,
  renderChange,
  templateDifferences,
  templateRows
} from './change.js'
import type { CanaryContext, ClusterContext, StageResult } from './context.js'
import { claim, chooseContainer, getStable, release, settle } from './workload.js'

/** The pods a StatefulSet canary runs at a weight, the partition that gives them, and their share. */
export interface StatefulSetCanary {
  readonly pods: number
  readonly partition: number
  /** The canary pods' share of all pods, in percent, rounded. */
  readonly weight: number
}

/**
 * The canary of a weight on a StatefulSet of `replicas`: ceil(replicas × weight / 100) pods, at
 * least one and at most all but one (stable keeps a pod; stage production moves them all).
 */
export function statefulSetCanary(replicas: number, weight: number): StatefulSetCanary {
  if (replicas < 2) {
    throw new Error(
      `A StatefulSet canary needs at least 2 replicas (the canary takes pods from stable, which keeps at least one); it has ${replicas}`
    )
  }
  const pods = Math.min(replicas - 1, Math.max(1, Math.ceil((replicas * weight) / 100)))
  return { pods, partition: replicas - pods, weight: Math.round((100 * pods) / replicas) }
}

/** Runs a cluster stage on a StatefulSet. */
export function statefulSetStage(context: ClusterContext): Promise<StageResult> {
  const { inputs, image } = context
  switch (inputs.stage) {
    case 'canary':
      if (image === undefined) throw new Error('stage canary has no source image')
      return canary({ ...context, inputs, image })
    case 'production':
      return production(context)
    case 'rollback':
      return rollback(context)
    case 'finalize':
      return Promise.resolve({
        changed: false,
        message: `Nothing to finalize on ${context.label}: a StatefulSet has no idle colour`,
        rows: []
      })
  }
}

/** The pod template and partition a step sets. */
interface Target {
  readonly container: string
  readonly image: string
  readonly partition: number
  /** The whole pod template (the image in it): from manifests, or a revision put back. */
  readonly template?: Record<string, unknown>
}

type Json = Record<string, unknown>

const templateOfSet = (set: KubeObject): Json | undefined =>
  (set.spec as { template?: Json } | undefined)?.template

/**
 * The pod template of one of the StatefulSet's revisions, from its ControllerRevision (as
 * `kubectl rollout undo` reads it); undefined, with a warning, when it cannot be read.
 */
async function controllerRevisionTemplate(
  context: ClusterContext,
  revision: string | undefined
): Promise<Json | undefined> {
  if (!revision) return undefined
  try {
    const found = await context.kube.get<KubeObject & { data?: { spec?: { template?: Json } } }>({
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      name: revision,
      namespace: context.namespace
    })
    const template = found?.data?.spec?.template
    if (!template) throw new Error('it is gone')
    const copy = structuredClone(template)
    delete copy.$patch
    return copy
  } catch (error) {
    core.warning(
      `Could not read revision ${revision} of ${context.label} (${messageOf(error)}): only the image goes back, not the rest of that revision's template`
    )
    return undefined
  }
}

/** The revision the pods below the partition run (stable's), from the status. */
const currentRevisionOf = (set: KubeObject): string | undefined =>
  (set.status as { currentRevision?: string } | undefined)?.currentRevision

async function canary(context: CanaryContext): Promise<StageResult> {
  const { inputs, image } = context
  const set = await getStable(
    context,
    'a canary runs on a StatefulSet that exists; roll out the first version with kubectl or deploy-dev'
  )
  checkRollingUpdate(context, set, 'canary')
  const state = readState(set)
  const { name: container, image: running } = chooseContainer(context, set, state)
  const change = await renderChange(context, container, image, set)
  const differences = change ? await templateDifferences(context, set, change, container) : []
  if (change) logDifferences(context, change, differences)
  const check = (live: KubeObject, now: PromotionState) => {
    if (now.stage === 'canary' && now.canaryImage && now.canaryImage !== image) {
      throw new Error(
        `Refusing stage canary of ${image}: a canary of ${now.canaryImage} runs on ${context.label} at ${now.weight ?? '?'} %; promote it with stage production or remove it with stage rollback first`
      )
    }
    if (now.stage !== 'canary' && imageOf(live, container) === image && differences.length === 0) {
      throw new Error(
        `Refusing stage canary of ${image}: ${context.label} already runs it as stable; there is nothing to compare it with`
      )
    }
  }
  check(set, state)
  const replicas = replicasOf(set)
  const size = statefulSetCanary(replicas, inputs.weight)
  const canaryRuns = state.stage === 'canary'
  const stableImage = (canaryRuns ? state.stableImage : undefined) ?? running
  const before = partitionOf(set)
  const what = `pods ${ordinals(size.partition, replicas)} of ${context.label} (partition ${size.partition})`
  if (inputs.dryRun) {
    return {
      image,
      changed: false,
      weight: size.weight,
      message: `Would run ${image} on ${what}: ${size.weight} % of its pods${change ? `, with the pod template of ${change.files}` : ''}`,
      rows: templateRows(change, differences, true)
    }
  }
  await core.group('Claim the workload', () => claim(context, check))
  try {
    await context.begin(`canary ${size.weight} % ${image}`)
    if (change) await applyConfig(context, change)
    const revision = await core.group('Run the canary', () =>
      rollToOrBack(context, set, {
        container,
        image,
        partition: size.partition,
        template: change?.template
      })
    )
    await settle(context, {
      stage: 'canary',
      strategy: 'canary',
      container,
      stableImage,
      canaryImage: image,
      weight: size.weight,
      traffic: 'replicas',
      baseline: undefined,
      // the partition from before the first canary, where rollback takes it back
      partition: canaryRuns ? state.partition : before,
      scaleDownAt: undefined,
      activeColor: undefined
    })
    return {
      image,
      previousImage: stableImage,
      changed: running !== image || before !== size.partition || differences.length > 0,
      weight: size.weight,
      selectors: {
        canary: `namespace=${JSON.stringify(context.namespace)},controller_revision_hash=${JSON.stringify(revision)}`
      },
      message: `${image} runs on ${what}: ${size.weight} % of its pods, behind its Service`,
      rows: [
        ['canary', `${size.pods} of ${replicas} pods (${ordinals(size.partition, replicas)})`],
        ['update revision', revision],
        ['stable', `${size.partition} pods, ${stableImage}`],
        ...templateRows(change, differences, false)
      ]
    }
  } catch (error) {
    await release(context)
    throw error
  }
}

async function production(context: ClusterContext): Promise<StageResult> {
  const set = await getStable(
    context,
    'promote does not create a StatefulSet; create it with kubectl or deploy-dev first'
  )
  checkRollingUpdate(context, set, 'production')
  const state = readState(set)
  const { name: container, image: running } = chooseContainer(context, set, state)
  const canaryRuns = state.stage === 'canary' && state.canaryImage !== undefined
  let image: string
  if (canaryRuns && state.canaryImage) {
    if (context.image && context.image !== state.canaryImage) {
      throw new Error(
        `Refusing stage production of ${context.image}: the canary running on ${context.label} is ${state.canaryImage}; promote that one (source empty or equal), or roll the canary back first`
      )
    }
    image = state.canaryImage
  } else if (context.image) {
    image = context.image
  } else {
    throw new Error(
      `stage production needs \`source\`: no canary runs on ${context.label} to promote`
    )
  }
  const stableImage = (canaryRuns ? state.stableImage : undefined) ?? running
  const before = partitionOf(set)
  const check = (_live: KubeObject, now: PromotionState) => {
    if (now.stage !== state.stage || now.canaryImage !== state.canaryImage) {
      throw new Error(
        `Refusing stage production: the state of ${context.label} changed while this run started; run again`
      )
    }
  }
  const change = await renderChange(context, container, image, set)
  if (canaryRuns && change) {
    // the canary ran the set's template: the manifests must be that one
    const differences = await templateDifferences(context, set, change, container, {
      specOnly: true
    })
    if (differences.length > 0) {
      throw new Error(
        `Refusing stage production: the manifests (${change.files}) differ from what the canary ran on ${context.label}: ${differences.map((d) => describeDifference(d, true)).join('; ')}. Promote what was tested: run stage canary again with these manifests, or give the manifests the canary ran`
      )
    }
  }
  // with a canary, the set's template is already the one to roll out to every pod
  const template = canaryRuns ? undefined : change?.template
  const changes = running !== image || before !== 0 || template !== undefined
  if (context.inputs.dryRun) {
    return {
      image,
      changed: false,
      message: changes
        ? `Would roll out ${image} to every pod of ${context.label} (partition 0)`
        : `${context.label} already runs ${image} on every pod`,
      rows: []
    }
  }
  await core.group('Claim the workload', () => claim(context, check))
  try {
    await context.begin(`production ${image}`)
    if (change) await applyConfig(context, change)
    // where a rollback goes: the revision stable's pods run now
    const stableRevision = currentRevisionOf(set)
    // a failure leaves the canary as it was, or stable as it was
    await core.group(`Roll out ${image}`, () =>
      rollToOrBack(context, set, { container, image, partition: 0, template })
    )
    await settle(context, {
      stage: 'production',
      strategy: 'canary',
      container,
      stableImage: image,
      previousImage: stableImage !== image ? stableImage : state.previousImage,
      previousRevision: stableRevision,
      canaryImage: undefined,
      weight: undefined,
      traffic: undefined,
      baseline: undefined,
      partition: undefined,
      rolledBackImage: undefined
    })
    return {
      image,
      previousImage: stableImage !== image ? stableImage : undefined,
      changed: changes,
      message: changes
        ? `${context.label} runs ${image} on all ${replicasOf(set)} pods${stableImage !== image ? ` (was ${stableImage})` : ''}`
        : `${context.label} already runs ${image} on every pod: nothing to do`,
      rows: [['partition', `0 (was ${before})`]]
    }
  } catch (error) {
    await release(context)
    throw error
  }
}

async function rollback(context: ClusterContext): Promise<StageResult> {
  const set = await getStable(context, 'there is nothing to roll back')
  const state = readState(set)
  const { name: container, image: running } = chooseContainer(context, set, state)
  const replicas = replicasOf(set)
  let target: Target
  let message: string
  if (state.stage === 'canary') {
    const image = state.stableImage ?? running
    expectSource(context, image)
    // the whole template stable's pods run (the canary may have changed more than the image)
    const template = await controllerRevisionTemplate(context, currentRevisionOf(set))
    target = { container, image, partition: state.partition ?? replicas, template }
    message = `Removed the canary${state.canaryImage ? ` of ${state.canaryImage}` : ''}: every pod of ${context.label} runs ${image}, partition ${target.partition}`
  } else if (state.stage === 'rolled-back') {
    expectSource(context, state.stableImage ?? running)
    return {
      image: running,
      changed: false,
      message: `${context.label} was rolled back to ${state.stableImage ?? running} already: nothing to do (a rollback never goes further back than one step; run stage production with \`source\` for an older image)`,
      rows: []
    }
  } else {
    if (!state.previousImage) {
      throw new Error(
        `Nothing to roll back to on ${context.label}: promote has recorded no image from before ${running}`
      )
    }
    expectSource(context, state.previousImage)
    const template = await controllerRevisionTemplate(context, state.previousRevision)
    target = { container, image: state.previousImage, partition: 0, template }
    message = `Rolled ${context.label} back to ${state.previousImage} from ${running}`
  }
  if (context.inputs.dryRun) {
    return {
      image: target.image,
      changed: false,
      message: `Would roll ${context.label} back to ${target.image} on every pod, partition ${target.partition}`,
      rows: []
    }
  }
  await core.group('Claim the workload', () => claim(context, () => undefined))
  try {
    await context.begin(`rollback to ${target.image}`)
    await core.group(`Roll back to ${target.image}`, () => rollTo(context, target))
    await settle(context, {
      stage: 'rolled-back',
      stableImage: target.image,
      previousImage: undefined,
      previousRevision: undefined,
      canaryImage: undefined,
      weight: undefined,
      traffic: undefined,
      baseline: undefined,
      partition: undefined,
      rolledBackImage: state.stage === 'canary' ? state.canaryImage : running
    })
    return {
      image: target.image,
      previousImage: state.stage === 'canary' ? state.canaryImage : running,
      changed: running !== target.image || partitionOf(set) !== target.partition,
      weight: state.stage === 'canary' ? 0 : undefined,
      message,
      rows: [['partition', String(target.partition)]]
    }
  } catch (error) {
    await release(context)
    throw error
  }
}

function expectSource(context: ClusterContext, target: string): void {
  if (context.image && context.image !== target) {
    throw new Error(
      `Refusing stage rollback to ${context.image}: the last good image recorded on ${context.label} is ${target}; leave \`source\` empty to roll back to it`
    )
  }
}

/** A StatefulSet whose update strategy is OnDelete updates no pod by itself: no partition to move. */
function checkRollingUpdate(context: ClusterContext, set: KubeObject, stage: string): void {
  const type = strategyOf(set).type ?? 'RollingUpdate'
  if (type !== 'RollingUpdate') {
    throw new Error(
      `Refusing stage ${stage} on ${context.label}: its updateStrategy is ${type}, which replaces no pod until someone deletes it; promote moves a StatefulSet by the partition of a RollingUpdate strategy (set spec.updateStrategy.type: RollingUpdate)`
    )
  }
}

function strategyOf(set: KubeObject): {
  type?: string
  rollingUpdate?: { partition?: number; [k: string]: unknown }
} {
  const spec = (set.spec ?? {}) as { updateStrategy?: ReturnType<typeof strategyOf> }
  return spec.updateStrategy ?? {}
}

/** The StatefulSet's RollingUpdate partition (0 when unset). */
export function partitionOf(set: KubeObject): number {
  return strategyOf(set).rollingUpdate?.partition ?? 0
}

/** A copy with the container's image, the partition and the image pull secrets set. */
function withTarget(set: KubeObject, target: Target, pullSecrets: readonly string[]): KubeObject {
  const templated = target.template
    ? { ...set, spec: { ...(set.spec as Json), template: target.template } }
    : set
  const changed = withImagePullSecrets(
    withContainerImage(templated, target.container, target.image),
    pullSecrets
  )
  const spec = changed.spec as Record<string, unknown>
  const strategy = strategyOf(changed)
  return {
    ...changed,
    spec: {
      ...spec,
      updateStrategy: {
        ...strategy,
        type: 'RollingUpdate',
        rollingUpdate: { ...strategy.rollingUpdate, partition: target.partition }
      }
    }
  }
}

/** `3` or `2–3`: the ordinals at and above the partition. */
function ordinals(partition: number, replicas: number): string {
  return partition === replicas - 1 ? String(partition) : `${partition}–${replicas - 1}`
}

/**
 * Sets the target and waits until every pod runs the revision its ordinal should and is ready;
 * a failure runs `undo` (which puts back what was there) and throws saying both. Returns the
 * update revision.
 */
async function rollTo(
  context: ClusterContext,
  target: Target,
  undo?: (how: { readonly cancelled: boolean }) => Promise<string>
): Promise<string> {
  const generation = await write(context, target)
  await replaceStrayPods(context, target.partition, generation)
  const ref = { kind: 'StatefulSet' as const, name: context.ref.name, namespace: context.namespace }
  await rollOutOrUndo(context.kube, {
    workloads: [ref],
    timeoutMs: context.inputs.timeoutMs,
    undo,
    notUndone: `Run stage rollback to put ${context.label} back.`,
    signal: context.signal
  })
  const pods = await waitForPods(context, target.partition)
  if (pods.ok) {
    core.info(pods.message)
    return pods.revision
  }
  const undone = undo ? await undo({ cancelled: false }) : ''
  throw new Error(
    `${context.label} did not roll out: ${pods.message}${undone ? `\n${undone}` : ''}`
  )
}

/**
 * {@link rollTo} the target from `set` as it was read: a failure puts back its image, partition
 * and whole template (this run's only change, so `started` is then false).
 */
function rollToOrBack(context: ClusterContext, set: KubeObject, target: Target): Promise<string> {
  const before: Target = {
    container: target.container,
    image: imageOf(set, target.container) ?? target.image,
    partition: partitionOf(set),
    template: templateOfSet(set)
  }
  return rollTo(context, target, (how) => putBack(context, before, how, true))
}

/** The undo of a step: the image and partition from before, waited for (unless cancelled). */
async function putBack(
  context: ClusterContext,
  target: Target,
  how: { readonly cancelled: boolean },
  only: boolean
): Promise<string> {
  try {
    const generation = await write(context, target)
    await replaceStrayPods(context, target.partition, generation)
    if (only) context.putBack()
    const what = `Put ${context.label} back to ${target.image}, partition ${target.partition}`
    if (how.cancelled) return `${what}; its rollout goes on in the cluster (not waited for).`
    const ref = {
      kind: 'StatefulSet' as const,
      name: context.ref.name,
      namespace: context.namespace
    }
    const back = await waitForRollout(context.kube, ref, {
      timeoutMs: context.inputs.timeoutMs,
      patient: true
    })
    const pods = back.ok ? await waitForPods(context, target.partition) : back
    return pods.ok
      ? `${what}, whose pods are ready again.`
      : `${what}, but it did not become ready again: ${pods.message}`
  } catch (error) {
    return `Could not put ${context.label} back: ${messageOf(error)}; run stage rollback.`
  }
}

/** Writes the target (a read-modify-write, keeping other managers' fields); the generation. */
async function write(context: ClusterContext, target: Target): Promise<number> {
  const written = await context.kube.update<KubeObject>(
    context.ref,
    (live) => withTarget(live, target, context.inputs.imagePullSecrets),
    { fieldManager: 'rollout-kit-promote' }
  )
  return Number(written.metadata.generation ?? 0)
}

/** What the pods of the StatefulSet run, read once. */
interface PodsState {
  readonly ok: boolean
  readonly revision: string
  readonly message: string
  /** Pods on a revision their ordinal should not run: below the partition, or never ready. */
  readonly strays: readonly string[]
}

/** The StatefulSet once its controller has seen `generation`, and its pods. */
async function observe(
  context: ClusterContext,
  partition: number,
  generation: number
): Promise<PodsState | undefined> {
  const set = await getStable(context, 'it was deleted during the rollout')
  const status = (set.status ?? {}) as {
    observedGeneration?: number
    updateRevision?: string
    currentRevision?: string
  }
  if ((status.observedGeneration ?? 0) < generation || !status.updateRevision) return undefined
  const update = status.updateRevision
  const current = status.currentRevision ?? update
  const replicas = replicasOf(set)
  const pods = await podsOf(context, set)
  const missing: number[] = []
  const wrong: string[] = []
  const unready: string[] = []
  const strays: string[] = []
  for (let ordinal = 0; ordinal < replicas; ordinal++) {
    const pod = pods.get(ordinal)
    if (!pod) {
      missing.push(ordinal)
      continue
    }
    const name = pod.metadata?.name ?? ''
    const revision = pod.metadata?.labels?.['controller-revision-hash']
    const wanted = ordinal >= partition ? update : current
    const ready = isReady(pod)
    if (revision !== wanted) {
      wrong.push(`${name} (${revision ?? 'no revision'}, not ${wanted})`)
      // the controller replaces a pod above the partition itself, unless it never became ready
      if (ordinal < partition || !ready) strays.push(name)
    } else if (!ready) {
      unready.push(name)
    }
  }
  const problems = [
    ...(missing.length ? [`no pod of ordinal ${missing.join(', ')}`] : []),
    ...(wrong.length ? [`on another revision: ${wrong.join(', ')}`] : []),
    ...(unready.length ? [`not ready: ${unready.join(', ')}`] : [])
  ]
  return {
    ok: problems.length === 0,
    revision: update,
    message:
      problems.length === 0
        ? `${describeRevisions(partition, replicas, update, current)}, all ready`
        : problems.join('; '),
    strays
  }
}

/** `pods 3–3 run revision x, pods 0–2 revision y`, or one revision when all pods run it. */
function describeRevisions(
  partition: number,
  replicas: number,
  update: string,
  current: string
): string {
  if (update === current || partition <= 0) return `all ${replicas} pods run revision ${update}`
  if (partition >= replicas) return `all ${replicas} pods run revision ${current}`
  return `pods ${ordinals(partition, replicas)} run update revision ${update}, pods ${ordinals(0, partition)} revision ${current}`
}

/** Deletes the pods the controller would leave on the wrong revision, once it has seen the change. */
async function replaceStrayPods(
  context: ClusterContext,
  partition: number,
  generation: number
): Promise<void> {
  const seen = await poll(
    context,
    () => observe(context, partition, generation),
    () => true
  )
  for (const name of seen?.strays ?? []) {
    core.info(`Deleting pod ${name}: it runs a revision its ordinal should not`)
    await context.kube.delete({ apiVersion: 'v1', kind: 'Pod', name, namespace: context.namespace })
  }
}

/** Waits (up to the timeout) until every pod runs the revision of its ordinal and is ready. */
async function waitForPods(
  context: ClusterContext,
  partition: number
): Promise<{ ok: boolean; revision: string; message: string }> {
  const last = await poll(
    context,
    () => observe(context, partition, 0),
    (state) => state.ok
  )
  return last ?? { ok: false, revision: '', message: 'the controller did not report a revision' }
}

/** Calls `read` every second until it gives a state that is `done`, or the timeout; the last state. */
async function poll<T>(
  context: ClusterContext,
  read: () => Promise<T | undefined>,
  done: (state: T) => boolean
): Promise<T | undefined> {
  const deadline = Date.now() + context.inputs.timeoutMs
  let last: T | undefined
  for (;;) {
    context.signal.throwIfAborted()
    last = (await read()) ?? last
    if ((last !== undefined && done(last)) || Date.now() > deadline) return last
    await new Promise((resolve) => setTimeout(resolve, 1000))
  }
}

/** The StatefulSet's own pods (not terminating) by ordinal. */
async function podsOf(context: ClusterContext, set: KubeObject): Promise<Map<number, V1Pod>> {
  const spec = (set.spec ?? {}) as { selector?: V1LabelSelector }
  const items = await context.kube.list<V1Pod>('v1', 'Pod', context.namespace, {
    labelSelector: selectorString(spec.selector)
  })
  const byOrdinal = new Map<number, V1Pod>()
  const prefix = `${set.metadata.name}-`
  for (const pod of items) {
    const name = pod.metadata?.name ?? ''
    const owned = pod.metadata?.ownerReferences?.some((o) => o.uid === set.metadata.uid)
    if (!owned || pod.metadata?.deletionTimestamp || !name.startsWith(prefix)) continue
    const ordinal = Number(name.slice(prefix.length))
    if (Number.isInteger(ordinal)) byOrdinal.set(ordinal, pod)
  }
  return byOrdinal
}

function isReady(pod: V1Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true
}
