import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync
} from 'node:fs'
import { request as httpRequest } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { stringify } from 'yaml'
import { stopChild, trackChild } from './children.js'
import { FakeNode, type FakeNodeOptions } from './kube-fake-node.js'
import { kubeOk, kubeRequest, type KubeTarget } from './kube-request.js'
import { freePort } from './ports.js'
import { run } from './run.js'
import { createCa, issueCert } from './tls.js'

/** The cached binaries that scripts/kube/build-control-plane.sh builds. */
export interface ControlPlaneBinaries {
  /** `<cache>/kubernetes-<version>`. */
  readonly dir: string
  readonly kubeApiserver: string
  readonly kubeControllerManager: string
  readonly etcd: string
  /** First line of the VERSION stamp, e.g. `kubernetes 1.20.2 (Debian source …)`. */
  readonly version: string
}

/** `${ROLLOUT_KIT_CACHE:-/var/cache/rollout-kit}`, where the build script caches the binaries. */
export function controlPlaneCacheDir(): string {
  return process.env.ROLLOUT_KIT_CACHE || '/var/cache/rollout-kit'
}

/**
 * Finds the cached control plane (kubernetes 1.20.x) or throws, telling how to build it: tests that
 * need a cluster fail when it is missing, they never skip.
 */
export function ensureControlPlaneBinaries(): ControlPlaneBinaries {
  const cache = controlPlaneCacheDir()
  const candidates = existsSync(cache)
    ? readdirSync(cache)
        .filter((entry) => /^kubernetes-1\.20\.\d+$/.test(entry))
        .sort((a, b) => b.localeCompare(a, undefined, { numeric: true }))
    : []
  for (const entry of candidates) {
    const dir = join(cache, entry)
    const bin = (name: string): string => join(dir, 'bin', name)
    const files = [bin('kube-apiserver'), bin('kube-controller-manager'), bin('etcd')]
    if (existsSync(join(dir, 'VERSION')) && files.every(isExecutable)) {
      return {
        dir,
        kubeApiserver: bin('kube-apiserver'),
        kubeControllerManager: bin('kube-controller-manager'),
        etcd: bin('etcd'),
        version: readFileSync(join(dir, 'VERSION'), 'utf8').split('\n')[0] ?? ''
      }
    }
  }
  throw new Error(
    `No Kubernetes control plane in ${cache} (kubernetes-1.20.*/bin with kube-apiserver, ` +
      'kube-controller-manager and etcd). Build it once (about 15 minutes) with ' +
      '`sudo scripts/kube/build-control-plane.sh` (scripts/setup.sh runs it too); ' +
      'ROLLOUT_KIT_CACHE moves the cache.'
  )
}

function isExecutable(file: string): boolean {
  try {
    const stat = statSync(file)
    return stat.isFile() && stat.size > 0 && (stat.mode & 0o111) !== 0
  } catch {
    return false
  }
}

/** A static-token user of the API server. */
export interface KubeUser {
  readonly token: string
  readonly groups: readonly string[]
}

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

