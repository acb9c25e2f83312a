/**
 * The project's own KubeClient (src/kube/client.ts) on a test control plane, for tests of the kube
 * concern that talk to the cluster through it rather than by raw requests (kube-request.ts).
 */
import { KubeConfig } from '@kubernetes/client-node'
import { KubeClient } from '../src/kube/client.js'
import type { ControlPlane } from './kube-control-plane.js'

/** A KubeClient acting as the user of a kubeconfig YAML. */
export function kubeClient(kubeconfig: string): KubeClient {
  const kc = new KubeConfig()
  kc.loadFromString(kubeconfig)
  return new KubeClient(kc)
}

/**
 * A KubeClient acting as the cluster's admin, with namespace `namespace` created: a test file's own
 * namespace, apart from the deployer's `dev`.
 */
export async function adminClientIn(cluster: ControlPlane, namespace: string): Promise<KubeClient> {
  const client = kubeClient(cluster.kubeconfig)
  await client.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } })
  return client
}
