import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { KubeConfig } from '@kubernetes/client-node'
import { applyManifests, ApplyError, type AppliedObject } from '../../src/kube/apply/apply.js'
import { KubeClient } from '../../src/kube/client.js'
import type { KubeObject, ManifestDocument } from '../../src/kube/manifests.js'
import { startControlPlane, type ControlPlane } from '../../harness/kube-control-plane.js'
import { kubeOk, kubeRequest } from '../../harness/kube-request.js'

let cluster: ControlPlane
let admin: KubeClient
let deployer: KubeClient

const MANAGER = 'rollout-kit-test'
const FILE = 'deploy/app.yaml'

beforeAll(async () => {
  cluster = await startControlPlane({ users: { 'ns-maker': {} } })
  admin = new KubeClient(kubeConfig(cluster.kubeconfig))
  deployer = new KubeClient(kubeConfig(cluster.deployer.kubeconfig))
  // a user who may create namespaces and config maps anywhere, and patch (not create) deployments
  await kubeOk(cluster, 'POST', '/apis/rbac.authorization.k8s.io/v1/clusterroles', {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: 'ns-maker' },
    rules: [
      {
        apiGroups: [''],
        resources: ['namespaces', 'configmaps'],
        verbs: ['get', 'create', 'patch']
      },
      // may change deployments, but not create one
      { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'patch'] }
    ]
  })
  await kubeOk(cluster, 'POST', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: 'ns-maker' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'ns-maker' },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'ns-maker' }]
  })
}, 90_000)
afterAll(() => cluster?.stop())

function kubeConfig(yaml: string): KubeConfig {
  const kc = new KubeConfig()
  kc.loadFromString(yaml)
  return kc
}

/** The documents of one file, 10 lines apart: line 1, 11, 21 … */
function documents(...objects: KubeObject[]): ManifestDocument[] {
  return objects.map((object, i) => ({ object, file: FILE, line: 1 + 10 * i }))
}

function configMap(name: string, data: Record<string, string>, namespace?: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, ...(namespace ? { namespace } : {}) },
    data
  }
}

// Services and container ports without `protocol`: a 1.20 API server refuses them in a server-side
// apply unless applyManifests writes out the default
function service(name: string, namespace?: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, ...(namespace ? { namespace } : {}) },
    spec: { selector: { app: name }, ports: [{ port: 80, targetPort: 8080 }] }
  }
}

function deployment(name: string, namespace?: string, templateApp = name): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, ...(namespace ? { namespace } : {}), labels: { app: name } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: templateApp } },
        spec: {
          containers: [
            { name: 'app', image: `registry.test/${name}:1`, ports: [{ containerPort: 8080 }] }
          ]
        }
      }
    }
  }
}

async function status(path: string): Promise<number> {
  return (await kubeRequest(cluster, 'GET', path)).status
}

async function rejection(promise: Promise<unknown>): Promise<ApplyError> {
  try {
    await promise
  } catch (error) {
    expect(error).toBeInstanceOf(ApplyError)
    return error as ApplyError
  }
  throw new Error('expected a rejection')
}

const summary = (applied: readonly AppliedObject[]): string[][] =>
  applied.map((o) => [o.ref.kind, o.ref.name, o.ref.namespace ?? '-', String(o.created)])

