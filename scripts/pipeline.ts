// The main job: rollout-kit's whole pipeline run locally on its embedded defaults, with the
// actions' bundles run exactly as a runner runs them (scripts/pipeline/steps.ts). It starts an
// internal and a release registry, the real Kubernetes control plane (built once into the cache if
// missing), a GitHub API stand-in, a dev environment stand-in and a Prometheus, then plays:
//   dev push → build → deploy-dev → integration gate → a commit with a bug → the gate fails → the
//   fix → poll deploys the newest → master → release → canary 20 % → analysis → production →
//   blue-green → rollback (→ finalize),
// with one progress line per stage, and writes a Markdown and an HTML report.
import { join } from 'node:path'
import { REPO_ROOT } from '../harness/action-runner.js'
import { ensureBaseImage } from '../harness/buildah.js'
import { startGitHubApi } from '../harness/github-api.js'
import { startSigstore } from '../harness/sigstore.js'
import { startControlPlane } from '../harness/kube-control-plane.js'
import { startRegistry } from '../harness/registry.js'
import { removeCommits, sampleCommits } from './pipeline/commits.js'
import { ensureControlPlaneBuilt } from './pipeline/control-plane.js'
import { buggyCommit, firstVersion, hotfix, theFix } from './pipeline/dev-flow.js'
import { startDevEnvironment } from './pipeline/environment.js'
import { startMetrics } from './pipeline/metrics.js'
import { blueGreen, bootstrap, canary, production } from './pipeline/production-flow.js'
import { writeReports } from './pipeline/report.js'
import { stage, stages } from './pipeline/stages.js'
import { removeEvents, type Pipeline } from './pipeline/steps.js'

const FLOW =
  'dev push → build → deploy-dev → integration gate → a commit with a bug → the gate fails → the fix → poll deploys the newest → master → release → canary 20 % → analysis → production → blue-green → rollback → finalize'

const NOTES = [
  'The fake node runs no containers: on dev, a busybox httpd serves the /www files unpacked from the image the dev Deployment runs; for the canary analysis, two simulated exporters scraped by a real Prometheus play the canary and baseline pods, with equal error rates and latencies.',
  "Every gate signs its evidence keyless, as on GitHub with `id-token: write`: the runner's OIDC token, a local Fulcio and a timestamp authority (no Rekor); the release accepts tests evidence only from dev.yml on the dev branch, or release.yml on main for a hotfix pushed there.",
  'The production namespace `prod` has the same least-privilege Role as `dev`, bound to the same deployer user; every promote cluster stage runs as that user.'
]

const cleanups: (() => Promise<unknown>)[] = []

/** Starts the servers side by side; on a failure, stops those that started. */
async function startServers(): Promise<Omit<Pipeline, 'base' | 'commits' | 'production'>> {
  const started = await Promise.allSettled([
    startRegistry(),
    startRegistry({ auth: 'token' }),
    startControlPlane(),
    startGitHubApi(),
    startDevEnvironment(),
    startMetrics(),
    startSigstore()
  ] as const)
  for (const s of started) if (s.status === 'fulfilled') cleanups.push(() => s.value.stop())
  const failed = started.find((s) => s.status === 'rejected')
  if (failed) throw failed.reason
  const [registry, release, cluster, github, dev, metrics, sigstore] = started.map(
    (s) => (s as PromiseFulfilledResult<unknown>).value
  ) as [
    Awaited<ReturnType<typeof startRegistry>>,
    Awaited<ReturnType<typeof startRegistry>>,
    Awaited<ReturnType<typeof startControlPlane>>,
    Awaited<ReturnType<typeof startGitHubApi>>,
    Awaited<ReturnType<typeof startDevEnvironment>>,
    Awaited<ReturnType<typeof startMetrics>>,
    Awaited<ReturnType<typeof startSigstore>>
  ]
  return { registry, release, cluster, github, dev, metrics, sigstore }
}

async function main(): Promise<boolean> {
  console.log(`rollout-kit local pipeline: ${FLOW}`)
  await ensureControlPlaneBuilt()
  const servers = await stage(
    'start the registries, the control plane, the GitHub API and dev stand-ins, Prometheus, a local Sigstore',
    startServers,
    (s) =>
      `internal ${s.registry.url}, release ${s.release.url} (token auth), Kubernetes ${s.cluster.server} (${s.cluster.version.split(' (')[0]}), GitHub API ${s.github.url}, dev ${s.dev.url}, Prometheus ${s.metrics.prometheus.url}, Fulcio and TSA ${s.sigstore.fulcioUrl}`
  )
  const base = await stage(
    'make the base image from busybox-static',
    () => ensureBaseImage(servers.registry.host, { tlsVerify: false }),
    (b) => b.pinned
  )
  const commits = sampleCommits()
  cleanups.push(async () => {
    removeCommits(commits)
    removeEvents()
  })
  const p: Pipeline = {
    ...servers,
    base,
    commits,
    production: { namespace: 'prod', kubeconfig: servers.cluster.kubeconfigFor('deployer', 'prod') }
  }
  const releaseA = await firstVersion(p)
  await bootstrap(p, releaseA)
  await buggyCommit(p)
  const releaseC = await theFix(p)
  await canary(p, releaseA, releaseC)
  await production(p, releaseC)
  const releaseD = await hotfix(p)
  await blueGreen(p, releaseC, releaseD)
  return true
}

const started = Date.now()
let passed = false
try {
  passed = await main()
} catch (error) {
  console.error(`\npipeline failed: ${error instanceof Error ? error.message : String(error)}`)
  process.exitCode = 1
} finally {
  for (const cleanup of cleanups.reverse())
    await cleanup().catch((error: unknown) => console.error(`cleanup: ${String(error)}`))
  const totalSeconds = (Date.now() - started) / 1000
  const { markdown, html } = writeReports(join(REPO_ROOT, '.cache/pipeline'), stages, {
    title: 'rollout-kit local pipeline',
    flow: FLOW,
    totalSeconds,
    passed,
    notes: NOTES
  })
  console.log(
    `\npipeline ${passed ? 'passed' : 'FAILED'}: ${stages.length} stages in ${totalSeconds.toFixed(1)} s`
  )
  console.log(`report: ${markdown}\n        ${html}`)
}
