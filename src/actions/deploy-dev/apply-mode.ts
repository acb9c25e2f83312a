import * as core from '@actions/core'
import {
  type AppliedObject,
  applyManifests,
  type ImageOverride,
  imageOf,
  loadManifests,
  type ManifestDocument,
  podSpecOf,
  revisionOf,
  substituteImages,
  withImagePullSecrets,
  workloadLabel
} from '../../kube/index.js'
import { parseReference, pinnedReference, type RegistryClient } from '../../registry/index.js'
import { type DeployContext, type DeployResult, pullSecretsRow } from './context.js'
import type { ApplyInputs } from './inputs.js'
import { rollOut } from './rollout.js'

/**
 * mode apply: manifests read and checked, images resolved to digests and set, everything applied
 * server-side (after a dry run of all of it), the rollout followed, rolled back on failure.
 */
export async function applyMode(
  context: DeployContext,
  inputs: ApplyInputs
): Promise<DeployResult> {
  const read = await core.group('Read the manifests', async () => {
    const documents = await loadManifests(inputs.manifests)
    core.info(`${documents.length} objects from ${inputs.manifests.join(', ')}`)
    const overrides = await pinOverrides(context.registry, inputs.images)
    const result = substituteImages(documents, overrides)
    for (const s of result.substitutions) {
      core.info(
        `${s.file}:${s.line} ${s.kind}/${s.name} container ${s.container}: ${s.from} → ${s.to}`
      )
    }
    return { ...result, documents: addPullSecrets(result.documents, inputs.imagePullSecrets) }
  })
  const first = read.substitutions[0]
  await context.recorder.begin(first ? first.to : `${inputs.manifests.join(', ')}`)
  const applied = await core.group('Apply (server-side)', async () => {
    const objects = await applyManifests(context.kube, read.documents, {
      fieldManager: inputs.fieldManager,
      // the input overrides every namespaced object's namespace; without it, documents keep theirs
      namespace: inputs.namespace,
      defaultNamespace: context.namespace,
      force: true
    })
    for (const object of objects) core.info(`${describeObject(object)}: ${state(object)}`)
    return objects
  })
  const workloads = await rollOut(context, applied)
  const changed = applied.some((object) => object.changed)
  const image = first?.to
  const previousImage = first ? previousImageOf(applied, first) : undefined
  return {
    image,
    digest: image === undefined ? undefined : parseReference(image).digest,
    previousImage,
    changed,
    revision: workloads[0]?.revision ?? firstRevision(applied),
    workloads,
    rows: [
      ['manifests', inputs.manifests.join(', ')],
      ['objects', `${applied.length} (${applied.filter((o) => o.changed).length} changed)`],
      ...read.substitutions.map((s) => [`${s.kind}/${s.name} ${s.container}`, s.to] as const),
      ...pullSecretsRow(inputs.imagePullSecrets)
    ],
    notes: changed ? [] : ['Everything was already as the manifests say: nothing changed.']
  }
}

/** The documents with `names` in every workload's pod template (kept as they are when empty). */
function addPullSecrets(
  documents: readonly ManifestDocument[],
  names: readonly string[]
): ManifestDocument[] {
  if (names.length === 0) return [...documents]
  return documents.map((doc) => {
    if (!podSpecOf(doc.object)) return doc
    const object = withImagePullSecrets(doc.object, names)
    const secrets = podSpecOf(object)?.imagePullSecrets
    const listed = Array.isArray(secrets) ? secrets.map((s: { name?: unknown }) => s?.name) : []
    core.info(
      `${doc.file}:${doc.line} ${object.kind}/${object.metadata.name} imagePullSecrets: ${listed.join(', ')}`
    )
    return { ...doc, object }
  })
}

/** Every override with a digest: tags are resolved once, so what runs is what was asked for then. */
async function pinOverrides(
  registry: RegistryClient,
  overrides: readonly ImageOverride[]
): Promise<ImageOverride[]> {
  return Promise.all(
    overrides.map(async (override) => {
      const ref = parseReference(override.image)
      if (ref.digest !== undefined) return override
      const digest = await registry.resolveDigest(ref)
      const image = pinnedReference(ref, digest)
      core.info(`${override.image} is ${image}`)
      return { ...override, image }
    })
  )
}

function describeObject(object: AppliedObject): string {
  const where = object.ref.namespace ? ` in ${object.ref.namespace}` : ''
  return `${workloadLabel(object.ref)}${where} (${object.file}:${object.line})`
}

function state(object: AppliedObject): string {
  if (object.created) return 'created'
  return object.changed ? 'changed' : 'unchanged'
}

/** The image the substituted container ran before this apply. */
function previousImageOf(
  applied: readonly AppliedObject[],
  substitution: { kind: string; name: string; container: string }
): string | undefined {
  const object = applied.find(
    (o) => o.ref.kind === substitution.kind && o.ref.name === substitution.name
  )
  return object?.before && imageOf(object.before, substitution.container)
}

/** The first workload's revision, for an apply that changed no workload. */
function firstRevision(applied: readonly AppliedObject[]): string | undefined {
  for (const object of applied) {
    const revision = revisionOf(object.after)
    if (revision) return revision
  }
  return undefined
}
