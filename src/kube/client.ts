/**
 * A small Kubernetes client on @kubernetes/client-node: discovery, get, list, create, server-side
 * apply, conflict-safe update and delete. Every call is retried on transient faults (429, 5xx,
 * resets, timeouts; not on connection refused) and fails as a KubeError naming server, verb,
 * resource, object, namespace and status.
 *
 * KubernetesObjectApi carries the requests (kubeconfig credentials, TLS, user agent). Its CRUD
 * methods are not used as they are, because they pass bodies and answers through client-node's typed
 * models, which drop whatever a model does not name as written: fields newer than the model (a PUT
 * would then clear them on a newer cluster) and keys that are not JS identifiers, such as
 * `x-kubernetes-preserve-unknown-fields` in a CRD schema. The subclass below sends and returns JSON
 * as it is, and paths are built here from discovery (KubernetesObjectApi keeps its own protected).
 */
import {
  ApiException,
  HttpMethod,
  KubernetesObjectApi,
  PatchStrategy,
  type KubeConfig,
  type ResponseContext
} from '@kubernetes/client-node'
import { DEFAULT_RETRY, withRetry, type RetryPolicy, type Verdict } from '../retry/index.js'
import { classifyKube, KubeError, kubeError, type KubeOperation } from './errors.js'
import type { KubeObject } from './manifests.js'

/** An object to create: the server may generate its name, or it has none (access reviews). */
export interface NewObject {
  apiVersion: string
  kind: string
  metadata?: { name?: string; namespace?: string; [k: string]: unknown }
  [k: string]: unknown
}

/** Names one object: its kind, name and, for namespaced kinds, namespace (default: the client's). */
export interface ObjectRef {
  readonly apiVersion: string
  readonly kind: string
  readonly name: string
  readonly namespace?: string
}

/** What discovery says about a kind. */
export interface ResourceInfo {
  /** Plural resource name in URLs and RBAC rules, e.g. `deployments`. */
  readonly plural: string
  /** API group, empty for the core group. */
  readonly group: string
  readonly version: string
  readonly namespaced: boolean
  readonly verbs: readonly string[]
}

/** A kind that the API server does not serve, or an apiVersion it does not serve at all. */
export class UnknownKindError extends Error {
  constructor(
    readonly server: string,
    readonly apiVersion: string,
    readonly kind: string,
    /** The kinds the apiVersion has, or undefined when the apiVersion is not served. */
    readonly kinds: readonly string[] | undefined,
    /** When the apiVersion is not served: the versions its group is served as. */
    readonly groupVersions: readonly string[] = []
  ) {
    super(
      kinds
        ? `Kubernetes API ${server} has no kind ${kind} in apiVersion ${apiVersion}; ` +
            `${apiVersion} has: ${kinds.join(', ') || 'no kinds'}`
        : `Kubernetes API ${server} does not serve apiVersion ${apiVersion} (kind ${kind}); ` +
            (groupVersions.length > 0
              ? `its group is served as: ${groupVersions.join(', ')}`
              : 'no such API group is served (is its CustomResourceDefinition installed?)')
    )
    this.name = 'UnknownKindError'
  }
}

/** Options of {@link KubeClient}. */
export interface KubeClientOptions {
  /** Retries of transient faults (default DEFAULT_RETRY). */
  readonly retry?: RetryPolicy
  /** Time limit of one request in milliseconds (default 60 s); a timeout counts as transient. */
  readonly timeoutMs?: number
}

interface DiscoveredKind extends ResourceInfo {
  readonly kind: string
}

/** One request: query parameters (undefined ones left out), body and its type. */
interface Request {
  readonly query?: Record<string, string | undefined>
  readonly body?: unknown
  readonly contentType?: string
}

/** KubernetesObjectApi's transport, with JSON passed through untouched both ways. */
class JsonObjectApi extends KubernetesObjectApi {
  timeoutMs = 60_000

