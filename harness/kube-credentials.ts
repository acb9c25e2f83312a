/**
 * The throw-away credentials of one test control plane: a PKI (CA, API server certificate,
 * service-account key), the static-token users with their `--token-auth-file`, and kubeconfigs that
 * carry a user's token.
 */
import { randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { stringify } from 'yaml'
import { run } from './run.js'
import { createCa, issueCert } from './tls.js'

/** A static-token user of the API server. */
export interface KubeUser {
  readonly token: string
  readonly groups: readonly string[]
}

/** The identity kube-controller-manager runs every controller as. */
export const CONTROLLER_MANAGER_USER = 'system:kube-controller-manager'
/** The identity of the FakeNode. */
export const FAKE_NODE_USER = 'rollout-kit:fake-node'

/** admin, the controller manager, the fake node and deployer, plus `extra` (tokens generated when absent). */
export function staticUsers(
  extra: Readonly<Record<string, { token?: string; groups?: readonly string[] }>> = {}
): Record<string, KubeUser> {
  const token = (): string => randomBytes(24).toString('hex')
  const users: Record<string, KubeUser> = {
    admin: { token: token(), groups: ['system:masters'] },
    // use-service-account-credentials=false: one identity runs every controller
    [CONTROLLER_MANAGER_USER]: { token: token(), groups: ['system:masters'] },
    [FAKE_NODE_USER]: { token: token(), groups: ['system:masters'] },
    deployer: { token: token(), groups: ['rollout-kit:deployers'] }
  }
  for (const [name, user] of Object.entries(extra)) {
    users[name] = { token: user.token ?? token(), groups: [...(user.groups ?? [])] }
  }
  return users
}

/** Writes the users as kube-apiserver's `--token-auth-file` CSV; returns the file. */
export function writeTokensFile(file: string, users: Record<string, KubeUser>): string {
  writeFileSync(
    file,
    Object.entries(users)
      .map(([name, user]) => `${user.token},${name},${name},"${user.groups.join(',')}"`)
      .join('\n') + '\n',
    { mode: 0o600 }
  )
  return file
}

/** Kubeconfig YAML with the CA inline and a bearer token. */
export function kubeconfigYaml(
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

/** The files of a throw-away PKI for one control plane. */
export interface KubePki {
  readonly caCert: string
  readonly caPem: string
  readonly serverCert: string
  readonly serverKey: string
  /** ECDSA P-256 private key that signs and verifies service-account tokens. */
  readonly serviceAccountKey: string
}

/** A CA, a serving certificate for 127.0.0.1 and the in-cluster names, and a service-account key. */
export async function kubePki(dir: string): Promise<KubePki> {
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
