/**
 * The production side of the pipeline: promote's cluster stages on namespace `prod`, each checked
 * against what the cluster then holds (Deployments' images and sizes, the Service's selector) so
 * that a stage claiming more than it did fails the pipeline.
 */
import { join } from 'node:path'
import type { ActionResult } from '../../harness/action-runner.js'
import {
  expectDeployments,
  expectServiceSelects,
  setUpProductionNamespace,
  type Expected,
  shortDigest
} from './cluster.js'
import type { Commit } from './commits.js'
import { stage, succeeded } from './stages.js'
import { gateAnalysis, PRODUCTION_MANIFESTS, promoteProduction, type Pipeline } from './steps.js'

/** The production manifests as of a commit (its copy of examples/sample-app/deploy-production). */
const manifestsOf = (commit: Commit): string => join(commit.dir, 'deploy-production')

/** A promote run that must succeed, then the cluster check; the detail line says both. */
async function promoted(
  run: Promise<ActionResult>,
  check: (r: ActionResult) => Promise<string>
): Promise<{ result: ActionResult; found: string }> {
  const result = succeeded(await run)
  return { result, found: await check(result) }
}

const outcome = ({ result, found }: { result: ActionResult; found: string }): string => {
  const o = result.outputs
  const extras = [
    o.weight ? `weight ${o.weight} %` : '',
    o['active-color'] ? `active ${o['active-color']}` : '',
    `changed ${o.changed}`,
    `GitHub Deployment ${o['deployment-id'] || 'none'}`
  ].filter(Boolean)
  return `${shortDigest(o.image) || 'no image'} (was ${shortDigest(o['previous-image']) || 'nothing'}), ${extras.join(', ')}; cluster: ${found}`
}

const options = { summary: (v: { result: ActionResult }) => v.result.summary }

/** Namespace prod, and the first production rollout: release A, made from the manifests. */
export async function bootstrap(p: Pipeline, releaseA: string): Promise<void> {
  const { namespace } = p.production
  await stage(
    `promote production: release A creates deployment/sample in namespace ${namespace} from examples/sample-app/deploy-production`,
    async () => {
      await setUpProductionNamespace(p.cluster, namespace)
      const run = promoteProduction(p, p.commits.A, {
        stage: 'production',
        source: releaseA,
        manifests: PRODUCTION_MANIFESTS
      })
      return promoted(run, async () => {
        const found = await expectDeployments(p.cluster, namespace, {
          sample: { image: releaseA, replicas: 3 }
        })
        const selector = await expectServiceSelects(p.cluster, namespace, 'sample', 'sample')
        return `${found}; service/sample selects ${selector}`
      })
    },
    outcome,
    options
  )
}

/** Release C as a 20 % canary beside a baseline, then analysed against it; evidence `analysis`. */
export async function canary(p: Pipeline, releaseA: string, releaseC: string): Promise<void> {
  const { namespace } = p.production
  await stage(
    "promote canary: release C at 20 % by replicas, with a baseline of release A, and commit C's manifests (LOG_LEVEL=debug)",
    () =>
      promoted(
        promoteProduction(p, p.commits.C, {
          stage: 'canary',
          source: releaseC,
          weight: '20',
          traffic: 'replicas',
          baseline: 'true',
          manifests: manifestsOf(p.commits.C)
        }),
        async (r) => {
          if (r.outputs.weight !== '20')
            throw new Error(`the canary takes ${r.outputs.weight} %, not 20 %`)
          const found = await expectDeployments(p.cluster, namespace, {
            sample: { image: releaseA, replicas: 3, env: { LOG_LEVEL: 'info' } },
            'sample-canary': { image: releaseC, replicas: 1, env: { LOG_LEVEL: 'debug' } },
            'sample-baseline': { image: releaseA, replicas: 1, env: { LOG_LEVEL: 'info' } }
          })
          await expectServiceSelects(p.cluster, namespace, 'sample', 'sample-canary')
          await expectServiceSelects(p.cluster, namespace, 'sample', 'sample-baseline')
          return `${found}; service/sample selects stable, canary and baseline (1 in 5 is the canary)`
        }
      ),
    outcome,
    options
  )
  await stage(
    'canary-gate analysis: release C against its baseline in Prometheus (exporters play the pods)',
    async () => succeeded(await gateAnalysis(p, p.commits.C, releaseC)),
    (r) => {
      const report = JSON.parse(r.outputs.report || '{}') as { rounds?: number }
      return `decision ${r.outputs.decision} (score ${r.outputs.score}) after ${report.rounds ?? '?'} rounds; evidence analysis ${shortDigest(r.outputs.evidence)} on ${shortDigest(releaseC)}`
    }
  )
}

