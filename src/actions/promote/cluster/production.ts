import * as core from '@actions/core'
import {
  applyManifests,
  imageOf,
  type KubeObject,
  loadManifests,
  type PromotionState,
  readState,
  withContainerImage,
  revisionOf,
  variantName
} from '../../../kube/index.js'
import {
  applyConfig,
  describeDifference,
  renderChange,
  specDifferences,
  templateDifferences,
  type TemplateChange
} from './change.js'
import type { ClusterContext, StageResult } from './context.js'
import { resetCanaryTraffic, stableService } from './traffic.js'
import { awaitRollout, claim, chooseContainer, release, rollOutImage, settle } from './workload.js'

/**
 * stage production (strategy canary): stable takes the running canary's digest (or `source` when no
 * canary runs) by a rolling update, waited for; then traffic returns to stable alone and the canary
 * and baseline go. A failed rollout puts stable's image back and leaves the canary as it was.
 */
export async function productionStage(context: ClusterContext): Promise<StageResult> {
  const { kube } = context
  const stable = await kube.get<KubeObject>(context.ref)
  if (!stable) return createFromManifests(context)
  const state = readState(stable)
  const { name: container } = chooseContainer(context, stable, state)
  if (state.strategy === 'blue-green' && state.activeColor === 'green') {
    throw new Error(
      `Refusing stage production with strategy canary on ${context.label}: it is a blue-green pair with the green colour serving; use strategy blue-green`
    )
  }
  const image = targetImage(context, state)
  const check = (_live: KubeObject, now: PromotionState) => {
    if (targetImage(context, now) !== image) {
      throw new Error(
        `Refusing stage production: the state of ${context.label} changed while this run started; run again`
      )
    }
  }
  const running = imageOf(stable, container)
  const canaryRuns = state.stage === 'canary'
  const change = await renderChange(context, container, image, stable)
  if (canaryRuns) await checkWhatCanaryRan(context, stable, container, change)
  const service = canaryRuns ? await stableService(context, stable) : undefined
  if (context.inputs.dryRun) {
    const what =
      running === image
        ? `${context.label} already runs ${image}`
        : `Would roll out ${image} to ${context.label} (now ${running})`
    return {
      image,
      changed: false,
      message: `${what}${canaryRuns ? ', then remove the canary' : ''}`,
      rows: []
    }
  }
  await core.group('Claim the workload', () => claim(context, check))
  try {
    await context.begin(`production ${image}`)
    const config = change ? await applyConfig(context, change) : []
    const revisionBefore = revisionOf(stable)
    const previous = await core.group(`Roll out ${image}`, () =>
      rollOutImage(context, context.ref.name, container, image, {
        only: true,
        template: change?.template
      })
    )
    const lines = service
      ? await core.group('Remove the canary', () => removeCanary(context, service, state.traffic))
      : []
    await settle(context, {
      stage: 'production',
      strategy: 'canary',
      container,
      stableImage: image,
      previousImage: previous ?? state.previousImage,
      // a template change is rolled back as a whole: from the revision before it
      previousRevision: change ? revisionBefore : undefined,
      canaryImage: undefined,
      weight: undefined,
      traffic: undefined,
      baseline: undefined,
      rolledBackImage: undefined
    })
    const changed = previous !== undefined || lines.length > 0
    return {
      image,
      previousImage: previous,
      changed,
      message: changed
        ? `${context.label} runs ${image}${previous ? ` (was ${previous})` : ''}; all traffic goes to stable`
        : `${context.label} already runs ${image} with no canary: nothing to do`,
      rows: [
        ['canary', lines.join('<br>') || 'none'],
        ...(change
          ? ([
              ['template', `from ${change.files}${config.length ? ` (${config.join(', ')})` : ''}`]
            ] as const)
          : [])
      ]
    }
  } catch (error) {
    await release(context)
    throw error
  }
}

/**
 * Production gives stable what the canary ran: with manifests, their template must be the
 * canary's pod spec (the manifests did not change since); without, the canary must have run
 * stable's spec with the new image (not a template from manifests that production would drop).
 */
