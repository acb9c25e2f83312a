import * as core from '@actions/core'
import { imageOf, type KubeObject, readState, variantName } from '../../../kube/index.js'
import { blueGreenRollback } from './blue-green-rollback.js'
import type { ClusterContext, StageResult } from './context.js'
import { revisionTemplate } from './change.js'
import { removeCanary } from './production.js'
import { stableService } from './traffic.js'
import { claim, getStable, chooseContainer, release, rollOutImage, settle } from './workload.js'

/**
 * stage rollback, from wherever the workload stands, skipping every gate:
 * - a canary runs: traffic goes back to stable alone, then the canary and baseline go (stable is
 *   already running, so nothing is waited for);
 * - a blue-green pair: the other colour takes the traffic back;
 * - after production: stable gets the previous good image back, waited for.
 * `source`, when given, must be the image the rollback goes to (a check against a stale dispatch).
 */
export async function rollbackStage(context: ClusterContext): Promise<StageResult> {
  const stable = await getStable(context, 'there is nothing to roll back')
  const state = readState(stable)
  const canary = await context.kube.get<KubeObject>({
    ...context.ref,
    name: variantName(context.ref.name, 'canary')
  })
  if (state.stage !== 'canary' && !canary && state.strategy === 'blue-green') {
    return blueGreenRollback(context)
  }
  const { name: container } = chooseContainer(context, stable, state)
  const running = imageOf(stable, container)
  if (state.stage === 'canary' || canary) {
    const target = state.stableImage ?? running
    expectSource(context, target)
    return rollbackCanary(context, stable, target, container)
  }
  if (state.stage === 'rolled-back') {
    // a `source` other than where it went back to is a stale dispatch: refuse, as after production
    expectSource(context, state.stableImage ?? running)
    const message = `${context.label} was rolled back to ${state.stableImage ?? running} already: nothing to do (a rollback never goes further back than one step; run stage production with \`source\` for an older image)`
    return { image: running, changed: false, message, rows: [] }
  }
  const target = state.previousImage
  if (!target) {
    throw new Error(
      `Nothing to roll back to on ${context.label}: promote has recorded no image from before ${running}`
    )
  }
  expectSource(context, target)
  // after a template change from manifests, the whole template of the revision before it
  const template = state.previousRevision
    ? await revisionTemplate(context, stable, state.previousRevision)
    : undefined
  if (state.previousRevision && !template) {
    core.warning(
      `The ReplicaSet of revision ${state.previousRevision} of ${context.label} is gone (revisionHistoryLimit): only the image goes back to ${target}, not the rest of that template`
    )
  }
  if (context.inputs.dryRun) {
    return {
      image: target,
      changed: false,
      message: `Would roll ${context.label} back from ${running} to ${target}${template ? ` with the pod template of revision ${state.previousRevision}` : ''}`,
      rows: []
    }
  }
  await core.group('Claim the workload', () => claim(context, () => undefined))
  try {
    await context.begin(`rollback to ${target}`)
    const previous = await core.group(`Roll back to ${target}`, () =>
      rollOutImage(context, context.ref.name, container, target, { template })
    )
    await settle(context, {
      stage: 'rolled-back',
      stableImage: target,
      previousImage: undefined,
      previousRevision: undefined,
      rolledBackImage: previous ?? state.stableImage
    })
    return {
      image: target,
      previousImage: previous,
      changed: previous !== undefined,
      message: `Rolled ${context.label} back to ${target}${previous ? ` from ${previous}` : ''}${template ? ` with the pod template of revision ${state.previousRevision}` : ''}`,
      rows: []
    }
  } catch (error) {
    await release(context)
    throw error
  }
}

/** Traffic to stable alone first, then the canary and baseline go; stable's image is put right if it drifted. */
async function rollbackCanary(
  context: ClusterContext,
  stable: KubeObject,
  target: string | undefined,
  container: string
): Promise<StageResult> {
  const state = readState(stable)
  const service = await stableService(context, stable)
  if (context.inputs.dryRun) {
    return {
      image: target,
      changed: false,
      message: `Would remove the canary of ${context.label}`,
      rows: []
    }
  }
  await core.group('Claim the workload', () => claim(context, () => undefined))
  try {
    await context.begin(`rollback of the canary ${state.canaryImage ?? ''}`)
    const lines = await core.group('Remove the canary', () =>
      removeCanary(context, service, state.traffic)
    )
    if (target && imageOf(stable, container) !== target) {
      await core.group(`Put ${target} back on stable`, () =>
        rollOutImage(context, context.ref.name, container, target)
      )
    }
    await settle(context, {
      stage: 'rolled-back',
      rolledBackImage: state.canaryImage,
      canaryImage: undefined,
      weight: undefined,
      traffic: undefined,
      baseline: undefined
    })
    return {
      image: target,
      previousImage: state.canaryImage,
      changed: lines.length > 0,
      weight: 0,
      message: `Removed the canary${state.canaryImage ? ` of ${state.canaryImage}` : ''}: ${context.label} serves all traffic with ${target}`,
      rows: [['removed', lines.join('<br>') || 'nothing']]
    }
  } catch (error) {
    await release(context)
    throw error
  }
}

function expectSource(context: ClusterContext, target: string | undefined): void {
  if (context.image && target && context.image !== target) {
    throw new Error(
      `Refusing stage rollback to ${context.image}: the last good image recorded on ${context.label} is ${target}; leave \`source\` empty to roll back to it`
    )
  }
}
