/**
 * The pipeline's servers, and its steps: each action's bundle run as a runner runs it (runAction:
 * INPUT_*, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, a push event of the commit), with the inputs a
 * workflow of this project would give it.
 */
import { rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { REPO_ROOT, runAction, type ActionResult } from '../../harness/action-runner.js'
import { buildahEnv, type PushedImage } from '../../harness/buildah.js'
import type { GitHubApi } from '../../harness/github-api.js'
import type { ControlPlane } from '../../harness/kube-control-plane.js'
import type { Registry } from '../../harness/registry.js'
import { workflowIdentity, type LocalSigstore } from '../../harness/sigstore.js'
import { skopeoDigest } from '../../harness/skopeo.js'
import { pushEvent } from '../../test/actions/github-env.js'
import type { Commit } from './commits.js'
import type { DevEnvironment } from './environment.js'
import type { Metrics } from './metrics.js'
import { succeeded } from './stages.js'

/** Everything the steps run against. */
export interface Pipeline {
  /** The internal registry builds are pushed to. */
  readonly registry: Registry
  /** The release registry (token auth; anonymous pull). */
  readonly release: Registry
  readonly cluster: ControlPlane
  readonly github: GitHubApi
  readonly dev: DevEnvironment
  readonly metrics: Metrics
  /** The runner's OIDC token endpoint, Fulcio and the TSA, for keyless evidence. */
  readonly sigstore: LocalSigstore
  readonly base: PushedImage
  readonly commits: Readonly<Record<'A' | 'B' | 'C' | 'D', Commit>>
  /** The production namespace, and the deployer's kubeconfig for it. */
  readonly production: { readonly namespace: string; readonly kubeconfig: string }
}

const events = new Map<string, Record<string, string>>()

/**
 * Keyless evidence as on GitHub with `id-token: write`: each gate signs as the workflow that runs
 * it (dev.yml on the dev branch for the tests, release.yml on main for the analysis), TSA-witnessed;
 * the release accepts tests evidence only from dev.yml on dev (and release.yml on main, for a hotfix).
 */
function keyless(
  p: Pipeline,
  file: string,
  branch: string
): { inputs: Record<string, string>; env: Record<string, string> } {
  return {
    inputs: { 'fulcio-url': p.sigstore.fulcioUrl, 'tsa-url': p.sigstore.tsaUrl, 'rekor-url': '' },
    env: p.sigstore.runnerEnv(workflowIdentity(file, branch))
  }
}

/**
 * The identities promote accepts tests evidence from: the dev workflow on the dev branch, and the
 * release workflow on main (which gates a hotfix pushed to main itself); no other workflow or branch.
 */
export const GATE_WORKFLOWS =
  '^https://github\\.com/acme/app/\\.github/workflows/(dev\\.yml@refs/heads/dev|release\\.yml@refs/heads/main)$'

/** The workflow that runs a gate on `branch`, as the example workflows wire it. */
function gateWorkflow(branch: string): string {
  return branch === 'dev' ? 'dev.yml' : 'release.yml'
}

/** The context of a push of `commit` to `branch` (default the commit's), with the API stand-in. */
export function eventOf(
  p: Pipeline,
  commit: Commit,
  branch = commit.branch
): Record<string, string> {
  const key = `${branch} ${commit.sha}`
  const event = events.get(key) ?? pushEvent(branch, commit.sha)
  events.set(key, event)
  return { ...event, GITHUB_API_URL: p.github.url }
}

/** Removes the event files eventOf wrote. */
export function removeEvents(): void {
  for (const event of events.values())
    rmSync(dirname(event.GITHUB_EVENT_PATH ?? ''), { recursive: true, force: true })
  events.clear()
}

/** build-image on the commit's working copy, pushed to the internal registry; every tag checked. */
export async function build(p: Pipeline, commit: Commit): Promise<ActionResult> {
  const result = succeeded(
    await runAction(
      'build-image',
      {
        image: `${p.registry.host}/acme/sample`,
        context: commit.dir,
        'build-args': `BASE=${p.base.ref}\nVERSION=${commit.sha.slice(0, 7)}`
      },
      { ...buildahEnv(), ...eventOf(p, commit) }
    )
  )
  const tags = result.outputs.tags.split('\n')
  if (!tags.some((t) => t.endsWith(`:${commit.shaTag}`)))
    throw new Error(`build-image pushed ${tags.join(', ')}, without ${commit.shaTag}`)
  for (const tag of tags) {
    const served = await skopeoDigest(tag, { tlsVerify: false })
    if (served !== result.outputs.digest)
      throw new Error(`skopeo: ${tag} serves ${served}, not ${result.outputs.digest}`)
  }
  return result
}

/** deploy-dev inputs every mode shares: the deployer on namespace dev, the stand-in's URL. */
function devInputs(p: Pipeline): Record<string, string> {
  return {
    kubeconfig: p.cluster.deployer.kubeconfig,
    timeout: '2m',
    'environment-url': p.dev.url,
    'github-token': p.github.token
  }
}

/** deploy-dev mode apply of the commit's deploy/ with `image` pinned; the stand-in follows. */
export async function deployApply(
  p: Pipeline,
  commit: Commit,
  image: string
): Promise<ActionResult> {
  const result = succeeded(
    await runAction(
      'deploy-dev',
      {
        ...devInputs(p),
        manifests: join(commit.dir, 'deploy'),
        images: `acme/sample=${image}`
      },
      eventOf(p, commit)
    )
  )
  await followDev(p, image)
  return result
}

/** deploy-dev mode poll, policy newest-build on the repository; the stand-in follows. */
export async function deployPoll(p: Pipeline, commit: Commit): Promise<ActionResult> {
  const result = succeeded(
    await runAction(
      'deploy-dev',
      {
        ...devInputs(p),
        mode: 'poll',
        images: `${p.registry.host}/acme/sample`,
        policy: 'newest-build',
        workload: 'deployment/sample'
      },
      eventOf(p, commit)
    )
  )
  await followDev(p, result.outputs.image)
  return result
}

/** Checks that dev runs `image`, and has the stand-in serve that image's files. */
async function followDev(p: Pipeline, image: string): Promise<void> {
  const running = await p.dev.follow(p.cluster, 'dev', 'sample')
  if (running !== image)
    throw new Error(`deployment/sample in namespace dev runs ${running}, not ${image}`)
}

/** canary-gate mode tests: the commit's integration test against the dev stand-in, on `image`. */
export function gateTests(p: Pipeline, commit: Commit, image: string): Promise<ActionResult> {
  const signing = keyless(p, gateWorkflow(commit.branch), commit.branch)
  return runAction(
    'canary-gate',
    {
      command: `mkdir -p reports && ${process.execPath} --test --test-reporter=junit --test-reporter-destination=reports/junit.xml 'test/*.test.mjs'`,
      'working-directory': commit.dir,
      reports: 'reports/junit.xml',
      'environment-url': p.dev.url,
      image,
      ...signing.inputs,
      'github-token': p.github.token,
      timeout: '2m'
    },
    { ...eventOf(p, commit), ...signing.env }
  )
}

/** canary-gate mode analysis of `image` (a release) against the metrics' Prometheus. */
export function gateAnalysis(p: Pipeline, commit: Commit, image: string): Promise<ActionResult> {
  const signing = keyless(p, 'release.yml', 'main')
  return runAction(
    'canary-gate',
    {
      ...p.metrics.inputs,
      image,
      ...signing.inputs,
      'registry-username': 'pusher',
      'registry-password': p.release.users.pusher?.password ?? '',
      'github-token': p.github.token
    },
    { ...eventOf(p, commit, 'main'), ...signing.env }
  )
}

/** promote stage release of a tested image to the release registry, checked with skopeo. */
export async function releaseImage(
  p: Pipeline,
  commit: Commit,
  image: string,
  tags: readonly string[]
): Promise<ActionResult> {
  const result = succeeded(
    await runAction(
      'promote',
      {
        stage: 'release',
        source: image,
        destination: `${p.release.host}/acme/sample`,
        tags: tags.join('\n'),
        'require-evidence': 'tests',
        'evidence-identity': GATE_WORKFLOWS,
        'evidence-issuer': p.sigstore.issuer,
        'evidence-repository': 'acme/app',
        'trusted-root': p.sigstore.trustedRootFile,
        'destination-username': 'pusher',
        'destination-password': p.release.users.pusher?.password ?? ''
      },
      eventOf(p, commit, 'main')
    )
  )
  const digest = image.split('@')[1]
  for (const tag of tags) {
    const ref = `${p.release.host}/acme/sample:${tag}`
    const served = await skopeoDigest(ref, { tlsVerify: false, creds: p.release.creds() })
    if (served !== digest) throw new Error(`skopeo: ${ref} serves ${served}, not ${digest}`)
  }
  return result
}

/**
 * A promote cluster stage on deployment/sample in the production namespace, as the deployer, with a
 * GitHub Deployment recorded for environment production.
 */
export function promoteProduction(
  p: Pipeline,
  commit: Commit,
  inputs: Record<string, string>
): Promise<ActionResult> {
  return runAction(
    'promote',
    {
      workload: 'deployment/sample',
      namespace: p.production.namespace,
      kubeconfig: p.production.kubeconfig,
      timeout: '2m',
      'github-token': p.github.token,
      ...inputs
    },
    eventOf(p, commit, 'main')
  )
}

/** The production manifests: examples/sample-app/deploy-production. */
export const PRODUCTION_MANIFESTS = join(REPO_ROOT, 'examples/sample-app/deploy-production')
