/**
 * A small Kubernetes client on @kubernetes/client-node: discovery, get, list, create, server-side
 * apply, conflict-safe update and delete. Every call is retried on transient faults (429, 5xx,
 * resets, timeouts; not on connection refused) and fails as a KubeError naming server, verb,
 * resource, object, namespace and status.
 *
 * Requests go through JsonObjectApi (json-object-api.ts), which passes JSON through as it is; paths
 * are built here from discovery (discovery.ts).
 */
import { HttpMethod, PatchStrategy, type KubeConfig } from '@kubernetes/client-node'
import { DEFAULT_RETRY, withRetry, type RetryPolicy, type Verdict } from '../retry/index.js'
import { Discovery, type ResourceInfo } from './discovery.js'
import { classifyKube, KubeError, kubeError, type KubeOperation } from './errors.js'
import { JsonObjectApi, notFound, timedOut } from './json-object-api.js'
import type { KubeObject } from './manifests.js'

export { UnknownKindError, type ResourceInfo } from './discovery.js'

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

/** Options of {@link KubeClient}. */
export interface KubeClientOptions {
  /** Retries of transient faults (default DEFAULT_RETRY). */
  readonly retry?: RetryPolicy
  /** Time limit of one request in milliseconds (default 60 s); a timeout counts as transient. */
  readonly timeoutMs?: number
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
  private readonly discovery: Discovery

  constructor(kc: KubeConfig, options: KubeClientOptions = {}) {
    const cluster = kc.getCurrentCluster()
    if (!cluster) throw new Error(`kubeconfig context '${kc.getCurrentContext()}' has no cluster`)
    this.kc = kc
    this.server = cluster.server.replace(/\/+$/, '')
    this.namespace = kc.getContextObject(kc.getCurrentContext())?.namespace || 'default'
    this.api = kc.makeApiClient(JsonObjectApi)
    this.api.timeoutMs = options.timeoutMs ?? this.api.timeoutMs
    this.retry = options.retry ?? DEFAULT_RETRY
    this.discovery = new Discovery(this.server, (op, path) =>
      this.call(op, () => this.api.send(HttpMethod.GET, path))
    )
  }

  /** Discovery of a kind; cached per apiVersion, asked again when the kind is missing. */
  resource(apiVersion: string, kind: string): Promise<ResourceInfo> {
    return this.discovery.resource(apiVersion, kind)
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

  /**
   * Deletes the object (dependents in the background); one already gone counts as deleted.
   * Returns whether it was there to delete, so callers need no GET first.
   */
  async delete(ref: ObjectRef): Promise<boolean> {
    const { info, op } = await this.target('delete', ref)
    const body = { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Background' }
    const answer = await this.call(op, () =>
      this.api.send<object>(HttpMethod.DELETE, objectPath(info, op), { body })
    ).catch(notFound)
    return answer !== undefined
  }

  private async target(
    verb: string,
    ref: ObjectRef
  ): Promise<{ info: ResourceInfo; op: KubeOperation }> {
    const info = await this.resource(ref.apiVersion, ref.kind)
    const namespace = info.namespaced ? (ref.namespace ?? this.namespace) : undefined
    return { info, op: operation(this.server, verb, info, { name: ref.name, namespace }) }
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

const isConflict = (error: unknown): Verdict =>
  error instanceof KubeError && error.status === 409
    ? { retry: true, reason: 'conflict' }
    : { retry: false }
