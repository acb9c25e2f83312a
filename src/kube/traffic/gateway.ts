/**
 * Traffic through the Gateway API: the weights of an HTTPRoute's backendRefs
 * (gateway.networking.k8s.io/v1, https://gateway-api.sigs.k8s.io/reference/spec/#httpbackendref).
 * Promote replaces the refs to the Services it manages (stable, canary, baseline, green) in each
 * rule, leaving every other ref alone, and keeps the refs it found in the annotation
 * `rollout-kit/original-backends` until they are restored.
 *
 * Writes are read-modify-writes with the resourceVersion (KubeClient.update): two promote runs
 * racing on a route both apply in some order, and the saved original is never overwritten by a
 * route that was already changed.
 */
import { isDeepStrictEqual } from 'node:util'
import { UnknownKindError, type KubeClient, type ObjectRef } from '../client.js'
import type { KubeObject } from '../manifests.js'
import { TrafficError } from './services.js'

/** Annotation holding the refs of the rules promote changed, as they were before (JSON). */
export const ORIGINAL_BACKENDS_ANNOTATION = 'rollout-kit/original-backends'

const API_VERSION = 'gateway.networking.k8s.io/v1'
const MAX_WEIGHT = 1_000_000

/** One backendRef of an HTTPRoute rule. */
interface BackendRef {
  group?: string
  kind?: string
  name: string
  namespace?: string
  port?: number
  weight?: number
  [k: string]: unknown
}
interface Rule {
  backendRefs?: BackendRef[]
  [k: string]: unknown
}
/** The refs of one rule before promote changed them. */
interface SavedRule {
  readonly rule: number
  readonly backendRefs: BackendRef[]
}

const routeRef = (namespace: string, name: string): ObjectRef => ({
  apiVersion: API_VERSION,
  kind: 'HTTPRoute',
  name,
  namespace
})

const rulesOf = (route: KubeObject): Rule[] =>
  ((route.spec as { rules?: Rule[] } | undefined)?.rules ?? []) as Rule[]
const annotationsOf = (o: KubeObject): Record<string, string> =>
  (o.metadata.annotations ?? {}) as Record<string, string>

/** Does the ref name one of `services` in the route's namespace (a core Service)? */
function refersTo(ref: BackendRef, namespace: string, services: readonly string[]): boolean {
  return (
    services.includes(ref.name) &&
    (ref.kind ?? 'Service') === 'Service' &&
    (ref.group ?? '') === '' &&
    (ref.namespace ?? namespace) === namespace
  )
}

const routesTo = (route: KubeObject, namespace: string, service: string): boolean =>
  rulesOf(route).some((r) => (r.backendRefs ?? []).some((b) => refersTo(b, namespace, [service])))

/** Turns "the kind is not served" into a sentence about the Gateway API. */
function notServed(client: KubeClient) {
  return (error: unknown): never => {
    if (error instanceof UnknownKindError) {
      throw new TrafficError(
        `HTTPRoute (${API_VERSION}) is not served by the cluster at ${client.server}: ` +
          `install the Gateway API CRDs, or route traffic another way`
      )
    }
    throw error
  }
}

/**
 * The HTTPRoutes of the namespace with a backendRef to Service `service`; with `name`, that route,
 * which must have one. None found, or HTTPRoute not served, fails.
 */
export async function routesFor(
  client: KubeClient,
  opts: { namespace: string; service: string; name?: string }
): Promise<KubeObject[]> {
  const { namespace, service, name } = opts
  if (name !== undefined) {
    const route = await client.get(routeRef(namespace, name)).catch(notServed(client))
    if (!route) throw new TrafficError(`HTTPRoute ${name} does not exist in namespace ${namespace}`)
    if (!routesTo(route, namespace, service)) {
      throw new TrafficError(
        `HTTPRoute ${name} in namespace ${namespace} does not send traffic to Service ${service}: ` +
          `none of its backendRefs names it`
      )
    }
    return [route]
  }
  const all = await client
    .list<KubeObject>(API_VERSION, 'HTTPRoute', namespace)
    .catch(notServed(client))
  const found = all.filter((route) => routesTo(route, namespace, service))
  if (found.length === 0) {
    throw new TrafficError(
      `no HTTPRoute in namespace ${namespace} sends traffic to Service ${service}`
    )
  }
  return found
}

function checkBackends(
  managed: readonly string[],
  backends: readonly { name: string; weight?: number }[]
): void {
  if (backends.length === 0) throw new RangeError('no backends to route to were given')
  for (const { name, weight } of backends) {
    if (!managed.includes(name)) {
      throw new RangeError(
        `backend ${name} is not one of the managed Services (${managed.join(', ')})`
      )
    }
    if (weight !== undefined && (!Number.isInteger(weight) || weight < 0 || weight > MAX_WEIGHT)) {
      throw new RangeError(
        `weight of backend ${name} is ${weight}; expected an integer from 0 to ${MAX_WEIGHT}`
      )
    }
  }
}

/** The rule's refs with the managed ones replaced by `backends` where the first of them was. */
function replaceRefs(
  refs: BackendRef[],
  isManaged: (ref: BackendRef) => boolean,
  backends: readonly { name: string; weight?: number }[]
): BackendRef[] {
  const first = refs.find(isManaged) as BackendRef
  const { group, kind, port, filters } = first
  const replacement = backends.map(({ name, weight }) => ({
    ...(group === undefined ? {} : { group }),
    ...(kind === undefined ? {} : { kind }),
    name,
    ...(port === undefined ? {} : { port }),
    ...(weight === undefined ? {} : { weight }),
    ...(filters === undefined ? {} : { filters })
  }))
  return refs.flatMap((ref) => (ref === first ? replacement : isManaged(ref) ? [] : [ref]))
}

