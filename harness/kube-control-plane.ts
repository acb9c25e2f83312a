/**
 * A real Kubernetes 1.20 control plane for tests: etcd, kube-apiserver and kube-controller-manager
 * on loopback (kube-components.ts), with a throw-away PKI and static-token users
 * (kube-credentials.ts), the deployer's namespace and RBAC (kube-namespace.ts) and a FakeNode that
 * plays the kubelet (kube-fake-node.ts). The binaries come from the cache (kube-binaries.ts).
 */
import type { ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ensureControlPlaneBinaries, type ControlPlaneBinaries } from './kube-binaries.js'
import { startApiserver, startControllerManager, startEtcd } from './kube-components.js'
import {
  CONTROLLER_MANAGER_USER,
  FAKE_NODE_USER,
  kubeconfigYaml,
  kubePki,
  staticUsers,
  writeTokensFile,
  type KubePki,
  type KubeUser
} from './kube-credentials.js'
import { FakeNode, type FakeNodeOptions } from './kube-fake-node.js'
import { setUpNamespace, waitForServiceAccount } from './kube-namespace.js'
import { ProcessGroup } from './kube-processes.js'
import type { KubeTarget } from './kube-request.js'

export {
  controlPlaneCacheDir,
  ensureControlPlaneBinaries,
  type ControlPlaneBinaries
} from './kube-binaries.js'
export type { KubeUser } from './kube-credentials.js'

/** Options for {@link startControlPlane}. */
export interface ControlPlaneOptions {
  /** The deployer's namespace (default `dev`). */
  readonly namespace?: string
  /** More static-token users by name (the token is generated when absent). */
  readonly users?: Readonly<Record<string, { token?: string; groups?: readonly string[] }>>
  /** Fake node settings; `false` starts no node (pods then stay Pending). */
  readonly node?: FakeNodeOptions | false
  /** Where to keep the PKI, etcd data, kubeconfigs and logs (default: a new temp dir). */
  readonly dir?: string
  /** Keep the directory after stop() (default false; logs are kept elsewhere anyway). */
  readonly keepDir?: boolean
  /** klog verbosity of the Kubernetes components (default 1). */
  readonly verbosity?: number
}

/** What a user gets to reach their namespace. */
export interface Deployer {
  readonly user: string
  readonly token: string
  readonly namespace: string
  /** Kubeconfig YAML with the deployer's token and namespace. */
  readonly kubeconfig: string
}

/** A running etcd + kube-apiserver + kube-controller-manager on loopback, with a fake node. */
export interface ControlPlane extends KubeTarget {
  /** `https://127.0.0.1:PORT`. */
  readonly server: string
  readonly caPem: string
  readonly caFile: string
  /** Token of `admin` (group system:masters). */
  readonly adminToken: string
  /** Kubeconfig YAML for `admin`. */
  readonly kubeconfig: string
  /** The same written to a file (for KUBECONFIG). */
  readonly kubeconfigFile: string
  readonly deployer: Deployer
  /** The node that binds and "runs" pods (undefined with `node: false`). */
  readonly node: FakeNode
  readonly users: Readonly<Record<string, KubeUser>>
  readonly version: string
  readonly dir: string
  /** Logs of etcd, kube-apiserver and kube-controller-manager; kept after stop(). */
  readonly logDir: string
  /** Kubeconfig YAML for a static-token user (`admin`, `deployer`, or one from options). */
  kubeconfigFor(user: string, namespace?: string): string
  /** The target for {@link kubeRequest} acting as that user. */
  as(user: string): KubeTarget
  /** The processes, for tests that want to kill one. */
  readonly processes: Readonly<Record<'etcd' | 'apiserver' | 'controllerManager', ChildProcess>>
  stop(): Promise<void>
}

/**
 * Starts etcd, kube-apiserver (TLS, static tokens, Node+RBAC authorization) and
 * kube-controller-manager on free loopback ports, creates the deployer's namespace and RBAC, and
 * registers a fake node. stop() kills all and removes the directory.
 */
