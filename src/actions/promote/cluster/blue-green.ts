import * as core from '@actions/core'
import { autoscalerFor, autoscalerOf, imageOf, replicasOf } from '../../../kube/index.js'
import {
  checkPair,
  colorName,
  colorObject,
  other,
  readPair,
  runColor,
  switchTo,
  unchanged
} from './blue-green-pair.js'
import { describeDifference, renderChange, templateDifferences } from './change.js'
import type { ClusterContext, StageResult } from './context.js'

/**
 * Blue's HorizontalPodAutoscaler copied for green (`<hpa>-green`, same bounds and metrics), so
 * that each colour has its own and neither is sized by promote once it serves; one line per change.
 */
async function copyAutoscaler(context: ClusterContext): Promise<string[]> {
  const blue = await autoscalerOf(context.kube, context.namespace, {
    kind: 'Deployment',
    name: context.ref.name
  })
  if (!blue) return []
  const name = `${blue.object.metadata.name}-green`
  await context.kube.apply(autoscalerFor(blue.object, name, colorName(context, 'green')), {
    fieldManager: 'rollout-kit-promote',
    force: true
  })
  return [`horizontalpodautoscaler/${name} scales deployment/${colorName(context, 'green')}`]
}
import { claim, release, settle } from './workload.js'

/**
 * stage production, strategy blue-green: the idle colour gets the source's digest at the active
 * colour's size and is waited for; then the Service selector (or the HTTPRoute) switches to it.
 * The old colour keeps running until `scale-down-delay` has passed, when stage finalize scales it
 * down: nothing sleeps in the job.
 */
export async function blueGreenStage(context: ClusterContext): Promise<StageResult> {
  const image = context.image
  if (!image) throw new Error(`stage production with strategy blue-green needs \`source\``)
  const pair = await readPair(context)
  if (pair.state.strategy === 'blue-green' && pair.traffic !== context.inputs.traffic) {
    throw new Error(
      `Refusing stage production with traffic ${context.inputs.traffic}: the blue-green pair of ${context.label} switches by ${pair.traffic}; call it with traffic ${pair.traffic}`
    )
  }
  const idle = other(pair.active)
  const activeObject = await colorObject(context, pair.active, pair.blue)
  const activeImage = activeObject ? imageOf(activeObject, pair.container) : undefined
  // with manifests, the idle colour runs their whole template, as a canary would
  const change = await renderChange(context, pair.container, image, pair.blue)
  const differences =
    change && activeObject
      ? await templateDifferences(context, activeObject, change, pair.container, { specOnly: true })
      : []
  if (activeImage === image && differences.length === 0) {
    return unchanged(
      context,
      pair,
      `${colorName(context, pair.active)} (${pair.active}) already serves ${image}`
    )
  }
  if (context.inputs.dryRun) {
    return {
      image,
      changed: false,
      message: `Would run ${image} as ${idle} (deployment/${colorName(context, idle)})${change ? ` with the pod template of ${change.files}` : ''} and switch traffic to it from ${pair.active}`,
      rows: differences.length
        ? [
            [
              'changes besides the image',
              differences.map((d) => describeDifference(d, true)).join('<br>')
            ]
          ]
        : []
    }
  }
  await core.group('Claim the workload', () =>
    claim(context, (_live, now) => checkPair(context, now, pair.active))
  )
  try {
    await context.begin(`blue-green ${image}`)
    const replicas = activeObject ? replicasOf(activeObject) : replicasOf(pair.blue)
    await core.group(`Run ${image} as ${idle}`, () =>
      runColor(context, pair, idle, image, replicas, change)
    )
    // green scales like blue: a copy of blue's HPA, made before green takes the traffic
    const scaling = idle === 'green' ? await copyAutoscaler(context) : []
    const lines = await core.group(`Switch traffic to ${idle}`, () => switchTo(context, pair, idle))
    const scaleDownAt = new Date(Date.now() + context.inputs.scaleDownDelayMs).toISOString()
    await settle(context, {
      stage: 'production',
      strategy: 'blue-green',
      container: pair.container,
      activeColor: idle,
      stableImage: image,
      previousImage: activeImage,
      scaleDownAt,
      blueSelector: JSON.stringify(pair.selectors.blue),
      service: pair.service,
      traffic: pair.traffic,
      rolledBackImage: undefined
    })
    return {
      image,
      previousImage: activeImage,
      changed: true,
      activeColor: idle,
      message: `${idle} (deployment/${colorName(context, idle)}) serves ${image}; ${pair.active} keeps ${activeImage ?? 'nothing'} until ${scaleDownAt}, then stage finalize scales it down`,
      rows: [
        ['switch', lines.join('<br>')],
        [
          'old colour',
          `${pair.active}: deployment/${colorName(context, pair.active)} until ${scaleDownAt}`
        ],
        ...(scaling.length ? ([['autoscaler', scaling.join('<br>')]] as const) : [])
      ]
    }
  } catch (error) {
    await release(context)
    throw error
  }
}