describe('applyManifests', () => {
  it('applies a Namespace and the objects in it, in dependency order', async () => {
    const applied = await applyManifests(
      admin,
      documents(
        deployment('web', 'team-a'),
        service('web', 'team-a'),
        configMap('settings', { mode: 'a' }, 'team-a'),
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } }
      ),
      { fieldManager: MANAGER }
    )
    expect(summary(applied)).toEqual([
      ['Namespace', 'team-a', '-', 'true'],
      ['ConfigMap', 'settings', 'team-a', 'true'],
      ['Service', 'web', 'team-a', 'true'],
      ['Deployment', 'web', 'team-a', 'true']
    ])
    expect(applied.map((o) => `${o.file}:${o.line}`)).toEqual([
      `${FILE}:31`,
      `${FILE}:21`,
      `${FILE}:11`,
      `${FILE}:1`
    ])
    expect(applied.every((o) => o.changed && o.before === undefined)).toBe(true)
    expect(applied[3]?.resource).toMatchObject({ plural: 'deployments', group: 'apps' })
    expect(await status('/apis/apps/v1/namespaces/team-a/deployments/web')).toBe(200)
    expect(await status('/api/v1/namespaces/team-a/configmaps/settings')).toBe(200)
  })

  it('puts namespaced objects into the namespace option, cluster-scoped ones into none', async () => {
    const clusterRole: KubeObject = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'reader', namespace: 'ignored' },
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }]
    }
    const applied = await applyManifests(
      admin,
      documents(configMap('moved', { a: '1' }, 'elsewhere'), configMap('placed', {}), clusterRole),
      { fieldManager: MANAGER, namespace: 'dev' }
    )
    expect(summary(applied)).toEqual([
      ['ConfigMap', 'moved', 'dev', 'true'],
      ['ConfigMap', 'placed', 'dev', 'true'],
      ['ClusterRole', 'reader', '-', 'true']
    ])
    expect(applied[2]?.after.metadata.namespace).toBeUndefined()
    expect(await status('/api/v1/namespaces/dev/configmaps/moved')).toBe(200)

    // without the option: the document's namespace, else the default given, else the kubeconfig's
    const kept = await applyManifests(
      admin,
      documents(configMap('own', {}, 'team-a'), configMap('defaulted', {})),
      { fieldManager: MANAGER, defaultNamespace: 'dev' }
    )
    expect(kept.map((o) => o.ref.namespace)).toEqual(['team-a', 'dev'])
    const context = await applyManifests(deployer, documents(configMap('from-context', {})), {
      fieldManager: MANAGER
    })
    expect(context[0]?.ref.namespace).toBe('dev')
  })

  it('finds a forbidden object by a dry run before anything is written', async () => {
    const batch = documents(
      configMap('early', { a: '1' }),
      service('early'),
      deployment('intruder', 'default')
    )
    const error = await rejection(applyManifests(deployer, batch, { fieldManager: MANAGER }))
    expect(error.message).toBe(
      `${FILE}:21: Kubernetes API ${cluster.server}: patch deployments.apps/intruder in namespace default ` +
        'failed (HTTP 403 Forbidden): not allowed to patch deployments.apps in namespace default ' +
        '(grant the verb by RBAC): deployments.apps "intruder" is forbidden: User "deployer" cannot ' +
        'patch resource "deployments" in API group "apps" in the namespace "default" ' +
        '(found before applying anything: nothing was changed)'
    )
    expect([error.file, error.line, error.applied]).toEqual([FILE, 21, []])
    expect(await status('/api/v1/namespaces/dev/configmaps/early')).toBe(404)
    expect(await status('/api/v1/namespaces/dev/services/early')).toBe(404)
  })

  it('asks the access review for objects in a namespace the batch creates', async () => {
    const maker = new KubeClient(kubeConfig(cluster.kubeconfigFor('ns-maker')))
    const batch = documents(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'fresh' } },
      configMap('allowed', {}, 'fresh'),
      deployment('refused', 'fresh')
    )
    const error = await rejection(applyManifests(maker, batch, { fieldManager: MANAGER }))
    expect(error.message).toBe(
      `${FILE}:21: Kubernetes API ${cluster.server}: not allowed to create deployments.apps/refused ` +
        'in namespace fresh (grant the verb by RBAC) (found before applying anything: nothing was changed)'
    )
    expect(await status('/api/v1/namespaces/fresh')).toBe(404)

    const allowed = await applyManifests(maker, batch.slice(0, 2), { fieldManager: MANAGER })
    expect(summary(allowed)).toEqual([
      ['Namespace', 'fresh', '-', 'true'],
      ['ConfigMap', 'allowed', 'fresh', 'true']
    ])
    // with the namespace there, the API server's own answer agrees with the access review
    const refused = await rejection(
      applyManifests(maker, batch.slice(2), { fieldManager: MANAGER })
    )
    expect(refused.message).toBe(
      `${FILE}:21: Kubernetes API ${cluster.server}: not allowed to create deployments.apps/refused ` +
        'in namespace fresh (grant the verb by RBAC) (found before applying anything: nothing was changed)'
    )
  })

  it('reports nothing changed when the same documents are applied again', async () => {
    const secret: KubeObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'token', namespace: 'dev' },
      stringData: { token: 'hunter2-do-not-print' }
    }
    const batch = documents(
      configMap('stable', { a: '1' }, 'dev'),
      service('stable', 'dev'),
      deployment('stable', 'dev'),
      secret
    )
    const first = await applyManifests(admin, batch, { fieldManager: MANAGER })
    expect(first.map((o) => o.changed)).toEqual([true, true, true, true])
    await new Promise((resolve) => setTimeout(resolve, 1500)) // controllers write status meanwhile
    const again = await applyManifests(admin, batch, { fieldManager: MANAGER })
    expect(again.map((o) => [o.ref.kind, o.created, o.changed])).toEqual([
      ['Secret', false, false],
      ['ConfigMap', false, false],
      ['Service', false, false],
      ['Deployment', false, false]
    ])
    expect(again.every((o) => o.before !== undefined)).toBe(true)

    const edited = documents(
      configMap('stable', { a: '2' }, 'dev'),
      service('stable', 'dev'),
      {
        ...deployment('stable', 'dev'),
        metadata: { name: 'stable', labels: { app: 'stable', tier: 'web' } }
      },
      secret
    )
    const third = await applyManifests(admin, edited, { fieldManager: MANAGER })
    expect(third.map((o) => [o.ref.kind, o.changed])).toEqual([
      ['Secret', false],
      ['ConfigMap', true],
      ['Service', false],
      ['Deployment', true]
    ])
  })

  it('keeps Secret values out of what it returns', async () => {
    const [applied] = await applyManifests(
      admin,
      documents({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'hidden', namespace: 'dev' },
        data: { password: Buffer.from('s3cret-value').toString('base64') }
      }),
      { fieldManager: MANAGER }
    )
    expect(applied?.after.data).toEqual({ password: '(redacted)' })
    expect(JSON.stringify(applied)).not.toContain(Buffer.from('s3cret-value').toString('base64'))
    const stored = await kubeOk(cluster, 'GET', '/api/v1/namespaces/dev/secrets/hidden')
    expect(Buffer.from((stored.data as { password: string }).password, 'base64').toString()).toBe(
      's3cret-value'
    )
  })

  it('applies as the field manager, taking over fields of others unless force is false', async () => {
    await admin.apply(configMap('shared', { key: 'theirs' }, 'dev'), {
      fieldManager: 'someone-else'
    })
    const batch = documents(configMap('shared', { key: 'ours' }, 'dev'))
    const refused = await rejection(
      applyManifests(admin, batch, { fieldManager: MANAGER, force: false })
    )
    expect(refused.message).toContain(
      `${FILE}:1: Kubernetes API ${cluster.server}: patch configmaps/shared`
    )
    expect(refused.message).toContain('(HTTP 409 Conflict)')
    expect(refused.message).toContain('someone-else')

    const [applied] = await applyManifests(admin, batch, { fieldManager: MANAGER })
    expect(applied?.after.data).toEqual({ key: 'ours' })
    const stored = await kubeOk(cluster, 'GET', '/api/v1/namespaces/dev/configmaps/shared')
    const managers = (
      stored.metadata.managedFields as { manager: string; operation: string }[]
    ).map((m) => [m.manager, m.operation])
    expect(managers).toContainEqual([MANAGER, 'Apply'])
  })

  it('refuses an invalid object naming its file and line, having written nothing', async () => {
    const batch = documents(
      configMap('before-invalid', {}, 'dev'),
      deployment('mismatch', 'dev', 'other')
    )
    const error = await rejection(applyManifests(admin, batch, { fieldManager: MANAGER }))
    expect(error.message).toContain(
      `${FILE}:11: Kubernetes API ${cluster.server}: patch deployments.apps/mismatch in namespace dev failed (HTTP 422 Invalid)`
    )
    expect(error.message).toContain('`selector` does not match template `labels`')
    expect(await status('/api/v1/namespaces/dev/configmaps/before-invalid')).toBe(404)
  })

  it('names the document of an unknown kind, of a custom resource before its CRD, of a duplicate', async () => {
    const unknown = await rejection(
      applyManifests(
        admin,
        documents(configMap('fine', {}), {
          ...deployment('old'),
          apiVersion: 'extensions/v1beta2'
        }),
        { fieldManager: MANAGER }
      )
    )
    expect(unknown.message).toMatch(
      new RegExp(
        `^${FILE}:11: Kubernetes API \\S+ does not serve apiVersion extensions/v1beta2 \\(kind Deployment\\)`
      )
    )
    const crd: KubeObject = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'gadgets.example.rollout-kit.dev' },
      spec: {
        group: 'example.rollout-kit.dev',
        names: { kind: 'Gadget', plural: 'gadgets' },
        scope: 'Namespaced',
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: { openAPIV3Schema: { type: 'object' } }
          }
        ]
      }
    }
    const gadget = {
      apiVersion: 'example.rollout-kit.dev/v1',
      kind: 'Gadget',
      metadata: { name: 'g' }
    }
    const early = await rejection(
      applyManifests(admin, documents(crd, gadget), { fieldManager: MANAGER })
    )
    expect(early.message).toContain(
      `${FILE}:11: Kubernetes API ${cluster.server} does not serve apiVersion example.rollout-kit.dev/v1 (kind Gadget)`
    )
    expect(early.message).toContain(
      `its CustomResourceDefinition is in this batch (${FILE}:1): apply it before the Gadget objects, in a step of its own`
    )
    expect(
      await status(
        '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gadgets.example.rollout-kit.dev'
      )
    ).toBe(404)

    const twice = await rejection(
      applyManifests(admin, documents(configMap('twin', {}, 'dev'), configMap('twin', {})), {
        fieldManager: MANAGER,
        namespace: 'dev'
      })
    )
    expect(twice.message).toBe(
      `${FILE}:11: apply configmaps/twin in namespace dev again: it is also at ${FILE}:1 ` +
        '(found before applying anything: nothing was changed)'
    )
  })
})
