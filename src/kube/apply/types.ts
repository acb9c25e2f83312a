/** What server-side apply takes and gives, shared by apply.ts and the checks and ordering it uses. */
import type { ObjectRef } from '../client.js'
import type { ResourceInfo } from '../discovery.js'
import type { KubeObject, ManifestDocument } from '../manifests.js'

/** What applying one document did. */
export interface AppliedObject {
  /** The object as applied (namespace resolved). */
  readonly ref: ObjectRef
  readonly resource: ResourceInfo
  /** It did not exist before. */
  readonly created: boolean
  /** Applying changed it (always true when created). */
  readonly changed: boolean
  /** The live object before the apply; undefined when created. */
  readonly before?: KubeObject
  /** The object as the API server answered the apply. */
  readonly after: KubeObject
  readonly file: string
  readonly line: number
}

/** Options of {@link applyManifests}. */
export interface ApplyOptions {
  /** Field manager that owns the applied fields, e.g. `rollout-kit`. */
  readonly fieldManager: string
  /** Namespace for every namespaced object, overriding what the documents say. */
  readonly namespace?: string
  /** Namespace for namespaced objects whose document names none (default: the kubeconfig's). */
  readonly defaultNamespace?: string
  /** Take over fields that other managers own (default true). */
  readonly force?: boolean
}

/** A document resolved for applying. */
export interface Planned {
  readonly document: ManifestDocument
  readonly object: KubeObject
  readonly ref: ObjectRef
  readonly resource: ResourceInfo
}
