/**
 * The deployer's side of a test control plane: its namespace, a Role there with what a CI deployer
 * needs (and nothing elsewhere) bound to the `deployer` user, and the namespace's default service
 * account that pods need.
 */
import type { ChildProcess } from 'node:child_process'
import { sleep, tail } from './kube-processes.js'
import { kubeOk, kubeRequest, type KubeTarget } from './kube-request.js'

/** The deployer's namespace, and a Role there with what a CI deployer needs — nothing elsewhere. */
export async function setUpNamespace(admin: KubeTarget, namespace: string): Promise<void> {
  const created = await kubeRequest(admin, 'POST', '/api/v1/namespaces', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: namespace }
  })
  if (created.status !== 201 && created.status !== 409) {
    throw new Error(`creating namespace ${namespace} → ${created.status}: ${created.text}`)
  }
  const all = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete']
  const read = ['get', 'list', 'watch']
  await kubeOk(admin, 'POST', `/apis/rbac.authorization.k8s.io/v1/namespaces/${namespace}/roles`, {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name: 'deployer', namespace },
    rules: [
      {
        apiGroups: ['apps'],
        resources: [
          'deployments',
          'deployments/scale',
          'replicasets',
          'statefulsets',
          'daemonsets',
          'controllerrevisions'
        ],
        verbs: all
      },
      { apiGroups: ['apps'], resources: ['deployments/status', 'replicasets/status'], verbs: read },
      { apiGroups: [''], resources: ['services', 'configmaps'], verbs: all },
      { apiGroups: [''], resources: ['pods'], verbs: [...read, 'delete'] },
      { apiGroups: [''], resources: ['pods/log', 'pods/status', 'endpoints'], verbs: read },
      { apiGroups: [''], resources: ['events'], verbs: [...read, 'create'] },
      { apiGroups: ['events.k8s.io'], resources: ['events'], verbs: read },
      { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: all },
      { apiGroups: ['gateway.networking.k8s.io'], resources: ['httproutes'], verbs: all },
      { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: all }
    ]
  })
  await kubeOk(
    admin,
    'POST',
    `/apis/rbac.authorization.k8s.io/v1/namespaces/${namespace}/rolebindings`,
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'deployer', namespace },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'deployer' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'deployer' }]
    }
  )
}

/**
 * Waits (60 s at most) until kube-controller-manager has created the namespace's default service
 * account with its token secret (1.20 still makes one); fails with the log's tail if it exits.
 */
export async function waitForServiceAccount(
  admin: KubeTarget,
  namespace: string,
  controllerManager: ChildProcess,
  logFile: string
): Promise<void> {
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    if (controllerManager.exitCode !== null || controllerManager.signalCode !== null) {
      throw new Error(`kube-controller-manager exited:\n${tail(logFile)}`)
    }
    const res = await kubeRequest<{ secrets?: unknown[] }>(
      admin,
      'GET',
      `/api/v1/namespaces/${namespace}/serviceaccounts/default`
    )
    if (res.status === 200 && (res.body.secrets?.length ?? 0) > 0) return
    await sleep(200)
  }
  throw new Error(
    `kube-controller-manager did not create ${namespace}/default's service account token in 60 s:\n${tail(logFile)}`
  )
}
