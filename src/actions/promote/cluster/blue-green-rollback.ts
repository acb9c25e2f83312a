import * as core from '@actions/core'
import { type KubeObject, readState, replicasOf, withReplicas } from '../../../kube/index.js'
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
import { removeOrphanConfig } from './change.js'
import type { ClusterContext, StageResult } from './context.js'
import { claim, getStable, release, settle } from './workload.js'

/**
 * stage rollback of a blue-green pair: the other colour takes the traffic back, scaled up again
 * (and given the previous good image) first when finalize had scaled it down.
 */
export async function blueGreenRollback(context: ClusterContext): Promise<StageResult> {
  const pair = await readPair(context)
  const back = other(pair.active)
  if (pair.state.stage === 'rolled-back') {
    return unchanged(context, pair, `${context.label} was rolled back to ${pair.active} already`)
  }
  const target = pair.state.previousImage
  if (!target) {
    throw new Error(
      `Nothing to roll back to on ${context.label}: no image from before ${pair.state.stableImage ?? 'the current one'} is recorded`
    )
  }
  if (context.inputs.dryRun) {
    return {
      image: target,
      changed: false,
      message: `Would switch traffic back to ${back} running ${target}`,
      rows: []
    }
  }
  await core.group('Claim the workload', () =>
    claim(context, (_live, now) => checkPair(context, now, pair.active))
  )
  try {
    await context.begin(`rollback to ${target}`)
    const activeObject = await colorObject(context, pair.active, pair.blue)
    const replicas = activeObject ? replicasOf(activeObject) : replicasOf(pair.blue)
    await core.group(`Run ${back} again`, () => runColor(context, pair, back, target, replicas))
    const lines = await core.group(`Switch traffic back to ${back}`, () =>
      switchTo(context, pair, back)
    )
    const scaleDownAt = new Date(Date.now() + context.inputs.scaleDownDelayMs).toISOString()
    await settle(context, {
      stage: 'rolled-back',
      activeColor: back,
      stableImage: target,
      previousImage: undefined,
      rolledBackImage: pair.state.stableImage,
      scaleDownAt
    })
    return {
      image: target,
      previousImage: pair.state.stableImage,
      changed: true,
      activeColor: back,
      message: `Rolled back: ${back} (deployment/${colorName(context, back)}) serves ${target} again`,
      rows: [['switch', lines.join('<br>')]]
    }
  } catch (error) {
    await release(context)
    throw error
  }
}

/** stage finalize: scales the idle colour down once its delay has passed. */
export async function finalizeStage(context: ClusterContext): Promise<StageResult> {
  const result = await finalizeColours(context)
  if (context.inputs.dryRun) return result
  const removed = await removeOrphanConfig(context)
  if (removed.length === 0) return result
  return {
    ...result,
    changed: true,
    message: `${result.message}; ${removed.length} config object(s) no template reads were deleted`,
    rows: [...result.rows, ['config deleted', removed.join('<br>')]]
  }
}

/** The idle colour of a blue-green pair scaled down once its delay has passed. */
async function finalizeColours(context: ClusterContext): Promise<StageResult> {
  const blue = await getStable(context, 'there is nothing to finalize')
  const state = readState(blue)
  if (state.strategy !== 'blue-green' || !state.scaleDownAt) {
    return {
      changed: false,
      message: `Nothing to finalize on ${context.label}: no idle colour is waiting to be scaled down`,
      rows: []
    }
  }
  const idle = other(state.activeColor ?? 'blue')
  const due = Date.parse(state.scaleDownAt)
  if (due > Date.now()) {
    return {
      changed: false,
      message: `deployment/${colorName(context, idle)} (${idle}) stays until ${state.scaleDownAt} (${Math.ceil((due - Date.now()) / 1000)} s from now); run finalize again then`,
      rows: []
    }
  }
  if (context.inputs.dryRun)
    return {
      changed: false,
      message: `Would scale deployment/${colorName(context, idle)} (${idle}) down to 0`,
      rows: []
    }
  await claim(context, (_live, now) => checkPair(context, now, state.activeColor ?? 'blue'))
  try {
    const ref = { ...context.ref, name: colorName(context, idle) }
    if (await context.kube.get(ref)) {
      await context.kube.update<KubeObject>(ref, (live) => withReplicas(live, 0), {
        fieldManager: 'rollout-kit-promote'
      })
    }
    await settle(context, { scaleDownAt: undefined })
    return {
      changed: true,
      activeColor: state.activeColor ?? 'blue',
      message: `Scaled the idle colour ${idle} (deployment/${colorName(context, idle)}) down to 0`,
      rows: []
    }
  } catch (error) {
    await release(context)
    throw error
  }
}