  async send<T>(method: HttpMethod, path: string, request: Request = {}): Promise<T> {
    const context = this.configuration.baseServer.makeRequestContext(path, method)
    context.setHeaderParam('Accept', 'application/json')
    context.setSignal(AbortSignal.timeout(this.timeoutMs))
    for (const [name, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) context.setQueryParam(name, value)
    }
    if (request.body !== undefined) {
      context.setHeaderParam('Content-Type', request.contentType ?? 'application/json')
      context.setBody(JSON.stringify(request.body))
    }
    return (await this.requestPromise(context)) as T
  }

  protected override async processResponse<T>(response: ResponseContext): Promise<T> {
    const text = await response.body.text()
    const status = response.httpStatusCode
    if (status < 200 || status > 299) {
      throw new ApiException(status, 'Unsuccessful HTTP Request', text, response.headers)
    }
    return (text ? JSON.parse(text) : undefined) as T
  }
}

/** A Kubernetes API client for one kubeconfig context. */
export class KubeClient {
  /** The API server URL of the current context. */
  readonly server: string
  readonly kc: KubeConfig
  /** The current context's namespace, `default` when it names none. */
  readonly namespace: string
  private readonly api: JsonObjectApi
  private readonly retry: RetryPolicy
  private readonly discovered = new Map<string, DiscoveredKind[]>()

  constructor(kc: KubeConfig, options: KubeClientOptions = {}) {
    const cluster = kc.getCurrentCluster()
    if (!cluster) throw new Error(`kubeconfig context '${kc.getCurrentContext()}' has no cluster`)
    this.kc = kc
    this.server = cluster.server.replace(/\/+$/, '')
    this.namespace = kc.getContextObject(kc.getCurrentContext())?.namespace || 'default'
    this.api = kc.makeApiClient(JsonObjectApi)
    this.api.timeoutMs = options.timeoutMs ?? this.api.timeoutMs
    this.retry = options.retry ?? DEFAULT_RETRY
  }

  /** Discovery of a kind; cached per apiVersion, asked again when the kind is missing. */
  async resource(apiVersion: string, kind: string): Promise<ResourceInfo> {
    let kinds = this.discovered.get(apiVersion)
    if (!kinds?.some((k) => k.kind === kind)) {
      kinds = await this.fetchKinds(apiVersion)
      if (kinds) this.discovered.set(apiVersion, kinds)
    }
    const found = kinds?.find((k) => k.kind === kind)
    if (found) {
      const { plural, group, version, namespaced, verbs } = found
      return { plural, group, version, namespaced, verbs }
    }
    if (kinds) {
      const names = [...new Set(kinds.map((k) => k.kind))].sort()
      throw new UnknownKindError(this.server, apiVersion, kind, names)
    }
    const versions = await this.groupVersions(apiVersion)
    throw new UnknownKindError(this.server, apiVersion, kind, undefined, versions)
  }

  /** The object, or undefined when it does not exist (404). */
  async get<T extends KubeObject>(ref: ObjectRef): Promise<T | undefined> {
    const { info, op } = await this.target('get', ref)
    return this.call(op, () => this.api.send<T>(HttpMethod.GET, objectPath(info, op))).catch(
      notFound
    )
  }

  /** All objects of a kind in a namespace (all namespaces when undefined), page by page. */
  async list<T>(
    apiVersion: string,
    kind: string,
    namespace?: string,
    options: { labelSelector?: string; fieldSelector?: string } = {}
  ): Promise<T[]> {
    const info = await this.resource(apiVersion, kind)
    const op = operation(this.server, 'list', info, { namespace: info.namespaced ? namespace : '' })
    const items: T[] = []
    let next: string | undefined
    do {
      const query = { ...options, limit: '500', continue: next }
      const page = await this.call(op, () =>
        this.api.send<{ items: T[]; metadata: { continue?: string } }>(
          HttpMethod.GET,
          collectionPath(info, op.namespace),
          { query }
        )
      )
      // list items come without apiVersion and kind; give them back as `get` would
      items.push(...page.items.map((item) => ({ apiVersion, kind, ...item })))
      next = page.metadata.continue || undefined
    } while (next)
    return items
  }

