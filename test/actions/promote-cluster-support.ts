/**
 * What the promote cluster-stage tests share: made-up images by digest, a stable workload and its
 * Service on the control plane, running the promote bundle as the deployer, and reading back what
 * the cluster holds (Deployments, pods behind a Service, the state annotations) and what a run did.
 */
import { afterAll, beforeAll, expect } from '@jest/globals'
import { installHttpRouteCrd } from '../../harness/gateway-crd.js'
import { startGitHubApi, type GitHubApi } from '../../harness/github-api.js'
import { runAction, type ActionResult, type RunActionOptions } from '../../harness/action-runner.js'
import { startControlPlane, type ControlPlane } from '../../harness/kube-control-plane.js'
import { deploymentObject } from '../../harness/kube-objects.js'
import { kubeFind, kubeOk, waitFor, type KubeObject } from '../../harness/kube-request.js'

/** A digest made of one repeated hex character. */
export const digest = (c: string): string => `sha256:${c.repeat(64)}`
/** `registry.example/acme/web@sha256:ccc…`. */
export const image = (c: string, repository = 'acme/web'): string =>
  `registry.example/${repository}@${digest(c)}`

const NS = '/apis/apps/v1/namespaces/dev'

/** Options of {@link stableWorkload}. */
export interface StableOptions {
  readonly replicas?: number
  readonly image?: string
  readonly progressDeadlineSeconds?: number
  /** Label the Deployment itself (default true); its pods are always `app: <name>`. */
  readonly labelled?: boolean
  /** Create the Service `<name>` selecting `app: <name>` (default true). */
  readonly service?: boolean
}

/** A stable Deployment `name` (pods `app: <name>`) and, unless told not to, its Service. */
export async function stableWorkload(
  cluster: ControlPlane,
  name: string,
  options: StableOptions = {}
): Promise<void> {
  await kubeOk(
    cluster,
    'POST',
    `${NS}/deployments`,
    deploymentObject(name, options.image ?? image('a'), {
      replicas: options.replicas ?? 4,
      containerPort: 8080,
      labelled: options.labelled,
      progressDeadlineSeconds: options.progressDeadlineSeconds
    })
  )
  if (options.service !== false) {
    await kubeOk(cluster, 'POST', '/api/v1/namespaces/dev/services', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name },
      spec: { selector: { app: name }, ports: [{ port: 80, targetPort: 8080 }] }
    })
  }
  await waitFor(`deployment/${name} to be available`, async () => {
    const d = await kubeOk(cluster, 'GET', `${NS}/deployments/${name}`)
    return d.status?.availableReplicas === (options.replicas ?? 4)
  })
}

/** Runs the promote bundle as the deployer (namespace dev), with a 60 s rollout timeout by default. */
/** The servers of a promote-cluster suite, there from its beforeAll to its afterAll. */
export interface ClusterSuite {
  readonly cluster: ControlPlane
  /** The GitHub API stand-in, with `github: true`. */
  readonly github: GitHubApi
  /** Runs the bundled promote against the suite's control plane as the deployer. */
  promote(
    inputs: Record<string, string>,
    env?: Record<string, string>,
    options?: RunActionOptions
  ): Promise<ActionResult>
}

/**
 * The one setup of the promote-cluster suites: a control plane (with the Gateway API HTTPRoute CRD
 * when `httpRoutes`) and, when `github`, the GitHub API stand-in; started before the suite's tests
 * and stopped after them.
 */
export function clusterSuite(
  options: { httpRoutes?: boolean; github?: boolean } = {}
): ClusterSuite {
  let cluster: ControlPlane | undefined
  let github: GitHubApi | undefined
  beforeAll(async () => {
    ;[cluster, github] = await Promise.all([
      startControlPlane(),
      options.github ? startGitHubApi() : undefined
    ])
    if (options.httpRoutes) await installHttpRouteCrd(cluster.kubeconfig)
  }, 120_000)
  afterAll(async () => {
    await Promise.all([cluster?.stop(), github?.stop()])
  })
  const started = <T>(what: string, value: T | undefined): T => {
    if (value === undefined)
      throw new Error(`the suite's ${what} is not started (see clusterSuite)`)
    return value
  }
  return {
    get cluster() {
      return started('control plane', cluster)
    },
    get github() {
      return started('GitHub API stand-in', github)
    },
    promote: (inputs, env, options) =>
      promote(started('control plane', cluster), inputs, env, options)
  }
}

export function promote(
  cluster: ControlPlane,
  inputs: Record<string, string>,
  env: Record<string, string> = {},
  options: RunActionOptions = {}
): Promise<ActionResult> {
  return runAction(
    'promote',
    { kubeconfig: cluster.deployer.kubeconfig, timeout: '60s', ...inputs },
    env,
    options
  )
}

/** A Deployment of namespace dev, undefined when it does not exist. */
export function deployment(cluster: ControlPlane, name: string): Promise<KubeObject | undefined> {
  return kubeFind(cluster, `${NS}/deployments/${name}`)
}

