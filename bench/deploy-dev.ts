// deploy-dev, as a runner runs its bundle:
//  1. bundle size (targets: ≤ 10 MB of JavaScript);
//  2. cold start, median of BENCH_RUNS: to the error of a bad input, and with everything loaded to
//     the first Kubernetes request (an API server that refuses the connection); target ≤ 0.6 s;
//     peer: `node -e 0`;
//  3. a poll with nothing new: the requests that reach the registry and the API server, counted by
//     proxies in front of each (goal: 1 registry + 1 Kubernetes), and its time;
//  4. from the Deployment becoming available (seen by a watch of the bench's own) to the action's
//     exit, over BENCH_ROUNDS rollouts; target ≤ 1 s.
import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { stringify } from 'yaml'
import { REPO_ROOT, runAction, inputEnv } from '../harness/action-runner.js'
import { startFaultProxy } from '../harness/fault-proxy.js'
import { startControlPlane, type ControlPlane } from '../harness/kube-control-plane.js'
import { startKubeCountingProxy } from '../harness/kube-counting-proxy.js'
import { deploymentObject } from '../harness/kube-objects.js'
import { kubeOk, kubeWatch, type KubeObject } from '../harness/kube-request.js'
import { freePort } from '../harness/ports.js'
import { startRegistry, type Registry } from '../harness/registry.js'
import { pushImage } from '../harness/synthetic-images.js'
import { parseReference, RegistryClient } from '../src/registry/index.js'
import { median, seconds, timeCommand } from './stats.js'

const RUNS = Number(process.env.BENCH_RUNS ?? 20)
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5)
const DIST = join(REPO_ROOT, 'actions/deploy-dev/dist')
const MB = 1_000_000

export async function deployDev(): Promise<void> {
  bundleSize()
  await coldStart()
  const [cluster, registry] = await Promise.all([startControlPlane(), startRegistry()])
  const client = new RegistryClient()
  try {
    await pollNothingNew(cluster, registry, client)
    await availableToExit(cluster, registry, client)
  } finally {
    await client.close()
    await Promise.all([cluster.stop(), registry.stop()])
  }
}

function bundleSize(): void {
  const files = readdirSync(DIST)
  const size = (suffix: string): number =>
    files.filter((f) => f.endsWith(suffix)).reduce((n, f) => n + statSync(join(DIST, f)).size, 0)
  const js = size('.js')
  console.log('deploy-dev bundle:')
  console.log(
    `  JavaScript ${(js / MB).toFixed(1)} MB in ${files.filter((f) => f.endsWith('.js')).length} chunks   target ≤ 10 MB: ${js <= 10 * MB ? 'met' : 'NOT MET'}`
  )
  console.log(`  source maps ${(size('.js.map') / MB).toFixed(1)} MB (mappings only)`)
}

async function coldStart(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-deploy-'))
  writeFileSync(
    join(dir, 'a.yaml'),
    stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } })
  )
  const port = await freePort()
  const kubeconfig = stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'c', cluster: { server: `https://127.0.0.1:${port}` } }],
    users: [{ name: 'u', user: { token: 'bench' } }],
    contexts: [{ name: 'c', context: { cluster: 'c', user: 'u', namespace: 'dev' } }],
    'current-context': 'c'
  })
  const base = { ...process.env, GITHUB_OUTPUT: join(dir, 'out'), RUNNER_TEMP: dir }
  const bad = { ...base, ...inputEnv({ mode: 'sync' }) }
  const loaded = {
    ...base,
    ...inputEnv({
      mode: 'apply',
      manifests: dir,
      kubeconfig,
      timeout: '10m',
      'field-manager': 'rollout-kit'
    })
  }
  const entry = join(DIST, 'index.js')
  timeCommand(process.execPath, [entry], 2, { env: loaded }) // warm the page cache
  const badInput = median(timeCommand(process.execPath, [entry], RUNS, { env: bad }))
  const full = median(timeCommand(process.execPath, [entry], RUNS, { env: loaded }))
  const node = median(timeCommand(process.execPath, ['-e', '0'], RUNS))
  console.log(`deploy-dev cold start (median of ${RUNS}):`)
  console.log(
    `  bad input to its error            ${seconds(badInput)}   ${(badInput / node).toFixed(2)}× node`
  )
  console.log(
    `  all loaded, to the first API call ${seconds(full)}   ${(full / node).toFixed(2)}× node   target ≤ 0.600 s: ${full <= 600 ? 'met' : 'NOT MET'}`
  )
  console.log(`  node -e 0 (peer)                  ${seconds(node)}`)
}

async function push(client: RegistryClient, registry: Registry, repository: string, tag: string) {
  const ref = parseReference(`${registry.host}/${repository}:${tag}`)
  const { digest } = await pushImage(client, ref, new Date().toISOString())
  return { digest, pinned: `${registry.host}/${repository}@${digest}` }
}

