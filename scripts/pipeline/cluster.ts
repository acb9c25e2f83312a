/**
 * What the pipeline reads back from the cluster, as the admin, to check each stage's claim against
 * the cluster itself: Deployments' images and sizes, the Service's selector; and the production
 * namespace, set up like the dev one.
 */
import { setUpNamespace } from '../../harness/kube-namespace.js'
import {
  kubeFind,
  kubeOk,
  kubeRequest,
  waitFor,
  type KubeObject,
  type KubeTarget
} from '../../harness/kube-request.js'

/** A Deployment, or undefined when it does not exist. */
export function deploymentOf(
  cluster: KubeTarget,
  namespace: string,
  name: string
): Promise<KubeObject | undefined> {
  return kubeFind(cluster, `/apis/apps/v1/namespaces/${namespace}/deployments/${name}`)
}

/** The image of a Deployment's first container; throws when the Deployment does not exist. */
export async function deploymentImage(
  cluster: KubeTarget,
  namespace: string,
  name: string
): Promise<string> {
  const d = await deploymentOf(cluster, namespace, name)
  const image = (d?.spec?.template?.spec?.containers as { image?: string }[] | undefined)?.[0]
    ?.image
  if (!image) throw new Error(`deployment/${name} in namespace ${namespace} does not exist`)
  return image
}

/** What a check expects of a Deployment. */
export interface Expected {
  /** The image its pods run; undefined: the Deployment must not exist. */
  readonly image?: string
  /** Its replicas, all available. */
  readonly replicas?: number
  /** Env values its first container's pod template sets. */
  readonly env?: Readonly<Record<string, string>>
}

/**
 * Checks Deployments of `namespace` against what a stage claims, for up to 30 s (the controllers'
 * status trails a scale-down); throws naming every difference. Returns one line of what was found.
 */
export function expectDeployments(
  cluster: KubeTarget,
  namespace: string,
  expected: Record<string, Expected>
): Promise<string> {
  return waitFor(`namespace ${namespace} to hold what the stage claims`, () =>
    compareDeployments(cluster, namespace, expected)
  )
}

async function compareDeployments(
  cluster: KubeTarget,
  namespace: string,
  expected: Record<string, Expected>
): Promise<string> {
  const found: string[] = []
  const wrong: string[] = []
  for (const [name, want] of Object.entries(expected)) {
    const d = await deploymentOf(cluster, namespace, name)
    if (!d) {
      if (want.image !== undefined) wrong.push(`deployment/${name} does not exist`)
      else found.push(`no ${name}`)
      continue
    }
    if (want.image === undefined) {
      wrong.push(`deployment/${name} exists`)
      continue
    }
    const [container] = d.spec?.template?.spec?.containers as {
      image: string
      env?: { name: string; value?: string }[]
    }[]
    const image = container?.image
    if (image !== want.image) wrong.push(`deployment/${name} runs ${image}, not ${want.image}`)
    for (const [key, value] of Object.entries(want.env ?? {})) {
      const set = container?.env?.find((e) => e.name === key)?.value
      if (set !== value)
        wrong.push(`deployment/${name} sets ${key}=${set ?? '(unset)'}, not ${value}`)
    }
    const replicas = d.spec?.replicas as number
    const available = (d.status?.availableReplicas as number | undefined) ?? 0
    if (want.replicas !== undefined && (replicas !== want.replicas || available !== replicas))
      wrong.push(
        `deployment/${name} has ${available}/${replicas} replicas available, not ${want.replicas}`
      )
    const env = Object.entries(want.env ?? {}).map(([key, value]) => ` ${key}=${value}`)
    found.push(`${name} ${available}/${replicas} @${shortDigest(image)}${env.join('')}`)
  }
  if (wrong.length > 0)
    throw new Error(`the cluster disagrees (namespace ${namespace}): ${wrong.join('; ')}`)
  return found.join(', ')
}

/**
 * Checks that Service `service` selects the pods of deployment/`target` (its selector is a subset
 * of their labels) and not those of deployment/`other`; returns the selector as `k=v,…`.
 */
export async function expectServiceSelects(
  cluster: KubeTarget,
  namespace: string,
  service: string,
  target: string,
  other?: string
): Promise<string> {
  const svc = await kubeOk(cluster, 'GET', `/api/v1/namespaces/${namespace}/services/${service}`)
  const selector = (svc.spec?.selector ?? {}) as Record<string, string>
  const selects = async (name: string): Promise<boolean> => {
    const d = await deploymentOf(cluster, namespace, name)
    const labels = (d?.spec?.template?.metadata?.labels ?? {}) as Record<string, string>
    return d !== undefined && Object.entries(selector).every(([k, v]) => labels[k] === v)
  }
  const text = Object.entries(selector)
    .map(([k, v]) => `${k}=${v}`)
    .join(',')
  if (!(await selects(target)))
    throw new Error(`service/${service} selects ${text}, not the pods of deployment/${target}`)
  if (other && (await selects(other)))
    throw new Error(`service/${service} selects ${text}, which still takes deployment/${other}`)
  return text
}

/**
 * Creates the production namespace with the same Role as dev's bound to the `deployer` user (least
 * privilege: its token reaches only `dev` and this namespace), and waits for the default service
 * account its pods need.
 */
export async function setUpProductionNamespace(
  cluster: KubeTarget,
  namespace: string
): Promise<void> {
  await setUpNamespace(cluster, namespace)
  await waitFor(`the default service account of namespace ${namespace}`, async () => {
    const sa = await kubeRequest<{ secrets?: unknown[] }>(
      cluster,
      'GET',
      `/api/v1/namespaces/${namespace}/serviceaccounts/default`
    )
    return sa.status === 200 && (sa.body.secrets?.length ?? 0) > 0
  })
}

/** `sha256:0123456789ab` of a pinned reference or a digest, for short lines; '' for none. */
export function shortDigest(ref: string | undefined): string {
  if (!ref) return ''
  return (ref.includes('@') ? (ref.split('@')[1] ?? '') : ref).slice(0, 19)
}
