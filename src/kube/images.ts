/**
 * Sets container images in manifests, as `kustomize edit set image` does: an override names a
 * repository, and every container (and init container) of a workload whose image is in that
 * repository gets the override's reference. Repositories are compared as Docker normalises them,
 * so `nginx`, `docker.io/nginx` and `docker.io/library/nginx` are one repository.
 *
 * Hand-written rather than kustomize because the deploy action works on plain manifests in
 * memory: kustomize is a Go binary that wants a kustomization.yaml on disk, and what is needed here
 * is a walk over the pod specs of six workload kinds.
 */
import { InputError } from '../action/errors.js'
import {
  InvalidReferenceError,
  parseReference,
  pinnedReference,
  repositoryName,
  type ImageRef
} from '../registry/index.js'
import type { ManifestDocument } from './manifests.js'
import { containersOf, repositoryOfImage, withContainerImage } from './workload.js'

/** Containers whose image repository is `name` get `image`. */
export interface ImageOverride {
  /** Normalised repository, e.g. `docker.io/library/nginx`, `localhost:5000/web`. */
  readonly name: string
  /** The reference to set: pinned `repository@sha256:…` when a digest was given, else as written. */
  readonly image: string
}

/** One container whose image was set, for the job summary. */
export interface Substitution {
  readonly file: string
  readonly line: number
  readonly kind: string
  readonly name: string
  readonly container: string
  readonly from: string
  readonly to: string
}

const ACCEPTED =
  'one image per line: a reference (`ghcr.io/acme/web@sha256:…`, `web:1.2`) ' +
  'or `name=reference` to set the containers of repository `name`'

/**
 * Parses the lines of an images input: `reference` (matches its own repository) or
 * `name=reference`. Blank lines are skipped. Throws an InputError naming the input and the line.
 */
export function parseImageOverrides(lines: readonly string[], input = 'images'): ImageOverride[] {
  const overrides: ImageOverride[] = []
  for (const raw of lines) {
    const line = raw.trim()
    if (line === '') continue
    const override = parseLine(line, input)
    if (overrides.some((o) => o.name === override.name)) {
      throw new InputError(input, line, `${ACCEPTED}; repository ${override.name} is set twice`)
    }
    overrides.push(override)
  }
  return overrides
}

function parseLine(line: string, input: string): ImageOverride {
  const eq = line.indexOf('=')
  const fail = (problem: string): never => {
    throw new InputError(input, line, `${ACCEPTED} (${problem})`)
  }
  const parse = (text: string): ImageRef => {
    try {
      return parseReference(text)
    } catch (error) {
      if (error instanceof InvalidReferenceError) {
        return fail(error.message.replace(`Invalid image reference '${text}': `, ''))
      }
      throw error
    }
  }
  const target = parse(eq === -1 ? line : line.slice(eq + 1).trim())
  let name = repositoryName(target)
  if (eq !== -1) {
    const named = parse(line.slice(0, eq).trim())
    if (named.tag !== undefined || named.digest !== undefined) {
      fail(`the name before '=' is a repository, without tag or digest`)
    }
    name = repositoryName(named)
  }
  const image =
    target.digest === undefined ? line.slice(eq + 1).trim() : pinnedReference(target, target.digest)
  return { name, image }
}

/**
 * Sets the overrides' images in copies of the documents' containers and init containers. Throws
 * one InputError naming every override that matched no container, with the repositories the
 * manifests do use. The input documents are left unchanged.
 */
export function substituteImages(
  documents: readonly ManifestDocument[],
  overrides: readonly ImageOverride[]
): { documents: ManifestDocument[]; substitutions: Substitution[] } {
  const substitutions: Substitution[] = []
  const used = new Set<string>()
  const matched = new Set<string>()
  const result = documents.map((doc) => {
    // withContainerImage copies; a document without a substitution is copied once at the end
    let object = doc.object
    for (const container of containersOf(doc.object)) {
      const repository = repositoryOfImage(container.image)
      used.add(repository ?? container.image)
      const override = overrides.find((o) => o.name === repository)
      if (!override) continue
      matched.add(override.name)
      substitutions.push({
        file: doc.file,
        line: doc.line,
        kind: object.kind,
        name: object.metadata.name,
        container: container.name,
        from: container.image,
        to: override.image
      })
      object = withContainerImage(object, container.name, override.image)
    }
    return { ...doc, object: object === doc.object ? structuredClone(object) : object }
  })
  const unmatched = overrides.filter((o) => !matched.has(o.name))
  if (unmatched.length > 0) {
    const known = [...used].sort()
    throw new InputError(
      'images',
      unmatched.map((o) => o.name).join(', '),
      known.length === 0
        ? 'a repository used by a container of the manifests, but they have no containers'
        : `a repository used by a container of the manifests: ${known.join(', ')}`
    )
  }
  return { documents: result, substitutions }
}