export async function startControlPlane(options: ControlPlaneOptions = {}): Promise<ControlPlane> {
  const binaries = ensureControlPlaneBinaries()
  const namespace = options.namespace ?? 'dev'
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'rollout-kit-kube-'))
  mkdirSync(dir, { recursive: true })
  const group = new ProcessGroup(options.dir ? undefined : dir)
  let node: FakeNode | undefined
  const stop = async (): Promise<void> => {
    group.release()
    await node?.stop()
    await group.stop()
    if (!options.keepDir) rmSync(dir, { recursive: true, force: true })
  }

  try {
    const servers = await startServers(binaries, dir, group, options)
    const admin = servers.as('admin')
    await setUpNamespace(admin, namespace)
    // pods need the namespace's default service account (and, in 1.20, its token secret)
    const { controllerManager } = servers.processes
    await waitForServiceAccount(admin, namespace, controllerManager, servers.controllerManagerLog)
    if (options.node !== false) {
      node = await FakeNode.start(servers.as(FAKE_NODE_USER), options.node ?? {})
    }
    return controlPlaneOf(servers, { version: binaries.version, dir, namespace, node, stop })
  } catch (error) {
    await stop()
    throw error
  }
}

/** The running components and how to reach them as each static-token user. */
interface Servers {
  readonly server: string
  readonly pki: KubePki
  readonly users: Record<string, KubeUser>
  readonly logDir: string
  readonly controllerManagerLog: string
  readonly processes: ControlPlane['processes']
  as(user: string): KubeTarget
  kubeconfigFor(user: string, namespace?: string): string
}

/** The PKI and tokens, then etcd, kube-apiserver and kube-controller-manager, in that order. */
async function startServers(
  binaries: ControlPlaneBinaries,
  dir: string,
  group: ProcessGroup,
  options: ControlPlaneOptions
): Promise<Servers> {
  const pki = await kubePki(join(dir, 'pki'))
  const users = staticUsers(options.users)
  const tokensFile = writeTokensFile(join(dir, 'tokens.csv'), users)
  const verbosity = options.verbosity ?? 1
  const etcd = await startEtcd(group, binaries.etcd, join(dir, 'etcd'))
  const apiserver = await startApiserver(group, binaries.kubeApiserver, {
    etcdUrl: `http://127.0.0.1:${etcd.port}`,
    certDir: join(dir, 'apiserver-certs'),
    pki,
    tokensFile,
    adminToken: users.admin?.token ?? '',
    verbosity
  })
  const server = `https://127.0.0.1:${apiserver.port}`
  const as = (user: string): KubeTarget => ({
    server,
    caPem: pki.caPem,
    token: users[user]?.token ?? missingUser(user, users)
  })
  const kubeconfigFor = (user: string, ns?: string): string =>
    kubeconfigYaml(server, pki.caPem, user, as(user).token ?? '', ns)

  const kcmKubeconfig = join(dir, 'controller-manager.kubeconfig')
  writeFileSync(kcmKubeconfig, kubeconfigFor(CONTROLLER_MANAGER_USER), { mode: 0o600 })
  const kcm = startControllerManager(group, binaries.kubeControllerManager, {
    kubeconfig: kcmKubeconfig,
    pki,
    verbosity
  })
  const processes = { etcd: etcd.child, apiserver: apiserver.child, controllerManager: kcm.child }
  const logDir = group.logDir
  return {
    server,
    pki,
    users,
    logDir,
    controllerManagerLog: kcm.logFile,
    processes,
    as,
    kubeconfigFor
  }
}

/** The handle tests get: writes the admin and deployer kubeconfigs to `dir`. */
function controlPlaneOf(
  servers: Servers,
  rest: {
    version: string
    dir: string
    namespace: string
    node: FakeNode | undefined
    stop: () => Promise<void>
  }
): ControlPlane {
  const { server, pki, users, kubeconfigFor } = servers
  const adminToken = users.admin?.token ?? ''
  const kubeconfig = kubeconfigFor('admin')
  const kubeconfigFile = join(rest.dir, 'admin.kubeconfig')
  writeFileSync(kubeconfigFile, kubeconfig, { mode: 0o600 })
  const deployerKubeconfig = kubeconfigFor('deployer', rest.namespace)
  writeFileSync(join(rest.dir, 'deployer.kubeconfig'), deployerKubeconfig, { mode: 0o600 })
  return {
    server,
    caPem: pki.caPem,
    caFile: pki.caCert,
    adminToken,
    token: adminToken,
    kubeconfig,
    kubeconfigFile,
    deployer: {
      user: 'deployer',
      token: users.deployer?.token ?? '',
      namespace: rest.namespace,
      kubeconfig: deployerKubeconfig
    },
    node: rest.node as FakeNode,
    users,
    version: rest.version,
    dir: rest.dir,
    logDir: servers.logDir,
    kubeconfigFor,
    as: servers.as,
    processes: servers.processes,
    stop: rest.stop
  }
}

function missingUser(user: string, users: Record<string, KubeUser>): never {
  throw new Error(`no static-token user ${user}; known: ${Object.keys(users).join(', ')}`)
}