/** The `rollout-kit/*` annotations of a Deployment, without the prefix. */
export async function stateOf(
  cluster: ControlPlane,
  name: string
): Promise<Record<string, string>> {
  const d = await kubeOk(cluster, 'GET', `${NS}/deployments/${name}`)
  return Object.fromEntries(
    Object.entries(d.metadata.annotations ?? {})
      .filter(([key]) => key.startsWith('rollout-kit/'))
      .map(([key, value]) => [key.slice('rollout-kit/'.length), value])
  )
}

/** The image of a Deployment's first container. */
export function imageOfDeployment(d: KubeObject | undefined): string | undefined {
  return (d?.spec?.template?.spec?.containers as { image: string }[] | undefined)?.[0]?.image
}

/** The pods of namespace dev matching a label selector (`a=b,c=d`), not terminating. */
export async function pods(cluster: ControlPlane, selector: string): Promise<KubeObject[]> {
  const list = await kubeOk<{ items: KubeObject[] }>(
    cluster,
    'GET',
    `/api/v1/namespaces/dev/pods?labelSelector=${encodeURIComponent(selector)}`
  )
  return list.items.filter((p) => !p.metadata.deletionTimestamp)
}

/**
 * The names of namespace dev's pods that PromQL label matchers (`a="x",b="y"`, as promote's
 * selector outputs) select, with each pod's labels as Prometheus's Kubernetes discovery gives
 * them under the usual relabelling: pod labels by `labelmap: __meta_kubernetes_pod_label_(.+)`
 * (other characters than letters, digits and `_` as `_`) and the namespace as `namespace`.
 */
export async function podsSelectedBy(cluster: ControlPlane, matchers: string): Promise<string[]> {
  const wanted = [...matchers.matchAll(/([A-Za-z_][A-Za-z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map(
    ([, name, value]) => [name, JSON.parse(`"${value}"`) as string] as const
  )
  expect(wanted.map(([name, value]) => `${name}=${JSON.stringify(value)}`).join(',')).toBe(matchers)
  return (await pods(cluster, ''))
    .filter((pod) => {
      const labels: Record<string, string> = { namespace: pod.metadata.namespace ?? '' }
      for (const [key, value] of Object.entries(pod.metadata.labels ?? {})) {
        labels[key.replace(/[^A-Za-z0-9_]/g, '_')] = value
      }
      return wanted.every(([name, value]) => labels[name] === value)
    })
    .map((pod) => pod.metadata.name)
    .sort()
}

/** Names of the pods a Service's Endpoints send to (ready addresses). */
export async function endpointPods(cluster: ControlPlane, service: string): Promise<string[]> {
  const endpoints = await kubeFind(cluster, `/api/v1/namespaces/dev/endpoints/${service}`)
  const subsets = (endpoints?.subsets ?? []) as { addresses?: { targetRef?: { name: string } }[] }[]
  return subsets
    .flatMap((s) => s.addresses ?? [])
    .map((a) => a.targetRef?.name ?? '')
    .sort()
}

/** Waits until the Service's Endpoints hold exactly the ready pods matching `selector`. */
export async function waitForEndpoints(
  cluster: ControlPlane,
  service: string,
  selector: string,
  count: number
): Promise<string[]> {
  return waitFor(`service/${service} to send to the ${count} pods ${selector}`, async () => {
    const expected = (await pods(cluster, selector)).map((p) => p.metadata.name).sort()
    const found = await endpointPods(cluster, service)
    if (expected.length === count && JSON.stringify(found) === JSON.stringify(expected))
      return found
    throw new Error(`pods ${expected.join(', ')}; endpoints ${found.join(', ')}`)
  })
}

/** Everything a failed run printed, for a failure message. */
export function transcript(result: ActionResult): string {
  return `exit ${result.exitCode}\n${result.stdout}\n${result.stderr}`
}

/** The message of the run's `::error::` annotations (setFailed's is the last). */
export function failure(result: ActionResult): string {
  return result.annotations
    .filter((a) => a.level === 'error')
    .map((a) => a.message)
    .join('\n')
}

/** Checks that a run succeeded: exit 0, no error annotation, and at least these outputs. */
export function expectSucceeded(result: ActionResult, outputs: Record<string, string> = {}): void {
  expect({
    exitCode: result.exitCode,
    failure: failure(result),
    outputs: result.outputs
  }).toMatchObject({ exitCode: 0, failure: '', outputs })
}

/** Checks that a run failed (exit 1) with an error containing `message`, or matching it. */
export function expectFailed(result: ActionResult, message: string | RegExp): void {
  expect({ exitCode: result.exitCode, failure: failure(result) }).toMatchObject({
    exitCode: 1,
    failure:
      typeof message === 'string'
        ? expect.stringContaining(message)
        : expect.stringMatching(message)
  })
}

/**
 * Checks that deployment/`name` of namespace dev runs `image` with `replicas` pods, all updated and
 * available: a finished rollout. Returns the Deployment.
 */
export async function expectRunning(
  cluster: ControlPlane,
  name: string,
  image: string,
  replicas: number
): Promise<KubeObject | undefined> {
  const live = await deployment(cluster, name)
  expect({ image: imageOfDeployment(live), status: live?.status }).toMatchObject({
    image,
    status: { replicas, updatedReplicas: replicas, availableReplicas: replicas }
  })
  return live
}