async function checkWhatCanaryRan(
  context: ClusterContext,
  stable: KubeObject,
  container: string,
  change: TemplateChange | undefined
): Promise<void> {
  const canary = await context.kube.get<KubeObject>({
    ...context.ref,
    name: variantName(context.ref.name, 'canary')
  })
  if (!canary) return
  if (change) {
    const differences = await templateDifferences(context, canary, change, container, {
      specOnly: true
    })
    if (differences.length > 0) {
      throw new Error(
        `Refusing stage production: the manifests (${change.files}) differ from what the canary ran on ${context.label}: ${differences.map((d) => describeDifference(d, true)).join('; ')}. Promote what was tested: run stage canary again with these manifests, or give the manifests the canary ran`
      )
    }
    return
  }
  const differences = specDifferences(stable, canary, container)
  if (differences.length > 0) {
    throw new Error(
      `Refusing stage production without \`manifests\`: the canary on ${context.label} runs a template of its own (${differences.map((d) => d.path).join(', ')}), which stable would not get with the image alone; give stage production the manifests the canary ran`
    )
  }
}

/** The image production rolls out: the running canary's, which `source` must then name, or `source`. */
function targetImage(context: ClusterContext, state: PromotionState): string {
  if (state.stage === 'canary' && state.canaryImage) {
    if (context.image && context.image !== state.canaryImage) {
      throw new Error(
        `Refusing stage production of ${context.image}: the canary running on ${context.label} is ${state.canaryImage}; promote that one (source empty or equal), or roll the canary back first`
      )
    }
    return state.canaryImage
  }
  if (!context.image) {
    throw new Error(
      `stage production needs \`source\`: no canary runs on ${context.label} to promote`
    )
  }
  return context.image
}

/** Takes the canary out of the traffic, then deletes it and the baseline; one line per thing done. */
export async function removeCanary(
  context: ClusterContext,
  service: KubeObject,
  method: string | undefined
): Promise<string[]> {
  const lines = await resetCanaryTraffic(context, service, method)
  for (const track of ['canary', 'baseline'] as const) {
    const name = variantName(context.ref.name, track)
    const ref = { ...context.ref, name }
    if (await context.kube.delete(ref)) lines.push(`deployment/${name} removed`)
  }
  for (const line of lines) core.info(line)
  return lines
}

/** The workload does not exist: the manifests create it with the source's image. */
async function createFromManifests(context: ClusterContext): Promise<StageResult> {
  const { inputs } = context
  if (inputs.manifests.length === 0) {
    throw new Error(
      `${context.label} does not exist on ${context.server}; give \`manifests\` to create it`
    )
  }
  if (!context.image || !inputs.source) {
    throw new Error(`stage production needs \`source\` to create ${context.label}`)
  }
  const image = context.image
  const documents = await loadManifests(inputs.manifests)
  const at = documents.findIndex(
    (d) => d.object.kind === 'Deployment' && d.object.metadata.name === context.ref.name
  )
  if (at === -1) {
    throw new Error(
      `The manifests (${inputs.manifests.join(', ')}) hold no Deployment ${context.ref.name}, the workload to create`
    )
  }
  // the workload's container takes the source, whatever image the manifest names as a placeholder
  const { name: container } = chooseContainer(context, documents[at].object, {})
  const substituted = documents.map((d, i) =>
    i === at ? { ...d, object: withContainerImage(d.object, container, image) } : d
  )
  if (inputs.dryRun)
    return {
      image,
      changed: false,
      message: `Would create ${context.label} from ${inputs.manifests.join(', ')} running ${image}`,
      rows: []
    }
  await context.begin(`production ${image} (new)`)
  const applied = await core.group('Apply the manifests', () =>
    applyManifests(context.kube, substituted, {
      fieldManager: inputs.fieldManager,
      namespace: context.namespace,
      force: true
    })
  )
  await awaitRollout(context, context.ref.name, async () => {
    for (const object of applied.filter((o) => o.created).reverse())
      await context.kube.delete(object.ref)
    return `Deleted what this run created (${applied.filter((o) => o.created).length} objects).`
  })
  await settle(context, {
    stage: 'production',
    strategy: inputs.strategy,
    container,
    stableImage: image
  })
  return {
    image,
    changed: true,
    message: `${context.label} created from the manifests, running ${image}`,
    rows: [['manifests', inputs.manifests.join(', ')]]
  }
}