const CONTROLLER_MANAGER_USER = 'system:kube-controller-manager'
const FAKE_NODE_USER = 'rollout-kit:fake-node'

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
  const logDir = join(tmpdir(), 'rollout-kit-logs')
  mkdirSync(logDir, { recursive: true })
  const stamp = `${process.pid}-${Date.now()}`
  const children: ChildProcess[] = []
  const untracks: (() => void)[] = []
  let node: FakeNode | undefined
  const spawnTracked = (
    command: string,
    name: string,
    args: string[],
    logFile: string
  ): ChildProcess => {
    const log = openSync(logFile, 'a')
    const child = spawn(command, args, { stdio: ['ignore', log, log] })
    closeSync(log)
    children.push(child)
    const untrack = trackChild(child.pid, name, options.dir ? undefined : dir)
    untracks.push(untrack)
    child.once('exit', untrack)
    return child
  }
  const killAll = (): void => {
    for (const child of children) child.kill('SIGKILL')
  }
  process.once('exit', killAll)
  const cleanup = async (): Promise<void> => {
    process.removeListener('exit', killAll)
    await node?.stop()
    // controller-manager first, etcd last: each outlives its clients
    for (const child of [...children].reverse()) await stopChild(child)
    for (const untrack of untracks) untrack()
    if (!options.keepDir) rmSync(dir, { recursive: true, force: true })
  }

  try {
    const pki = await kubePki(join(dir, 'pki'))
    const users = staticUsers(options)
    const tokensFile = join(dir, 'tokens.csv')
    writeFileSync(
      tokensFile,
      Object.entries(users)
        .map(([name, user]) => `${user.token},${name},${name},"${user.groups.join(',')}"`)
        .join('\n') + '\n',
      { mode: 0o600 }
    )

    const etcdLog = join(logDir, `etcd-${stamp}.log`)
    const etcd = await startWithPortRetry('etcd', etcdLog, async () => {
      const [client, peer] = [await freePort(), await freePort()]
      rmSync(join(dir, 'etcd'), { recursive: true, force: true })
      const child = spawnTracked(
        binaries.etcd,
        'etcd',
        [
          '--name=default',
          `--data-dir=${join(dir, 'etcd')}`,
          `--listen-client-urls=http://127.0.0.1:${client}`,
          `--advertise-client-urls=http://127.0.0.1:${client}`,
          `--listen-peer-urls=http://127.0.0.1:${peer}`,
          `--initial-advertise-peer-urls=http://127.0.0.1:${peer}`,
          `--initial-cluster=default=http://127.0.0.1:${peer}`,
          '--initial-cluster-state=new',
          '--log-level=warn',
          '--logger=zap',
          // a test cluster: speed over durability
          '--snapshot-count=5000',
          '--quota-backend-bytes=1073741824'
        ],
        etcdLog
      )
      return { child, port: client, ready: () => etcdHealthy(client) }
    })
    const etcdUrl = `http://127.0.0.1:${etcd.port}`

    const apiserverLog = join(logDir, `kube-apiserver-${stamp}.log`)
    const adminToken = users.admin?.token ?? ''
    const apiserver = await startWithPortRetry('kube-apiserver', apiserverLog, async () => {
      const port = await freePort()
      const server = `https://127.0.0.1:${port}`
      const child = spawnTracked(
        binaries.kubeApiserver,
        'kube-apiserver',
        [
          `--etcd-servers=${etcdUrl}`,
          '--bind-address=127.0.0.1',
          '--advertise-address=127.0.0.1',
          `--secure-port=${port}`,
          '--insecure-port=0',
          `--cert-dir=${join(dir, 'apiserver-certs')}`,
          `--tls-cert-file=${pki.serverCert}`,
          `--tls-private-key-file=${pki.serverKey}`,
          `--client-ca-file=${pki.caCert}`,
          `--token-auth-file=${tokensFile}`,
          '--authorization-mode=Node,RBAC',
          '--anonymous-auth=false',
          `--service-account-key-file=${pki.serviceAccountKey}`,
          `--service-account-signing-key-file=${pki.serviceAccountKey}`,
          '--service-account-issuer=https://kubernetes.default.svc',
          '--api-audiences=https://kubernetes.default.svc',
          '--service-cluster-ip-range=10.0.0.0/24',
          '--enable-admission-plugins=NamespaceLifecycle,ServiceAccount,NodeRestriction',
          '--allow-privileged=true',
          '--profiling=false',
          '--endpoint-reconciler-type=none',
          `--v=${options.verbosity ?? 1}`
        ],
        apiserverLog
      )
      return {
        child,
        port,
        ready: () => apiserverReady({ server, caPem: pki.caPem, token: adminToken })
      }
    })
    const server = `https://127.0.0.1:${apiserver.port}`
    const target = (user: string): KubeTarget => ({
      server,
      caPem: pki.caPem,
      token: users[user]?.token ?? missingUser(user, users)
    })
    const kubeconfigFor = (user: string, ns?: string): string =>
      kubeconfigYaml(server, pki.caPem, user, target(user).token ?? '', ns)

    const kcmKubeconfig = join(dir, 'controller-manager.kubeconfig')
    writeFileSync(kcmKubeconfig, kubeconfigFor(CONTROLLER_MANAGER_USER), { mode: 0o600 })
    const kcmLog = join(logDir, `kube-controller-manager-${stamp}.log`)
    const controllerManager = spawnTracked(
      binaries.kubeControllerManager,
      'kube-controller-manager',
      [
        `--kubeconfig=${kcmKubeconfig}`,
        '--leader-elect=false',
        '--use-service-account-credentials=false',
        // no cloud, no CNI, no CSR signer here; the rest is the real thing
        '--controllers=*,-nodeipam,-route,-service,-cloud-node-lifecycle,-csrsigning,-bootstrapsigner,-tokencleaner',
        `--service-account-private-key-file=${pki.serviceAccountKey}`,
        `--root-ca-file=${pki.caCert}`,
        '--port=0',
        '--secure-port=0',
        '--concurrent-deployment-syncs=10',
        '--concurrent-replicaset-syncs=10',
        '--concurrent-endpoint-syncs=10',
        '--concurrent-service-syncs=2',
        '--concurrent-gc-syncs=10',
        // the fake node sends no heartbeats: never mark it unreachable nor evict its pods
        '--node-monitor-grace-period=24h',
        '--node-startup-grace-period=24h',
        '--pod-eviction-timeout=24h',
        '--endpoint-updates-batch-period=0s',
        `--v=${options.verbosity ?? 1}`
      ],
      kcmLog
    )

    const admin = target('admin')
    await setUpNamespace(admin, namespace)
    // pods need the namespace's default service account (and, in 1.20, its token secret)
    await waitForServiceAccount(admin, namespace, controllerManager, kcmLog)
    if (options.node !== false) {
      node = await FakeNode.start(target(FAKE_NODE_USER), options.node ?? {})
    }

    const kubeconfig = kubeconfigFor('admin')
    const kubeconfigFile = join(dir, 'admin.kubeconfig')
    writeFileSync(kubeconfigFile, kubeconfig, { mode: 0o600 })
    const deployerKubeconfig = kubeconfigFor('deployer', namespace)
    writeFileSync(join(dir, 'deployer.kubeconfig'), deployerKubeconfig, { mode: 0o600 })
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
        namespace,
        kubeconfig: deployerKubeconfig
      },
      node: node as FakeNode,
      users,
      version: binaries.version,
      dir,
      logDir,
      kubeconfigFor,
      as: target,
      processes: { etcd: etcd.child, apiserver: apiserver.child, controllerManager },
      stop: cleanup
    }
  } catch (error) {
    await cleanup()
    throw error
  }
}

