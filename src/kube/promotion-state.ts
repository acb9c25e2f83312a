/**
 * The promotion state of a workload, kept in annotations on its stable Deployment so that a later
 * job, another workflow or a person with kubectl sees where it stands and can carry on: the stage,
 * the image stable runs (the last good one) and the one before it, the running canary, the traffic
 * method and weight, the active colour of a blue-green pair, when and by which run it changed.
 *
 * A run claims the workload first: a `rollout-kit/lock` annotation written with the object's
 * resourceVersion, so that of two runs racing one wins and the other reads the winner's claim and
 * fails saying which run holds it; a claim that outlives its run (a cancelled job) expires. The
 * state is written back, and the claim dropped, in one more write when the step is done.
 *
 * Annotations rather than a ConfigMap or a Lease: one object carries the state and the claim, so a
 * claim and the state it checks are read and written atomically, and they go where the workload
 * goes (`kubectl get deployment -o yaml`).
 */
import type { KubeClient, ObjectRef } from './client.js'
import type { KubeObject } from './manifests.js'

/** The last completed step on a workload. */
export type PromotionStage = 'canary' | 'production' | 'rolled-back'

/** What the annotations say. Every field may be missing on a workload promote never touched. */
export interface PromotionState {
  readonly stage?: PromotionStage
  readonly strategy?: 'canary' | 'blue-green'
  /** The container promote sets the image of. */
  readonly container?: string
  /** The image stable (or the active colour) runs: the last good one. */
  readonly stableImage?: string
  /** The good image before it, where a rollback goes. */
  readonly previousImage?: string
  /**
   * The Deployment revision stable ran before production gave it the manifests' template: a
   * rollback puts that revision's whole template back (its ReplicaSet keeps it), not the image alone.
   */
  readonly previousRevision?: string
  /** The image of the running canary. */
  readonly canaryImage?: string
  readonly weight?: number
  readonly traffic?: string
  readonly baseline?: boolean
  /**
   * A StatefulSet's update partition from before its canary (whose partition puts the canary pods
   * at the highest ordinals), put back when the canary goes.
   */
  readonly partition?: number
  /** The colour serving, for blue-green: blue is the workload itself, green its `-green` copy. */
  readonly activeColor?: 'blue' | 'green'
  /** The stable Service's own selector, kept while the Service selects the green colour (JSON). */
  readonly blueSelector?: string
  /** The Service in front of the workload, named once found. */
  readonly service?: string
  /** When the idle colour may be scaled down (ISO time). */
  readonly scaleDownAt?: string
  /** The image a rollback went away from. */
  readonly rolledBackImage?: string
  readonly updatedAt?: string
  readonly runUrl?: string
}

/** A run's claim on a workload. */
export interface Claim {
  /** Who holds it: unique per run. */
  readonly holder: string
  readonly stage: string
  readonly runUrl?: string
  /** When it lapses (ISO time). */
  readonly expires: string
}

/** Another run holds the workload. */
export class ClaimedError extends Error {
  constructor(
    readonly workload: string,
    readonly claim: Claim
  ) {
    super(
      `${workload} is being changed by another promote run (stage ${claim.stage}${claim.runUrl ? `, ${claim.runUrl}` : ''}) until ${claim.expires} at the latest; wait for it to finish, or run again then`
    )
    this.name = 'ClaimedError'
  }
}

const PREFIX = 'rollout-kit/'
export const LOCK_ANNOTATION = `${PREFIX}lock`

/** Field ↔ annotation, all strings on the cluster. */
const KEYS = {
  stage: 'stage',
  strategy: 'strategy',
  container: 'container',
  stableImage: 'stable-image',
  previousImage: 'previous-image',
  previousRevision: 'previous-revision',
  canaryImage: 'canary-image',
  weight: 'canary-weight',
  traffic: 'traffic',
  baseline: 'baseline',
  partition: 'partition',
  activeColor: 'active-color',
  blueSelector: 'blue-selector',
  service: 'service',
  scaleDownAt: 'scale-down-at',
  rolledBackImage: 'rolled-back-image',
  updatedAt: 'updated-at',
  runUrl: 'run-url'
} as const satisfies Record<keyof PromotionState, string>

/** The state in a Deployment's annotations. */
export function readState(object: KubeObject): PromotionState {
  const annotations = annotationsOf(object)
  const state: Record<string, unknown> = {}
  for (const [field, key] of Object.entries(KEYS)) {
    const value = annotations[PREFIX + key]
    if (value === undefined || value === '') continue
    if (field === 'weight' || field === 'partition') state[field] = Number(value)
    else if (field === 'baseline') state[field] = value === 'true'
    else state[field] = value
  }
  return state as PromotionState
}

/** The claim on a Deployment, if any and not expired at `now`. */
export function readClaim(object: KubeObject, now = Date.now()): Claim | undefined {
  const raw = annotationsOf(object)[LOCK_ANNOTATION]
  if (!raw) return undefined
  try {
    const claim = JSON.parse(raw) as Claim
    return Date.parse(claim.expires) > now ? claim : undefined
  } catch {
    return undefined
  }
}

/**
 * Claims the workload for `claim.holder`: fails with ClaimedError when another run holds it, or
 * with whatever `check` throws for the live object and its state (an illegal transition), both
 * after re-reading on a write conflict. Returns the object as claimed.
 */
export async function claimWorkload(
  client: KubeClient,
  ref: ObjectRef,
  claim: Claim,
  check: (live: KubeObject, state: PromotionState) => void
): Promise<KubeObject> {
  return client.update<KubeObject>(
    ref,
    (live) => {
      const held = readClaim(live)
      if (held && held.holder !== claim.holder) {
        throw new ClaimedError(`${ref.kind.toLowerCase()}/${ref.name}`, held)
      }
      check(live, readState(live))
      return withAnnotations(live, { [LOCK_ANNOTATION]: JSON.stringify(claim) })
    },
    { fieldManager: 'rollout-kit-promote' }
  )
}

/**
 * Writes `state` (fields set to undefined are removed; fields not named are kept) and drops the
 * claim of `holder`; with no state, only drops the claim.
 */
export async function settleWorkload(
  client: KubeClient,
  ref: ObjectRef,
  holder: string,
  state?: Partial<Record<keyof PromotionState, unknown>>
): Promise<KubeObject> {
  return client.update<KubeObject>(
    ref,
    (live) => {
      const changes: Record<string, string | undefined> = {}
      const held = readClaim(live, 0)
      if (held?.holder === holder) changes[LOCK_ANNOTATION] = undefined
      for (const [field, value] of Object.entries(state ?? {})) {
        const key = KEYS[field as keyof PromotionState]
        changes[PREFIX + key] = value === undefined ? undefined : String(value)
      }
      return withAnnotations(live, changes)
    },
    { fieldManager: 'rollout-kit-promote' }
  )
}

/** A copy of the object with annotations set (a value of undefined removes one). */
export function withAnnotations(
  object: KubeObject,
  changes: Record<string, string | undefined>
): KubeObject {
  const annotations = { ...annotationsOf(object) }
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) delete annotations[key]
    else annotations[key] = value
  }
  return { ...object, metadata: { ...object.metadata, annotations } }
}

function annotationsOf(object: KubeObject): Record<string, string> {
  return { ...(object.metadata.annotations as Record<string, string> | undefined) }
}
