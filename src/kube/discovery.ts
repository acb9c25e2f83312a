/**
 * API discovery: what an apiVersion serves (`/api/v1`, `/apis/<group>/<version>`), read into the
 * plural, scope and verbs of each kind and cached per apiVersion. A kind missing from the cache is
 * asked again, so that one whose CustomResourceDefinition was applied since is found. An unknown
 * kind fails naming the kinds its apiVersion has, or, when the apiVersion is not served, the
 * versions its group is served as.
 */
import type { KubeOperation } from './errors.js'
import { notFound } from './json-object-api.js'

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

/** GETs `path` as the operation `op` (retried, failing as a KubeError) and returns its JSON. */
export type DiscoveryGet = <T>(op: KubeOperation, path: string) => Promise<T>

interface DiscoveredKind extends ResourceInfo {
  readonly kind: string
}

const WORKLOAD_VERBS = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch'
]

/**
 * The apps/v1 workloads, served alike by every Kubernetes since 1.9: known without asking, so that a
 * poll that finds nothing new costs one GET of its workload. Any other apps/v1 kind is discovered.
 */
const APPS_V1: readonly DiscoveredKind[] = [
  ['Deployment', 'deployments'],
  ['StatefulSet', 'statefulsets'],
  ['DaemonSet', 'daemonsets'],
  ['ReplicaSet', 'replicasets']
].map(([kind, plural]) => ({
  kind,
  plural,
  group: 'apps',
  version: 'v1',
  namespaced: true,
  verbs: WORKLOAD_VERBS
}))

/** The discovery of one API server, cached per apiVersion. */
export class Discovery {
  private readonly discovered = new Map<string, readonly DiscoveredKind[]>([['apps/v1', APPS_V1]])

  constructor(
    /** The API server URL, for operations and errors. */
    readonly server: string,
    private readonly get: DiscoveryGet
  ) {}

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

  /** The kinds an apiVersion serves; undefined when it is not served (404). */
  private async fetchKinds(apiVersion: string): Promise<DiscoveredKind[] | undefined> {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion]
    const path = group ? `/apis/${apiVersion}` : `/api/${apiVersion}`
    const op = { server: this.server, verb: 'get', resource: path }
    type Entry = { name: string; kind: string; namespaced: boolean; verbs: string[] }
    const list = await this.get<{ resources: Entry[] }>(op, path).catch(notFound)
    return list?.resources
      .filter((r) => !r.name.includes('/')) // subresources such as deployments/scale
      .map((r) => ({ ...r, plural: r.name, group: group ?? '', version: version ?? '' }))
  }

  /** The versions the group of `apiVersion` is served as, e.g. `apps/v1`. */
  private async groupVersions(apiVersion: string): Promise<string[]> {
    if (!apiVersion.includes('/')) return ['v1']
    const group = apiVersion.split('/')[0]
    const op = { server: this.server, verb: 'get', resource: '/apis' }
    const list = await this.get<{
      groups: { name: string; versions: { groupVersion: string }[] }[]
    }>(op, '/apis')
    return (list.groups.find((g) => g.name === group)?.versions ?? []).map((v) => v.groupVersion)
  }
}
