import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node'
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { parse, stringify } from 'yaml'
import { InputError } from '../../src/action/errors.js'
import { KubeconfigError, loadKubeConfig } from '../../src/kube/kubeconfig.js'
import { startControlPlane, type ControlPlane } from '../../harness/kube-control-plane.js'
import { captureStdout } from '../../harness/stdout.js'

let cluster: ControlPlane
let dir: string
let emptyHome: string

beforeAll(async () => {
  cluster = await startControlPlane()
  dir = mkdtempSync(join(tmpdir(), 'rollout-kit-kubeconfig-'))
  emptyHome = join(dir, 'empty-home')
  mkdirSync(emptyHome)
}, 90_000)
afterAll(async () => {
  if (dir) rmSync(dir, { recursive: true, force: true })
  await cluster?.stop()
})

/** Writes a file under the test's temp dir and returns its path. */
function file(name: string, content: string, mode = 0o600): string {
  const path = join(dir, name)
  mkdirSync(join(path, '..'), { recursive: true })
  writeFileSync(path, content, { mode })
  return path
}

/** The names of the cluster's namespaces, as the loaded config's user sees them. */
async function namespaces(kc: KubeConfig): Promise<string[]> {
  const list = await kc.makeApiClient(CoreV1Api).listNamespace()
  return list.items.map((ns) => ns.metadata?.name ?? '')
}

/** Kubeconfig YAML from a plain object (the control plane's admin one when edited). */
function edited(change: (config: Record<string, unknown>) => void): string {
  const config = parse(cluster.kubeconfig) as Record<string, unknown>
  change(config)
  return stringify(config)
}

function error(options: Parameters<typeof loadKubeConfig>[0]): unknown {
  try {
    loadKubeConfig(options)
  } catch (thrown) {
    return thrown
  }
  throw new Error('loadKubeConfig succeeded')
}

const secret = (): string => randomBytes(12).toString('hex')