function missingUser(user: string, users: Record<string, KubeUser>): never {
  throw new Error(`no static-token user ${user}; known: ${Object.keys(users).join(', ')}`)
}

function staticUsers(options: ControlPlaneOptions): Record<string, KubeUser> {
  const token = (): string => randomBytes(24).toString('hex')
  const users: Record<string, KubeUser> = {
    admin: { token: token(), groups: ['system:masters'] },
    // use-service-account-credentials=false: one identity runs every controller
    [CONTROLLER_MANAGER_USER]: { token: token(), groups: ['system:masters'] },
    [FAKE_NODE_USER]: { token: token(), groups: ['system:masters'] },
    deployer: { token: token(), groups: ['rollout-kit:deployers'] }
  }
  for (const [name, user] of Object.entries(options.users ?? {})) {
    users[name] = { token: user.token ?? token(), groups: [...(user.groups ?? [])] }
  }
  return users
}

/** Kubeconfig YAML with the CA inline and a bearer token. */
function kubeconfigYaml(
  server: string,
  caPem: string,
  user: string,
  token: string,
  namespace?: string
): string {
  const name = 'rollout-kit'
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name,
        cluster: { server, 'certificate-authority-data': Buffer.from(caPem).toString('base64') }
      }
    ],
    users: [{ name: user, user: { token } }],
    contexts: [
      {
        name: `${user}@${name}`,
        context: { cluster: name, user, ...(namespace ? { namespace } : {}) }
      }
    ],
    'current-context': `${user}@${name}`,
    preferences: {}
  })
}

