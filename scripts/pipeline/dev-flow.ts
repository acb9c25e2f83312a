/**
 * The dev side of the pipeline, one stage per step: each commit built, put on dev (apply, or poll
 * for the newest build), gated by the sample app's integration test, and the tested digests
 * released. Returns the pinned references the production side rolls out.
 */
import type { ActionResult } from '../../harness/action-runner.js'
import { shortDigest } from './cluster.js'
import type { Commit } from './commits.js'
import { failingTests, gateFailed, stage, succeeded } from './stages.js'
import { build, deployApply, deployPoll, gateTests, releaseImage, type Pipeline } from './steps.js'

const built = (c: Commit) => (r: ActionResult) =>
  `${c.label} (${c.shaTag}, ${c.branch}) → ${r.outputs.image}; tags ${r.outputs.tags
    .split('\n')
    .map((t) => t.split(':').at(-1))
    .join(', ')} checked with skopeo`

const deployed = (r: ActionResult): string =>
  `dev runs ${r.outputs.image} (revision ${r.outputs.revision}, changed ${r.outputs.changed}, was ${shortDigest(r.outputs['previous-image']) || 'nothing'}); GitHub Deployment ${r.outputs['deployment-id']}`

const passed = (r: ActionResult): string =>
  `decision ${r.outputs.decision} (score ${r.outputs.score}), evidence ${shortDigest(r.outputs.evidence)}`

/** build-image of a commit; its pinned reference. */
async function buildCommit(p: Pipeline, c: Commit): Promise<string> {
  const image = await stage(
    `build-image: commit ${c.label}, ${c.message}`,
    () => build(p, c),
    built(c)
  )
  return image.outputs.image
}

/** Build, and deploy to dev by apply: the commit's pinned reference. */
async function buildAndDeploy(p: Pipeline, c: Commit): Promise<string> {
  const image = await buildCommit(p, c)
  await stage(
    `deploy-dev apply: commit ${c.label} on namespace dev`,
    () => deployApply(p, c, image),
    deployed
  )
  return image
}

/** The integration test gate on dev, which must pass. */
async function gatePasses(p: Pipeline, c: Commit, image: string): Promise<void> {
  await stage(
    `canary-gate tests: commit ${c.label} on dev`,
    async () => succeeded(await gateTests(p, c, image)),
    passed
  )
}

/** Build, deploy to dev, gate on the integration test: the commit's tested digest. */
async function buildDeployGate(p: Pipeline, c: Commit): Promise<string> {
  const image = await buildAndDeploy(p, c)
  await gatePasses(p, c, image)
  return image
}

/** promote release of a tested digest under `tags`; the pinned release reference. */
async function release(p: Pipeline, c: Commit, image: string, tags: string[]): Promise<string> {
  const result = await stage(
    `promote release: commit ${c.label} as ${tags.join(' + ')} (requires tests evidence signed by the gating workflow)`,
    () => releaseImage(p, c, image, tags),
    (r) => `${r.outputs.image} (tags checked with skopeo); copied ${r.outputs.copied}`
  )
  return result.outputs.image
}

/** Commit A: built, on dev, tested, released as 1.0.0; its release reference. */
export async function firstVersion(p: Pipeline): Promise<string> {
  const c = p.commits.A
  return release(p, c, await buildDeployGate(p, c), ['1.0.0', 'latest'])
}

/** Commit B, with a bug: built, on dev, and the gate must fail on it. */
export async function buggyCommit(p: Pipeline): Promise<void> {
  const c = p.commits.B
  const image = await buildAndDeploy(p, c)
  await stage(
    `canary-gate tests: commit ${c.label} on dev — the gate must fail`,
    async () => gateFailed(await gateTests(p, c, image)),
    (r) =>
      `the gate failed as it must: decision ${r.outputs.decision} (score ${r.outputs.score}), failing: ${failingTests(r).join('; ')}; evidence of the failure ${shortDigest(r.outputs.evidence)}`,
    { expectedFailure: true }
  )
}

/**
 * Commit C, the fix: built; deploy-dev's poll finds it as the newest build and rolls it out in
 * place of B; the gate passes. Then the merge to main releases it as 1.1.0. Its release reference.
 */
export async function theFix(p: Pipeline): Promise<string> {
  const c = p.commits.C
  const image = await buildCommit(p, c)
  await stage(
    'deploy-dev poll: policy newest-build on the repository',
    async () => {
      const result = await deployPoll(p, c)
      if (result.outputs.image !== image)
        throw new Error(
          `the poll rolled out ${result.outputs.image}, not the newest build ${image}`
        )
      return result
    },
    (r) => `found the newest build ${c.shaTag}: ${deployed(r)}`
  )
  await gatePasses(p, c, image)
  return release(p, c, image, ['1.1.0', 'latest'])
}

/** Commit D, a hotfix on main: built, on dev, tested, released as 1.1.1; its release reference. */
export async function hotfix(p: Pipeline): Promise<string> {
  const c = p.commits.D
  return release(p, c, await buildDeployGate(p, c), ['1.1.1', 'latest'])
}