describe('loadKubeConfig', () => {
  it('loads the kubeconfig input and talks to the cluster with it', async () => {
    const loaded = loadKubeConfig({ content: cluster.kubeconfig, env: { HOME: emptyHome } })
    expect(loaded).toMatchObject({
      server: cluster.server,
      context: 'admin@rollout-kit',
      source: "input 'kubeconfig'"
    })
    expect(loaded.namespace).toBeUndefined()
    expect(await namespaces(loaded.kc)).toEqual(expect.arrayContaining(['default', 'dev']))
  })

  it('prefers the input over $KUBECONFIG', () => {
    const loaded = loadKubeConfig({
      content: cluster.deployer.kubeconfig,
      env: { KUBECONFIG: cluster.kubeconfigFile, HOME: emptyHome }
    })
    expect(loaded).toMatchObject({ context: 'deployer@rollout-kit', namespace: 'dev' })
    expect(loaded.source).toBe("input 'kubeconfig'")
  })

  describe('$KUBECONFIG with several files', () => {
    let admin: string
    let deployer: string
    let missing: string
    beforeAll(() => {
      admin = cluster.kubeconfigFile
      // the deployer's file also defines a cluster `rollout-kit`, here with another server
      const config = parse(cluster.deployer.kubeconfig) as {
        clusters: { cluster: { server: string } }[]
      }
      config.clusters[0]!.cluster.server = 'https://127.0.0.1:1'
      deployer = file('merge/deployer.yaml', stringify(config))
      missing = join(dir, 'merge', 'missing.yaml')
    })

    it('merges them as kubectl does: the first current-context and the first cluster of a name win', async () => {
      const env = { KUBECONFIG: `${admin}:${missing}:${deployer}`, HOME: emptyHome }
      const loaded = loadKubeConfig({ env })
      expect(loaded).toMatchObject({
        server: cluster.server,
        context: 'admin@rollout-kit',
        source: `$KUBECONFIG (${admin}:${missing}:${deployer})`
      })
      expect(loaded.kc.getContexts().map((c) => c.name)).toEqual([
        'admin@rollout-kit',
        'deployer@rollout-kit'
      ])

      const asDeployer = loadKubeConfig({ env, context: 'deployer@rollout-kit' })
      expect(asDeployer).toMatchObject({
        server: cluster.server,
        context: 'deployer@rollout-kit',
        namespace: 'dev'
      })
      // the deployer's user from the second file: pods in dev, but no namespaces
      const api = asDeployer.kc.makeApiClient(CoreV1Api)
      await expect(api.listNamespacedPod({ namespace: 'dev' })).resolves.toHaveProperty('items')
      await expect(api.listNamespace()).rejects.toMatchObject({ code: 403 })
    })

    it('takes current-context and clusters from the file listed first', () => {
      const loaded = loadKubeConfig({ env: { KUBECONFIG: `${deployer}:${admin}` } })
      expect(loaded).toMatchObject({
        server: 'https://127.0.0.1:1',
        context: 'deployer@rollout-kit',
        namespace: 'dev'
      })
    })

    it('refuses a list whose files are all missing', () => {
      const thrown = error({ env: { KUBECONFIG: `${missing}:${join(dir, 'nope')}` } })
      expect(thrown).toBeInstanceOf(InputError)
      expect(thrown).toHaveProperty(
        'message',
        `KUBECONFIG is '${missing}:${join(dir, 'nope')}', but none of its files exists`
      )
    })
  })

  it('names a $KUBECONFIG file that cannot be read', () => {
    const folder = join(dir, 'a-folder')
    mkdirSync(folder)
    const thrown = error({ env: { KUBECONFIG: folder } })
    expect(thrown).toBeInstanceOf(KubeconfigError)
    expect(thrown).toHaveProperty(
      'message',
      `Kubeconfig ${folder} (from $KUBECONFIG) cannot be read: EISDIR: illegal operation on a directory, read`
    )
  })

  it('reads ~/.kube/config when neither input nor $KUBECONFIG is set', async () => {
    const home = join(dir, 'home')
    const path = file('home/.kube/config', cluster.kubeconfig)
    const loaded = loadKubeConfig({ env: { HOME: home, KUBECONFIG: '' } })
    expect(loaded).toMatchObject({ server: cluster.server, source: path })
    expect(await namespaces(loaded.kc)).toContain('dev')
  })

  it('resolves certificate and token files relative to the kubeconfig, as kubectl', async () => {
    file('relative/ca.crt', cluster.caPem)
    file('relative/token', cluster.adminToken)
    const path = file(
      'relative/config',
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [
          { name: 'c', cluster: { server: cluster.server, 'certificate-authority': 'ca.crt' } }
        ],
        users: [{ name: 'u', user: { 'token-file': 'token' } }],
        contexts: [{ name: 'x', context: { cluster: 'c', user: 'u', namespace: 'dev' } }],
        'current-context': 'x'
      })
    )
    const loaded = loadKubeConfig({ env: { KUBECONFIG: path } })
    expect(loaded).toMatchObject({
      context: 'x',
      namespace: 'dev',
      source: `$KUBECONFIG (${path})`
    })
    expect(await namespaces(loaded.kc)).toContain('dev')
  })

  it('says how to provide a kubeconfig when there is none', () => {
    const thrown = error({ env: { HOME: emptyHome } })
    expect(thrown).toBeInstanceOf(KubeconfigError)
    expect(thrown).toHaveProperty(
      'message',
      "No kubeconfig: set the 'kubeconfig' input to kubeconfig YAML, or KUBECONFIG to its file " +
        `(there is no ${emptyHome}/.kube/config either)`
    )
  })

  it.each<[string, () => string, string]>([
    [
      'YAML indented with tabs',
      () => 'apiVersion: v1\nclusters:\n\t- name: a\n',
      "Input 'kubeconfig' is not valid YAML: Tabs are not allowed as indentation (line 3, column 1)"
    ],
    [
      'YAML with a key twice',
      () => 'apiVersion: v1\ncurrent-context: a\ncurrent-context: b\n',
      "Input 'kubeconfig' is not valid YAML: Map keys must be unique (line 3, column 1)"
    ],
    [
      'text that is not a mapping',
      () => 'just some text',
      "Input 'kubeconfig' is not a kubeconfig: expected a mapping with clusters, users and contexts"
    ],
    [
      'clusters that are not a list',
      () => edited((c) => (c.clusters = { name: 'a' })),
      "Input 'kubeconfig' is not a kubeconfig: clusters must be a list"
    ],
    [
      'an entry without a name',
      () => edited((c) => (c.users = [{ user: { token: 'x' } }])),
      "Input 'kubeconfig' has no name for users[0]"
    ],
    [
      'a cluster without server',
      () =>
        edited(
          (c) =>
            (c.clusters = [{ name: 'rollout-kit', cluster: { 'insecure-skip-tls-verify': true } }])
        ),
      "Input 'kubeconfig' has no server for cluster 'rollout-kit'"
    ],
    [
      'a context without cluster',
      () => edited((c) => (c.contexts = [{ name: 'x', context: { user: 'admin' } }])),
      "Input 'kubeconfig' names no cluster in context 'x'"
    ],
    [
      'no current-context',
      () => edited((c) => delete c['current-context']),
      "Input 'kubeconfig' has no current-context, and no context was chosen; its contexts are: admin@rollout-kit"
    ],
    [
      'a current-context that does not exist',
      () => edited((c) => (c['current-context'] = 'prod')),
      "Input 'kubeconfig' names current-context 'prod', but its contexts are: admin@rollout-kit"
    ],
    [
      'a context naming a missing cluster',
      () =>
        edited(
          (c) =>
            (c.contexts = [
              { name: 'admin@rollout-kit', context: { cluster: 'prod', user: 'admin' } }
            ])
        ),
      "Input 'kubeconfig' names cluster 'prod' in context 'admin@rollout-kit', but its clusters are: rollout-kit"
    ],
    [
      'a context naming a missing user',
      () =>
        edited(
          (c) =>
            (c.contexts = [
              { name: 'admin@rollout-kit', context: { cluster: 'rollout-kit', user: 'root' } }
            ])
        ),
      "Input 'kubeconfig' names user 'root' in context 'admin@rollout-kit', but its users are: admin"
    ]
  ])('refuses %s, saying what is wrong', (_what, content, message) => {
    const thrown = error({ content: content(), env: { HOME: emptyHome } })
    expect(thrown).toBeInstanceOf(InputError)
    expect(thrown).toHaveProperty('input', 'kubeconfig')
    expect(thrown).toHaveProperty('message', message)
  })

  it('lists the contexts there are when the chosen one is not among them', () => {
    const content = edited((c) => {
      c.contexts = [
        { name: 'staging', context: { cluster: 'rollout-kit', user: 'admin' } },
        { name: 'dev', context: { cluster: 'rollout-kit', user: 'admin', namespace: 'dev' } }
      ]
    })
    expect(loadKubeConfig({ content, context: 'dev' })).toMatchObject({
      context: 'dev',
      namespace: 'dev'
    })
    expect(error({ content, context: 'prod' })).toHaveProperty(
      'message',
      "Input 'kubeconfig' has no context 'prod'; its contexts are: staging, dev"
    )
  })

  it('names the file of a $KUBECONFIG that cannot be used, and never shows its content', () => {
    const token = secret()
    const path = file('broken/config', `users:\n- name: u\n  user:\n    token: ${token}: oops\n`)
    const thrown = error({ env: { KUBECONFIG: path } })
    expect(thrown).toBeInstanceOf(InputError)
    expect(thrown).toHaveProperty(
      'message',
      `Kubeconfig ${path} (from $KUBECONFIG) is not valid YAML: Nested mappings are not allowed in compact mappings (line 4, column 12)`
    )
    expect((thrown as Error).message).not.toContain(token)
  })

  it('masks every credential before it logs anything', async () => {
    const [token, password, key, access, refresh, clientSecret, envValue] = Array.from(
      { length: 7 },
      secret
    )
    const cert = Buffer.from(`cert ${secret()}`).toString('base64')
    const content = stringify({
      apiVersion: 'v1',
      clusters: [{ name: 'c', cluster: { server: cluster.server } }],
      users: [
        { name: 'token', user: { token } },
        { name: 'basic', user: { username: 'bob', password } },
        { name: 'cert', user: { 'client-certificate-data': cert, 'client-key-data': key } },
        {
          name: 'oidc',
          user: {
            'auth-provider': {
              name: 'oidc',
              config: {
                'client-id': 'web',
                'id-token': access,
                'refresh-token': refresh,
                'client-secret': clientSecret
              }
            }
          }
        },
        {
          name: 'exec',
          user: {
            exec: {
              apiVersion: 'client.authentication.k8s.io/v1beta1',
              command: 'true',
              env: [{ name: 'SECRET', value: envValue }]
            }
          }
        }
      ],
      contexts: [{ name: 'x', context: { cluster: 'c', user: 'token' } }],
      'current-context': 'x'
    })
    const { written: out } = await captureStdout(() => loadKubeConfig({ content }))
    const masks = [...out.matchAll(/^::add-mask::(.*)$/gm)].map((m) => m[1])
    expect(masks).toEqual(
      expect.arrayContaining([token, password, key, access, refresh, clientSecret, envValue])
    )
    expect(masks).not.toContain(cert)
    expect(masks).not.toContain('web')
    const lastMask = out.lastIndexOf('::add-mask::')
    expect(out.indexOf('::debug::')).toBeGreaterThan(lastMask)
  })

  describe('an exec credential plugin', () => {
    let plugin: string
    beforeAll(() => {
      plugin = file(
        'exec/credential.sh',
        '#!/bin/sh\n' +
          'printf \'{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential",' +
          '"status":{"token":"%s"}}\' "$CLUSTER_TOKEN"\n',
        0o700
      )
      chmodSync(plugin, 0o700)
    })

    function execConfig(command: string, token: string): string {
      return stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [
          {
            name: 'c',
            cluster: {
              server: cluster.server,
              'certificate-authority-data': Buffer.from(cluster.caPem).toString('base64')
            }
          }
        ],
        users: [
          {
            name: 'plugin',
            user: {
              exec: {
                apiVersion: 'client.authentication.k8s.io/v1beta1',
                command,
                args: [],
                env: [{ name: 'CLUSTER_TOKEN', value: token }]
              }
            }
          }
        ],
        contexts: [{ name: 'x', context: { cluster: 'c', user: 'plugin' } }],
        'current-context': 'x'
      })
    }

    it('authenticates against the API server with the token it prints', async () => {
      const loaded = loadKubeConfig({ content: execConfig(plugin, cluster.adminToken) })
      expect(await namespaces(loaded.kc)).toContain('dev')
    })

    it('is what authenticates: a plugin printing a wrong token is refused', async () => {
      const loaded = loadKubeConfig({ content: execConfig(plugin, secret()) })
      await expect(namespaces(loaded.kc)).rejects.toMatchObject({ code: 401 })
    })

    it('runs a relative command from the kubeconfig file’s folder', async () => {
      const path = file('exec/config', execConfig('./credential.sh', cluster.adminToken))
      const loaded = loadKubeConfig({ env: { KUBECONFIG: path } })
      expect(await namespaces(loaded.kc)).toContain('dev')
    })
  })
})
