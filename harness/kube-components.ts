/**
 * The Kubernetes components of a test control plane with the flags they run with: etcd,
 * kube-apiserver (TLS, static tokens, Node+RBAC authorization) and kube-controller-manager, each on
 * free loopback ports and, for the servers, waited for until healthy.
 */
import type { ChildProcess } from 'node:child_process'
import { rmSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import type { KubePki } from './kube-credentials.js'
import { startWithPortRetry, type ProcessGroup, type Started } from './kube-processes.js'
import { kubeRequest, type KubeTarget } from './kube-request.js'
import { freePort } from './ports.js'

/** Starts etcd with its data in `dataDir` (emptied first) and waits until it is healthy. */
export function startEtcd(group: ProcessGroup, binary: string, dataDir: string): Promise<Started> {
  const logFile = group.logFile('etcd')
  return startWithPortRetry('etcd', logFile, async () => {
    const [client, peer] = [await freePort(), await freePort()]
    rmSync(dataDir, { recursive: true, force: true })
    const child = group.spawn(
      binary,
      'etcd',
      [
        '--name=default',
        `--data-dir=${dataDir}`,
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
      logFile
    )
    return { child, port: client, ready: () => etcdHealthy(client) }
  })
}

/** What kube-apiserver is started with. */
export interface ApiserverConfig {
  readonly etcdUrl: string
  readonly certDir: string
  readonly pki: KubePki
  /** The `--token-auth-file`. */
  readonly tokensFile: string
  /** A token that may read `/readyz`. */
  readonly adminToken: string
  readonly verbosity: number
}

/** Starts kube-apiserver and waits until `/readyz` answers 200. */
export function startApiserver(
  group: ProcessGroup,
  binary: string,
  config: ApiserverConfig
): Promise<Started> {
  const { pki } = config
  const logFile = group.logFile('kube-apiserver')
  return startWithPortRetry('kube-apiserver', logFile, async () => {
    const port = await freePort()
    const server = `https://127.0.0.1:${port}`
    const child = group.spawn(
      binary,
      'kube-apiserver',
      [
        `--etcd-servers=${config.etcdUrl}`,
        '--bind-address=127.0.0.1',
        '--advertise-address=127.0.0.1',
        `--secure-port=${port}`,
        '--insecure-port=0',
        `--cert-dir=${config.certDir}`,
        `--tls-cert-file=${pki.serverCert}`,
        `--tls-private-key-file=${pki.serverKey}`,
        `--client-ca-file=${pki.caCert}`,
        `--token-auth-file=${config.tokensFile}`,
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
        `--v=${config.verbosity}`
      ],
      logFile
    )
    return {
      child,
      port,
      ready: () => apiserverReady({ server, caPem: pki.caPem, token: config.adminToken })
    }
  })
}

/** Starts kube-controller-manager (not waited for: it has no port); returns it and its log. */
export function startControllerManager(
  group: ProcessGroup,
  binary: string,
  config: { readonly kubeconfig: string; readonly pki: KubePki; readonly verbosity: number }
): { child: ChildProcess; logFile: string } {
  const logFile = group.logFile('kube-controller-manager')
  const child = group.spawn(
    binary,
    'kube-controller-manager',
    [
      `--kubeconfig=${config.kubeconfig}`,
      '--leader-elect=false',
      '--use-service-account-credentials=false',
      // no cloud, no CNI, no CSR signer here; the rest is the real thing
      '--controllers=*,-nodeipam,-route,-service,-cloud-node-lifecycle,-csrsigning,-bootstrapsigner,-tokencleaner',
      `--service-account-private-key-file=${config.pki.serviceAccountKey}`,
      `--root-ca-file=${config.pki.caCert}`,
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
      `--v=${config.verbosity}`
    ],
    logFile
  )
  return { child, logFile }
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
