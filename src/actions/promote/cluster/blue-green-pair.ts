/**
 * A blue-green pair: blue is the workload itself, green its `<name>-green` copy; what the Service
 * (or the HTTPRoutes) select for each colour, read from the cluster and the recorded state, and the
 * steps the stages share: run a colour, switch the traffic to it.
 */
import {
  ensureVariantService,
  type KubeObject,
  type PromotionState,
  readState,
  relabelled,
  routesFor,
  setRouteBackends,
  setServiceSelector,
  TRACK_LABEL,
  variantDeployment,
  withImagePullSecrets,
  variantName
} from '../../../kube/index.js'
import type { TrafficMethod } from './inputs.js'
import { applyConfig, type TemplateChange } from './change.js'
import type { ClusterContext, StageResult } from './context.js'
import { selectorOf, stableService } from './traffic.js'
import { awaitRollout, getStable, chooseContainer, rollOutImage } from './workload.js'

/** A colour of the pair: blue is the workload itself, green its `-green` copy. */
export type Color = 'blue' | 'green'

/** Where a blue-green pair stands, read before anything changes. */
export interface Pair {
  readonly blue: KubeObject
  readonly state: PromotionState
  readonly container: string
  readonly active: Color
  /** The stable Service's name. */
  readonly service: string
  /** What the Service selects for each colour. */
  readonly selectors: Record<Color, Record<string, string>>
  /** What switches the traffic: the one recorded at the first switch, else the `traffic` input. */
  readonly traffic: TrafficMethod
}

export const other = (color: Color): Color => (color === 'blue' ? 'green' : 'blue')

/** The Deployment of a colour. */
export function colorName(context: ClusterContext, color: Color): string {
  return color === 'blue' ? context.ref.name : variantName(context.ref.name, 'green')
}

export async function readPair(context: ClusterContext): Promise<Pair> {
  const blue = await getStable(
    context,
    'blue-green starts from a running Deployment (blue); create it first with stage production and its manifests'
  )
  const state = readState(blue)
  if (state.stage === 'canary') {
    throw new Error(
      `Refusing blue-green on ${context.label}: a canary of ${state.canaryImage} runs; promote it or roll it back first`
    )
  }
  const { name: container } = chooseContainer(context, blue, state)
  const active = state.activeColor ?? 'blue'
  let service: string
  let blueSelector: Record<string, string>
  if (state.blueSelector && state.service) {
    service = context.inputs.service ?? state.service
    blueSelector = JSON.parse(state.blueSelector) as Record<string, string>
  } else {
    const found = await stableService(context, blue)
    service = found.metadata.name
    blueSelector = selectorOf(found)
  }
  const keys = Object.keys(blueSelector)
  const green = { ...relabelled(blueSelector, keys, 'green'), [TRACK_LABEL]: 'green' }
  // a rollback or finalize switches the way the pair was switched, whatever its `traffic` input
  const traffic =
    state.strategy === 'blue-green' && isTrafficMethod(state.traffic)
      ? state.traffic
      : context.inputs.traffic
  return {
    blue,
    state,
    container,
    active,
    service,
    selectors: { blue: blueSelector, green },
    traffic
  }
}

function isTrafficMethod(value: string | undefined): value is TrafficMethod {
  return value === 'replicas' || value === 'gateway-api' || value === 'nginx'
}

export function checkPair(context: ClusterContext, state: PromotionState, active: Color): void {
  if ((state.activeColor ?? 'blue') !== active || state.stage === 'canary') {
    throw new Error(
      `Refusing: the state of ${context.label} changed while this run started; run again`
    )
  }
}

export async function colorObject(
  context: ClusterContext,
  color: Color,
  blue: KubeObject
): Promise<KubeObject | undefined> {
  return color === 'blue'
    ? blue
    : context.kube.get<KubeObject>({ ...context.ref, name: colorName(context, color) })
}

/**
 * Makes a colour run `image` at `replicas` and waits; a failure puts the colour back. With a
 * change from manifests, the colour runs their whole pod template (green's with its own labels).
 */
export async function runColor(
  context: ClusterContext,
  pair: Pair,
  color: Color,
  image: string,
  replicas: number,
  change?: TemplateChange
): Promise<void> {
  if (change) await applyConfig(context, change)
  if (color === 'blue') {
    await rollOutImage(context, context.ref.name, pair.container, image, {
      replicas,
      template: change?.template
    })
    return
  }
  const name = colorName(context, 'green')
  const before = await context.kube.get<KubeObject>({ ...context.ref, name })
  const keys = Object.keys(pair.selectors.blue)
  const base = change
    ? { ...pair.blue, spec: { ...(pair.blue.spec as object), template: change.template } }
    : pair.blue
  const green = withImagePullSecrets(
    variantDeployment(base, {
      track: 'green',
      container: pair.container,
      image,
      replicas,
      relabel: keys
    }),
    context.inputs.imagePullSecrets
  )
  if (before) {
    await rollOutImage(context, name, pair.container, image, {
      replicas,
      template: change && (green.spec as { template: Record<string, unknown> }).template
    })
    return
  }
  await context.kube.apply(green, { fieldManager: 'rollout-kit-promote', force: true })
  await awaitRollout(context, name, async () => {
    await context.kube.delete({ ...context.ref, name })
    return `Deleted deployment/${name} again.`
  })
}

/** Points the traffic at a colour: the Service selector, or the HTTPRoutes' backend. */
export async function switchTo(
  context: ClusterContext,
  pair: Pair,
  color: Color
): Promise<string[]> {
  const { kube, namespace, inputs } = context
  const greenService = variantName(pair.service, 'green')
  if (pair.traffic !== 'gateway-api') {
    await setServiceSelector(kube, {
      namespace,
      name: pair.service,
      selector: pair.selectors[color],
      fieldManager: inputs.fieldManager
    })
    return [`service/${pair.service} selects ${color}`]
  }
  const stable = await kube.get<KubeObject>({
    apiVersion: 'v1',
    kind: 'Service',
    name: pair.service,
    namespace
  })
  if (!stable)
    throw new Error(`Service ${pair.service} in namespace ${namespace} does not exist any more`)
  await ensureVariantService(kube, {
    namespace,
    stable,
    name: greenService,
    selector: pair.selectors.green,
    fieldManager: inputs.fieldManager
  })
  const from = color === 'green' ? pair.service : greenService
  const to = color === 'green' ? greenService : pair.service
  const routes = await routesFor(kube, { namespace, service: from, name: inputs.route })
  for (const route of routes) {
    await setRouteBackends(kube, {
      namespace,
      route: route.metadata.name,
      managed: [pair.service, greenService],
      backends: [{ name: to }],
      fieldManager: inputs.fieldManager
    })
  }
  return routes.map((route) => `httproute/${route.metadata.name} sends to ${to} (${color})`)
}

export function unchanged(context: ClusterContext, pair: Pair, message: string): StageResult {
  return {
    image: context.image,
    changed: false,
    activeColor: pair.active,
    message: `${message}: nothing to do`,
    rows: []
  }
}