  /** Creates an object (POST); `metadata.name` may be absent for kinds such as access reviews. */
  async create<T>(
    object: NewObject,
    options: { dryRun?: boolean; fieldManager?: string } = {}
  ): Promise<T> {
    const meta = object.metadata ?? {}
    const info = await this.resource(object.apiVersion, object.kind)
    const op = operation(this.server, 'create', info, {
      name: meta.name,
      namespace: info.namespaced ? (meta.namespace ?? this.namespace) : undefined
    })
    const body = { ...object, metadata: { ...meta, namespace: op.namespace } }
    const query = { dryRun: options.dryRun ? 'All' : undefined, fieldManager: options.fieldManager }
    return this.call(op, () =>
      this.api.send<T>(HttpMethod.POST, collectionPath(info, op.namespace), { query, body })
    )
  }

  /** Server-side apply of the object as `fieldManager`; namespaced kinds default the namespace. */
  async apply<T>(
    object: KubeObject,
    options: { fieldManager: string; force?: boolean; dryRun?: boolean }
  ): Promise<T> {
    const { info, op } = await this.target('patch', refOf(object))
    // the namespace the path names; none for cluster-scoped kinds
    const metadata: Record<string, unknown> = { ...object.metadata, namespace: op.namespace }
    if (!op.namespace) delete metadata.namespace
    const body = { ...object, metadata }
    const query = {
      fieldManager: options.fieldManager,
      force: options.force ? 'true' : undefined,
      dryRun: options.dryRun ? 'All' : undefined
    }
    return this.call(op, () =>
      this.api.send<T>(HttpMethod.PATCH, objectPath(info, op), {
        query,
        body,
        contentType: PatchStrategy.ServerSideApply
      })
    )
  }

  /**
   * Reads the object, lets `mutate` change it (a copy; return undefined for no change) and writes it
   * back with its resourceVersion; on 409 Conflict reads again and calls `mutate` again, a few times.
   */
  async update<T extends KubeObject>(
    ref: ObjectRef,
    mutate: (live: T) => T | undefined | Promise<T | undefined>,
    options: { fieldManager?: string } = {}
  ): Promise<T> {
    const { info, op } = await this.target('update', ref)
    const conflicts: RetryPolicy = { ...this.retry, attempts: 8, baseDelayMs: 20, maxDelayMs: 1000 }
    return withRetry(
      conflicts,
      async () => {
        const live = await this.get<T>(ref)
        if (!live) {
          throw new KubeError(op, { status: 404, reason: 'NotFound', message: 'it does not exist' })
        }
        // a JSON copy, made as the answer was: structuredClone may build its objects in another
        // realm (it does under jest's vm contexts), which isDeepStrictEqual tells apart
        const changed = await mutate(JSON.parse(JSON.stringify(live)) as T)
        if (changed === undefined) return live
        const body = {
          ...changed,
          metadata: { ...changed.metadata, resourceVersion: live.metadata.resourceVersion }
        }
        const query = { fieldManager: options.fieldManager }
        return this.call(op, () =>
          this.api.send<T>(HttpMethod.PUT, objectPath(info, op), { query, body })
        )
      },
      isConflict
    )
  }

