// promote stage rollback from a 50 % canary (traffic gateway-api, the HTTPRoute weighted 50/50) to
// stable only, as a runner runs the bundle, over BENCH_ROUNDS rounds on the real control plane:
// the time from the action's start until the HTTPRoute sends everything to stable again, until the
// canary Deployment is deleted (both seen by watches of the bench's own), and until the action has
// exited. The peer is the API server's own work: the same writes (the route put back, the canary
// Deployment and Service deleted) sent directly by the bench, in the same run. Goal: the canary is
// gone ≤ 5 s beyond that.
import { runAction } from '../harness/action-runner.js'
import { httpRouteObject, installHttpRouteCrd } from '../harness/gateway-crd.js'
import { startControlPlane, type ControlPlane } from '../harness/kube-control-plane.js'
import { deploymentObject } from '../harness/kube-objects.js'
import { kubeOk, kubeWatch, waitFor, type KubeObject } from '../harness/kube-request.js'
import { median, seconds } from './stats.js'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5)
const APPS = '/apis/apps/v1/namespaces/dev'
const CORE = '/api/v1/namespaces/dev'
const ROUTES = '/apis/gateway.networking.k8s.io/v1/namespaces/dev/httproutes'
const image = (c: string) => `registry.example/acme/web@sha256:${c.repeat(64)}`

interface Round {
  readonly route: number
  readonly deleted: number
  readonly exited: number
}

export async function promoteRollback(): Promise<void> {
  const cluster = await startControlPlane()
  try {
    await installHttpRouteCrd(cluster.kubeconfig)
    const action: Round[] = []
    const direct: number[] = []
    for (let round = 0; round < ROUNDS; round++) {
      const name = `web${round}`
      await stable(cluster, name)
      const canary = await promote(cluster, {
        stage: 'canary',
        workload: `deployment/${name}`,
        source: image('b'),
        weight: '50',
        traffic: 'gateway-api'
      })
      if (canary.exitCode !== 0) throw new Error(`canary failed: ${canary.stdout.slice(-2000)}`)
      action.push(await timedRollback(cluster, name))
      direct.push(await directWork(cluster, name))
    }
    const goneMs = median(action.map((r) => r.deleted))
    const apiMs = median(direct)
    console.log(`promote rollback from a 50 % gateway-api canary, median of ${ROUNDS}:`)
    console.log(`  route back to stable only   ${seconds(median(action.map((r) => r.route)))}`)
    console.log(`  canary Deployment deleted   ${seconds(goneMs)}`)
    console.log(`  action exited               ${seconds(median(action.map((r) => r.exited)))}`)
    console.log(`  the same writes sent directly (the API server's own work) ${seconds(apiMs)}`)
    console.log(
      `  canary gone ${seconds(goneMs - apiMs)} beyond the API server's work (goal ≤ 5 s): ${goneMs - apiMs <= 5000 ? 'met' : 'NOT met'}`
    )
  } finally {
    await cluster.stop()
  }
}

function promote(cluster: ControlPlane, inputs: Record<string, string>) {
  return runAction('promote', {
    kubeconfig: cluster.deployer.kubeconfig,
    timeout: '60s',
    ...inputs
  })
}

async function stable(cluster: ControlPlane, name: string): Promise<void> {
  await kubeOk(
    cluster,
    'POST',
    `${APPS}/deployments`,
    deploymentObject(name, image('a'), { replicas: 2, containerPort: 8080 })
  )
  await kubeOk(cluster, 'POST', `${CORE}/services`, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name },
    spec: { selector: { app: name }, ports: [{ port: 80, targetPort: 8080 }] }
  })
  await kubeOk(cluster, 'POST', ROUTES, httpRouteObject(name, 'dev', name))
  await waitFor(`deployment/${name} available`, async () => {
    const d = await kubeOk(cluster, 'GET', `${APPS}/deployments/${name}`)
    return d.status?.availableReplicas === 2
  })
}

async function timedRollback(cluster: ControlPlane, name: string): Promise<Round> {
  let deleted = 0
  let route = 0
  const deployments = kubeWatch(
    cluster,
    `${APPS}/deployments?fieldSelector=metadata.name%3D${name}-canary`,
    (event) => {
      if (event.type === 'DELETED') deleted ||= Date.now()
    }
  )
  const routes = kubeWatch(cluster, `${ROUTES}?fieldSelector=metadata.name%3D${name}`, (event) => {
    const refs = (event.object.spec?.rules?.[0]?.backendRefs ?? []) as { name: string }[]
    if (event.type === 'MODIFIED' && refs.every((r) => r.name === name)) route ||= Date.now()
  })
  await new Promise((resolve) => setTimeout(resolve, 300))
  const started = Date.now()
  const result = await promote(cluster, { stage: 'rollback', workload: `deployment/${name}` })
  const exited = Date.now() - started
  await waitFor('the watches to see the rollback', async () => deleted > 0 && route > 0)
  deployments.stop()
  routes.stop()
  if (result.exitCode !== 0) throw new Error(`rollback failed: ${result.stdout.slice(-2000)}`)
  return { route: route - started, deleted: deleted - started, exited }
}

/** The rollback's writes sent directly: a canary made again by hand, then put back and deleted. */
async function directWork(cluster: ControlPlane, name: string): Promise<number> {
  const canary = await kubeOk(cluster, 'GET', `${APPS}/deployments/${name}`)
  const copy: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: `${name}-direct` },
    spec: { ...(canary.spec as object), replicas: 1 }
  }
  await kubeOk(cluster, 'POST', `${APPS}/deployments`, copy)
  const started = Date.now()
  const live = await kubeOk(cluster, 'GET', `${ROUTES}/${name}`)
  await kubeOk(cluster, 'PUT', `${ROUTES}/${name}`, live)
  await kubeOk(cluster, 'DELETE', `${APPS}/deployments/${name}-direct`)
  return Date.now() - started
}