/** The deployer's namespace, and a Role there with what a CI deployer needs — nothing elsewhere. */
async function setUpNamespace(admin: KubeTarget, namespace: string): Promise<void> {
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
      { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: all }
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

async function waitForServiceAccount(
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

interface Started {
  readonly child: ChildProcess
  readonly port: number
}

/** Spawns on free ports; retries when another process took a port between probe and bind. */
async function startWithPortRetry(
  name: string,
  logFile: string,
  launch: () => Promise<Started & { ready: () => Promise<boolean> }>
): Promise<Started> {
  let lastError: unknown
  for (let attempt = 0; attempt < 3; attempt++) {
    const offset = existsSync(logFile) ? statSync(logFile).size : 0
    const { child, port, ready } = await launch()
    try {
      await waitReady(name, child, ready, logFile, 60_000)
      return { child, port }
    } catch (error) {
      await stopChild(child)
      lastError = error
      const log = readFileSync(logFile, 'utf8').slice(offset)
      if (!log.includes('address already in use')) break
    }
  }
  throw lastError
}

async function waitReady(
  name: string,
  child: ChildProcess,
  ready: () => Promise<boolean>,
  logFile: string,
  timeoutMs: number
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${name} exited (${child.exitCode ?? child.signalCode}):\n${tail(logFile)}`)
    }
    if (await ready()) return
    await sleep(100)
  }
  throw new Error(`${name} was not ready in ${timeoutMs / 1000} s:\n${tail(logFile)}`)
}

function etcdHealthy(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = httpRequest({ host: '127.0.0.1', port, path: '/health', timeout: 1000 })
    req.on('response', (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () =>
        resolve(res.statusCode === 200 && Buffer.concat(chunks).toString().includes('"true"'))
      )
    })
    req.on('timeout', () => req.destroy())
    req.on('error', () => resolve(false))
    req.end()
  })
}

async function apiserverReady(target: KubeTarget): Promise<boolean> {
  try {
    const res = await kubeRequest(target, 'GET', '/readyz', undefined, { timeoutMs: 2000 })
    return res.status === 200
  } catch {
    return false
  }
}

/** The files of a throw-away PKI for one control plane. */
interface KubePki {
  readonly caCert: string
  readonly caPem: string
  readonly serverCert: string
  readonly serverKey: string
  /** ECDSA P-256 private key that signs and verifies service-account tokens. */
  readonly serviceAccountKey: string
}

/** A CA, a serving certificate for 127.0.0.1 and the in-cluster names, and a service-account key. */
async function kubePki(dir: string): Promise<KubePki> {
  mkdirSync(dir, { recursive: true })
  const at = (file: string): string => join(dir, file)
  await createCa(dir, 'rollout-kit kubernetes CA')
  await issueCert(dir, 'server', '/CN=kube-apiserver', [
    'basicConstraints=critical,CA:FALSE',
    'keyUsage=critical,digitalSignature,keyEncipherment',
    'extendedKeyUsage=serverAuth',
    'subjectAltName=IP:127.0.0.1,IP:10.0.0.1,DNS:localhost,DNS:kubernetes,' +
      'DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local'
  ])
  // SEC1 ("EC PRIVATE KEY"): kube-apiserver derives the public key for verification from it
  await run('openssl', [
    'ecparam',
    '-name',
    'prime256v1',
    '-genkey',
    '-noout',
    '-out',
    at('sa.key')
  ])
  return {
    caCert: at('ca.crt'),
    caPem: readFileSync(at('ca.crt'), 'utf8'),
    serverCert: at('server.crt'),
    serverKey: at('server.key'),
    serviceAccountKey: at('sa.key')
  }
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-30).join('\n')
  } catch {
    return '(no log)'
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