  /** Deletes the object (dependents in the background); one already gone counts as deleted. */
  async delete(ref: ObjectRef): Promise<void> {
    const { info, op } = await this.target('delete', ref)
    const body = { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Background' }
    await this.call(op, () =>
      this.api.send(HttpMethod.DELETE, objectPath(info, op), { body })
    ).catch(notFound)
  }

  private async target(
    verb: string,
    ref: ObjectRef
  ): Promise<{ info: ResourceInfo; op: KubeOperation }> {
    const info = await this.resource(ref.apiVersion, ref.kind)
    const namespace = info.namespaced ? (ref.namespace ?? this.namespace) : undefined
    return { info, op: operation(this.server, verb, info, { name: ref.name, namespace }) }
  }

  /** The kinds an apiVersion serves; undefined when it is not served (404). */
  private async fetchKinds(apiVersion: string): Promise<DiscoveredKind[] | undefined> {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion]
    const path = group ? `/apis/${apiVersion}` : `/api/${apiVersion}`
    const op = { server: this.server, verb: 'get', resource: path }
    type Entry = { name: string; kind: string; namespaced: boolean; verbs: string[] }
    const list = await this.call(op, () =>
      this.api.send<{ resources: Entry[] }>(HttpMethod.GET, path)
    ).catch(notFound)
    return list?.resources
      .filter((r) => !r.name.includes('/')) // subresources such as deployments/scale
      .map((r) => ({ ...r, plural: r.name, group: group ?? '', version: version ?? '' }))
  }

  /** The versions the group of `apiVersion` is served as, e.g. `apps/v1`. */
  private async groupVersions(apiVersion: string): Promise<string[]> {
    if (!apiVersion.includes('/')) return ['v1']
    const group = apiVersion.split('/')[0]
    const op = { server: this.server, verb: 'get', resource: '/apis' }
    const list = await this.call(op, () =>
      this.api.send<{ groups: { name: string; versions: { groupVersion: string }[] }[] }>(
        HttpMethod.GET,
        '/apis'
      )
    )
    return (list.groups.find((g) => g.name === group)?.versions ?? []).map((v) => v.groupVersion)
  }

  private call<T>(op: KubeOperation, send: () => Promise<T>): Promise<T> {
    return withRetry(
      this.retry,
      async () => {
        try {
          return await send()
        } catch (error) {
          throw kubeError(timedOut(error, this.api.timeoutMs), op)
        }
      },
      classifyKube
    )
  }
}

/** `deployments.apps`, or `pods` for the core group: the resource as RBAC names it. */
export function resourceName(info: ResourceInfo): string {
  return info.group ? `${info.plural}.${info.group}` : info.plural
}

/** The reference of an object. */
export function refOf(object: KubeObject): ObjectRef {
  const { apiVersion, kind } = object
  const { name, namespace } = object.metadata
  return namespace ? { apiVersion, kind, name, namespace } : { apiVersion, kind, name }
}

function operation(
  server: string,
  verb: string,
  info: ResourceInfo,
  { name, namespace }: { name?: string; namespace?: string }
): KubeOperation {
  return {
    server,
    verb,
    resource: resourceName(info),
    name: name || undefined,
    namespace: namespace || undefined
  }
}

function collectionPath(info: ResourceInfo, namespace?: string): string {
  const root = info.group ? `/apis/${info.group}/${info.version}` : `/api/${info.version}`
  const scope = info.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : ''
  return `${root}${scope}/${info.plural}`
}

function objectPath(info: ResourceInfo, op: KubeOperation): string {
  return `${collectionPath(info, op.namespace)}/${encodeURIComponent(op.name ?? '')}`
}

/** Undefined for a 404; any other failure is rethrown. */
function notFound(error: unknown): undefined {
  if (error instanceof KubeError && error.status === 404) return undefined
  throw error
}

const isConflict = (error: unknown): Verdict =>
  error instanceof KubeError && error.status === 409
    ? { retry: true, reason: 'conflict' }
    : { retry: false }

/** fetch rejects a timed-out request with a DOMException whose numeric `code` is no HTTP status. */
function timedOut(error: unknown, timeoutMs: number): unknown {
  // by name: the DOMException may come from another realm than this module's Error
  if ((error as { name?: unknown } | null)?.name === 'TimeoutError') {
    return Object.assign(new Error(`no answer in ${timeoutMs} ms`), { code: 'ETIMEDOUT' })
  }
  return error
}
