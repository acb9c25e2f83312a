import * as core from '@actions/core'
import { InputError } from '../../action/errors.js'
import {
  type AppliedObject,
  type KubeObject,
  type ObjectRef,
  parseImage,
  pickContainer,
  revisionOf,
  withContainerImage,
  withImagePullSecrets,
  workloadLabel,
  type WorkloadContainer
} from '../../kube/index.js'
import { pinnedReference, repositoryName, selectTag } from '../../registry/index.js'
import { type DeployContext, type DeployResult, pullSecretsRow } from './context.js'
import type { PollInputs } from './inputs.js'
import { rollOut } from './rollout.js'

/**
 * The tag a poll last rolled out, kept on the workload: with it, a list policy that selects the
 * same tag again needs no HEAD of that tag to know that nothing is new.
 */
export const TAG_ANNOTATION = 'rollout-kit/image-tag'

/**
 * mode poll: one GET of the workload, one registry request for what the policy selects now; only
 * when that digest differs from the container's is the image set (pinned), the rollout followed,
 * and rolled back on failure.
 */
export async function pollMode(context: DeployContext, inputs: PollInputs): Promise<DeployResult> {
  const ref: ObjectRef = {
    apiVersion: 'apps/v1',
    kind: inputs.workload.kind,
    name: inputs.workload.name,
    namespace: context.namespace
  }
  const label = `${workloadLabel(ref)} in namespace ${context.namespace}`
  const live = await context.kube.get<KubeObject>(ref)
  if (!live) {
    throw new Error(
      `${label} does not exist on ${context.server}: poll updates a workload that runs; create it with mode apply first`
    )
  }
  const container = chooseContainer(live, inputs)
  const running = parseImage(container.image)
  const sameRepository =
    running !== undefined && repositoryName(running) === repositoryName(inputs.repository)
  const runningTag = annotationsOf(live)[TAG_ANNOTATION]
  const watched = repositoryName(inputs.repository)

  const selection = await selectTag(
    context.registry,
    inputs.repository,
    inputs.policy,
    inputs.tagFilter
  )
  core.info(
    `${inputs.policy.kind} selects ${watched}:${selection.tag} (of ${selection.considered} tags)`
  )
  const unchanged = (digest?: string): DeployResult => {
    const image = pinnedReference(inputs.repository, (digest ?? running?.digest) as string)
    core.info(`${label} already runs ${image} (${selection.tag}): nothing to do`)
    return {
      image,
      digest: digest ?? running?.digest,
      previousImage: container.image,
      changed: false,
      revision: revisionOf(live),
      workloads: [],
      rows: [
        ['workload', label],
        ['selected', `${watched}:${selection.tag}`]
      ],
      notes: ['Nothing new: the workload already runs the selected image.']
    }
  }
  if (
    inputs.policy.kind !== 'digest' &&
    selection.digest === undefined &&
    sameRepository &&
    running?.digest !== undefined &&
    runningTag === selection.tag
  ) {
    return unchanged()
  }
  const digest =
    selection.digest ??
    (await context.registry.resolveDigest({ ...inputs.repository, tag: selection.tag }))
  if (sameRepository && running?.digest === digest) return unchanged(digest)

  const image = pinnedReference(inputs.repository, digest)
  core.info(`${label}: ${container.name} ${container.image} → ${image}`)
  await context.recorder.begin(image)
  const after = await context.kube.update<KubeObject>(ref, (object) =>
    setImage(object, container.name, image, selection.tag, inputs.imagePullSecrets)
  )
  const applied: AppliedObject = {
    ref,
    resource: await context.kube.resource(ref.apiVersion, ref.kind),
    created: false,
    changed: true,
    before: live,
    after,
    file: `workload ${workloadLabel(ref)}`,
    line: 0
  }
  const workloads = await rollOut(context, [applied])
  return {
    image,
    digest,
    previousImage: container.image,
    changed: true,
    revision: workloads[0]?.revision,
    workloads,
    rows: [
      ['workload', label],
      ['selected', `${watched}:${selection.tag}`],
      ['before', container.image],
      ...pullSecretsRow(inputs.imagePullSecrets)
    ],
    notes: []
  }
}

function annotationsOf(object: KubeObject): Record<string, string> {
  return (object.metadata as { annotations?: Record<string, string> }).annotations ?? {}
}

/** The container named by `container`, else the one running an image of the watched repository. */
function chooseContainer(object: KubeObject, inputs: PollInputs): WorkloadContainer {
  const watched = repositoryName(inputs.repository)
  const choice = pickContainer(object, { name: inputs.container, repository: watched, init: true })
  if (choice.ok) return choice.container
  const listed = choice.candidates.map((c) => `${c.name} (${c.image})`).join(', ')
  if (choice.reason === 'unknown-name') {
    throw new InputError(
      'container',
      inputs.container ?? '',
      `a container of the workload: ${listed}`
    )
  }
  throw new InputError(
    'container',
    '',
    choice.running === 0
      ? `the container to update: none runs ${watched}; the workload has ${listed}`
      : `the container to update: several run ${watched}: ${listed}`
  )
}

/** The workload with the image set, the tag noted, and the pull secrets added (in one update). */
function setImage(
  object: KubeObject,
  container: string,
  image: string,
  tag: string,
  pullSecrets: readonly string[]
): KubeObject {
  const copy = withImagePullSecrets(withContainerImage(object, container, image), pullSecrets)
  const metadata = copy.metadata as { annotations?: Record<string, string> }
  metadata.annotations = { ...metadata.annotations, [TAG_ANNOTATION]: tag }
  return copy
}