/** The canary promoted: stable takes its digest, canary and baseline go. */
export async function production(p: Pipeline, releaseC: string): Promise<void> {
  const { namespace } = p.production
  await stage(
    "promote production: stable takes what the canary ran, its digest and commit C's template (no source given)",
    () =>
      promoted(
        promoteProduction(p, p.commits.C, {
          stage: 'production',
          manifests: manifestsOf(p.commits.C)
        }),
        async (r) => {
          if (r.outputs.image !== releaseC)
            throw new Error(
              `production put ${r.outputs.image} in place, not the canary ${releaseC}`
            )
          return expectDeployments(p.cluster, namespace, {
            sample: { image: releaseC, replicas: 3, env: { LOG_LEVEL: 'debug' } },
            'sample-canary': {},
            'sample-baseline': {}
          })
        }
      ),
    outcome,
    options
  )
}

/** What a blue-green switch must leave: see {@link switched}. */
interface Switch {
  /** The colour the stage says is active, and the image it says that colour serves. */
  readonly color: 'blue' | 'green'
  readonly image: string
  /** The Deployment service/sample must select, and the one it must not. */
  readonly serving: string
  readonly idle: string
  readonly deployments: Record<string, Expected>
}

/** Checks a blue-green stage's outputs and the cluster against `want`; the cluster detail line. */
async function switched(p: Pipeline, r: ActionResult, want: Switch): Promise<string> {
  const { namespace } = p.production
  if (r.outputs['active-color'] !== want.color || r.outputs.image !== want.image)
    throw new Error(
      `the stage left ${r.outputs['active-color']} serving ${r.outputs.image}, not ${want.color} with ${want.image}`
    )
  const found = await expectDeployments(p.cluster, namespace, want.deployments)
  const selector = await expectServiceSelects(
    p.cluster,
    namespace,
    'sample',
    want.serving,
    want.idle
  )
  return `${found}; service/sample selects ${selector} (${want.color} only)`
}

/**
 * Blue-green with release D: green runs it and takes the traffic; the rollback switches back to
 * blue (release C); finalize scales the idle green down. The rollback sets the idle colour's
 * scale-down time again, so it too is given scale-down-delay 0s, for finalize to act at once.
 */
export async function blueGreen(p: Pipeline, releaseC: string, releaseD: string): Promise<void> {
  const { namespace } = p.production
  const D = p.commits.D
  await stage(
    'promote production strategy blue-green: release D on green, traffic switched',
    () =>
      promoted(
        promoteProduction(p, D, {
          stage: 'production',
          strategy: 'blue-green',
          source: releaseD,
          'scale-down-delay': '0s'
        }),
        (r) =>
          switched(p, r, {
            color: 'green',
            image: releaseD,
            serving: 'sample-green',
            idle: 'sample',
            deployments: {
              sample: { image: releaseC, replicas: 3 },
              'sample-green': { image: releaseD, replicas: 3 }
            }
          })
      ),
    outcome,
    options
  )
  await stage(
    'promote rollback: traffic back to blue (release C)',
    () =>
      promoted(promoteProduction(p, D, { stage: 'rollback', 'scale-down-delay': '0s' }), (r) =>
        switched(p, r, {
          color: 'blue',
          image: releaseC,
          serving: 'sample',
          idle: 'sample-green',
          deployments: { sample: { image: releaseC, replicas: 3 } }
        })
      ),
    outcome,
    options
  )
  await stage(
    'promote finalize: the idle colour (green) scaled down',
    () =>
      promoted(promoteProduction(p, D, { stage: 'finalize' }), () =>
        expectDeployments(p.cluster, namespace, {
          sample: { image: releaseC, replicas: 3 },
          'sample-green': { image: releaseD, replicas: 0 }
        })
      ),
    outcome,
    options
  )
}