async function pollNothingNew(
  cluster: ControlPlane,
  registry: Registry,
  client: RegistryClient
): Promise<void> {
  await push(client, registry, 'bench/poll', '1.0.0')
  await push(client, registry, 'bench/poll', '1.1.0')
  const [registryProxy, kubeProxy] = await Promise.all([
    startFaultProxy(registry.url),
    startKubeCountingProxy(cluster.server, cluster.caPem)
  ])
  try {
    await kubeOk(
      cluster,
      'POST',
      '/apis/apps/v1/namespaces/dev/deployments',
      deploymentObject('poll', `${registryProxy.host}/bench/poll:1.0.0`)
    )
    const inputs = {
      mode: 'poll',
      images: `${registryProxy.host}/bench/poll`,
      policy: 'semver:^1',
      workload: 'deployment/poll',
      kubeconfig: kubeProxy.kubeconfigThrough(cluster.deployer.kubeconfig)
    }
    const first = await runAction('deploy-dev', inputs)
    if (first.outputs.changed !== 'true')
      throw new Error(`first poll did not deploy: ${first.stdout}`)
    const registryCounts: number[] = []
    const kubeCounts: number[] = []
    const times: number[] = []
    let lastRequests: string[] = []
    for (let i = 0; i < ROUNDS; i++) {
      const [r, k] = [registryProxy.requests.length, kubeProxy.requests.length]
      const started = performance.now()
      const result = await runAction('deploy-dev', inputs)
      times.push(performance.now() - started)
      if (result.outputs.changed !== 'false') throw new Error(`poll ${i} changed: ${result.stdout}`)
      const seen = [
        ...registryProxy.requests.slice(r).map((q) => `registry ${q.method} ${q.path}`),
        ...kubeProxy.requests.slice(k).map((q) => `kubernetes ${q.method} ${q.path.split('?')[0]}`)
      ]
      registryCounts.push(registryProxy.requests.length - r)
      kubeCounts.push(kubeProxy.requests.length - k)
      lastRequests = seen
    }
    console.log(`deploy-dev poll with nothing new (${ROUNDS} runs):`)
    console.log(
      `  registry requests ${median(registryCounts)}, Kubernetes requests ${median(kubeCounts)}   goal 1 + 1; time ${seconds(median(times))} (median, process included)`
    )
    for (const line of lastRequests) console.log(`    ${line}`)
  } finally {
    await Promise.all([registryProxy.stop(), kubeProxy.stop()])
  }
}

/** Whether a Deployment's status says the rollout of its current generation is complete. */
function available(object: KubeObject): boolean {
  const metadata = object.metadata as { generation?: number }
  const spec = object.spec as { replicas?: number }
  const status = (object.status ?? {}) as Record<string, number | undefined>
  const replicas = spec.replicas ?? 1
  return (
    (status.observedGeneration ?? 0) >= (metadata.generation ?? 0) &&
    status.updatedReplicas === replicas &&
    status.availableReplicas === replicas &&
    status.replicas === replicas
  )
}

async function availableToExit(
  cluster: ControlPlane,
  registry: Registry,
  client: RegistryClient
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-manifests-'))
  writeFileSync(join(dir, 'web.yaml'), stringify(deploymentObject('web', 'bench/web:0')))
  const gaps: number[] = []
  const totals: number[] = []
  for (let i = 0; i < ROUNDS; i++) {
    const image = await push(client, registry, 'bench/web', `r${i}`)
    let availableAt: number | undefined
    const watch = kubeWatch(
      cluster,
      '/apis/apps/v1/namespaces/dev/deployments?fieldSelector=metadata.name%3Dweb',
      (event) => {
        const spec = event.object.spec as {
          template?: { spec?: { containers?: { image: string }[] } }
        }
        const runs = spec?.template?.spec?.containers?.[0]?.image === image.pinned
        if (availableAt === undefined && runs && available(event.object))
          availableAt = performance.now()
      }
    )
    const started = performance.now()
    const result = await runAction('deploy-dev', {
      manifests: dir,
      images: `bench/web=${image.pinned}`,
      kubeconfig: cluster.deployer.kubeconfig
    })
    const exited = performance.now()
    watch.stop()
    if (result.exitCode !== 0 || availableAt === undefined) {
      throw new Error(`rollout ${i} failed: ${result.stdout.slice(-2000)}`)
    }
    gaps.push(exited - availableAt)
    totals.push(exited - started)
  }
  const gap = median(gaps)
  console.log(`deploy-dev apply, ${ROUNDS} rollouts of a 2-replica Deployment:`)
  console.log(
    `  available → action exited ${seconds(gap)} (median; max ${seconds(Math.max(...gaps))})   target ≤ 1.000 s: ${gap <= 1000 ? 'met' : 'NOT MET'}`
  )
  console.log(`  whole run ${seconds(median(totals))} (median)`)
}