/** A ref with the Gateway API's defaults filled in, as its CRD's schema defaults them. */
const withDefaults = (ref: BackendRef): BackendRef => ({
  group: '',
  kind: 'Service',
  weight: 1,
  ...ref
})

/** Do two rule lists say the same, a ref's defaulted fields (group, kind, weight) aside? */
function sameRules(a: Rule[], b: Rule[]): boolean {
  const normal = (rules: Rule[]): Rule[] =>
    rules.map((r) => (r.backendRefs ? { ...r, backendRefs: r.backendRefs.map(withDefaults) } : r))
  return isDeepStrictEqual(normal(a), normal(b))
}

/** The saved original refs of a route (none when it was not changed by promote). */
function savedOf(route: KubeObject): SavedRule[] | undefined {
  const text = annotationsOf(route)[ORIGINAL_BACKENDS_ANNOTATION]
  if (text === undefined) return undefined
  try {
    return JSON.parse(text) as SavedRule[]
  } catch {
    throw new TrafficError(
      `HTTPRoute ${route.metadata.name} in namespace ${route.metadata.namespace} has an ` +
        `annotation ${ORIGINAL_BACKENDS_ANNOTATION} that is not JSON: remove it or put the JSON back`
    )
  }
}

/**
 * In every rule of the route with a backendRef to one of `managed`, replaces those refs with
 * `backends` (group, kind, port and filters of the first replaced ref; weight as given), keeping
 * the rule's original refs in `rollout-kit/original-backends` first. Returns whether it changed.
 */
export async function setRouteBackends(
  client: KubeClient,
  opts: {
    namespace: string
    route: string
    managed: readonly string[]
    backends: readonly { name: string; weight?: number }[]
    fieldManager: string
  }
): Promise<boolean> {
  const { namespace, route, managed, backends, fieldManager } = opts
  checkBackends(managed, backends)
  const isManaged = (ref: BackendRef): boolean => refersTo(ref, namespace, managed)
  let changed = false
  await client
    .update<KubeObject>(
      routeRef(namespace, route),
      (live) => {
        const rules = rulesOf(live)
        const saved = savedOf(live) ?? []
        const touched = rules.flatMap((rule, index) =>
          (rule.backendRefs ?? []).some(isManaged) ? [index] : []
        )
        if (touched.length === 0) {
          throw new TrafficError(
            `HTTPRoute ${route} in namespace ${namespace} has no backendRef to any of the ` +
              `Services ${managed.join(', ')}`
          )
        }
        const next = rules.map((rule, index) =>
          touched.includes(index)
            ? { ...rule, backendRefs: replaceRefs(rule.backendRefs ?? [], isManaged, backends) }
            : rule
        )
        changed = !sameRules(next, rules)
        if (!changed) return undefined
        // a rule changed for the first time keeps its refs as they were
        const unsaved = touched.filter((index) => !saved.some((s) => s.rule === index))
        const original = [
          ...saved,
          ...unsaved.map((rule) => ({ rule, backendRefs: rules[rule]?.backendRefs ?? [] }))
        ]
        const annotations = {
          ...annotationsOf(live),
          [ORIGINAL_BACKENDS_ANNOTATION]: JSON.stringify(original)
        }
        return {
          ...live,
          metadata: { ...live.metadata, annotations },
          spec: { ...(live.spec as object), rules: next }
        }
      },
      { fieldManager }
    )
    .catch(notServed(client))
  return changed
}

/** The weights of the managed backends in the route's first rule that has one: { name: weight }. */
export async function routeWeights(
  client: KubeClient,
  opts: { namespace: string; route: string; managed: readonly string[] }
): Promise<Record<string, number>> {
  const { namespace, route, managed } = opts
  const live = await client.get(routeRef(namespace, route)).catch(notServed(client))
  if (!live) throw new TrafficError(`HTTPRoute ${route} does not exist in namespace ${namespace}`)
  const refs = rulesOf(live)
    .map((rule) => (rule.backendRefs ?? []).filter((ref) => refersTo(ref, namespace, managed)))
    .find((found) => found.length > 0)
  // an absent weight is 1 (Gateway API's default)
  return Object.fromEntries((refs ?? []).map((ref) => [ref.name, ref.weight ?? 1]))
}

/**
 * Puts back the refs saved in `rollout-kit/original-backends` and removes the annotation; false
 * when nothing was saved.
 */
export async function restoreRouteBackends(
  client: KubeClient,
  opts: { namespace: string; route: string; fieldManager: string }
): Promise<boolean> {
  const { namespace, route, fieldManager } = opts
  let restored = false
  await client
    .update<KubeObject>(
      routeRef(namespace, route),
      (live) => {
        const saved = savedOf(live)
        restored = saved !== undefined
        if (!saved) return undefined
        const rules = rulesOf(live).map((rule, index) => {
          const original = saved.find((s) => s.rule === index)
          return original ? { ...rule, backendRefs: original.backendRefs } : rule
        })
        const annotations = { ...annotationsOf(live) }
        delete annotations[ORIGINAL_BACKENDS_ANNOTATION]
        return {
          ...live,
          metadata: { ...live.metadata, annotations },
          spec: { ...(live.spec as object), rules }
        }
      },
      { fieldManager }
    )
    .catch(notServed(client))
  return restored
}
