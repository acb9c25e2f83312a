import { afterEach, describe, expect, it } from '@jest/globals'
import { setActionInputs } from '../../harness/action-runner.js'
import { captureStdout } from '../../harness/stdout.js'
import { readInputs } from '../../src/actions/deploy-dev/inputs.js'

const DIGEST = `sha256:${'c'.repeat(64)}`
let restore: () => void = () => undefined
afterEach(() => restore())

function inputs(values: Record<string, string>) {
  restore = setActionInputs('deploy-dev', values)
  return readInputs()
}

function failure(values: Record<string, string>): string {
  try {
    inputs(values)
  } catch (error) {
    return (error as Error).message
  }
  throw new Error('readInputs accepted the inputs')
}

describe('deploy-dev inputs', () => {
  it('reads mode apply with the defaults of action.yml', () => {
    const parsed = inputs({
      manifests: 'deploy/dev\ndeploy/common.yaml',
      images: `ghcr.io/acme/web@${DIGEST}\nworker=ghcr.io/acme/worker:1.2`
    })
    expect(parsed).toMatchObject({
      mode: 'apply',
      manifests: ['deploy/dev', 'deploy/common.yaml'],
      timeoutMs: 600_000,
      rollbackOnFailure: true,
      environment: 'dev',
      transientEnvironment: true,
      fieldManager: 'rollout-kit',
      insecureRegistries: []
    })
    expect(parsed.mode === 'apply' && parsed.images).toHaveLength(2)
    expect(parsed.namespace).toBeUndefined()
    expect(parsed.githubToken).toBeUndefined()
  })

  it('reads mode poll with its policy, filter and workload', () => {
    const parsed = inputs({
      mode: 'poll',
      images: 'localhost:5000/acme/web',
      policy: 'semver:^1.2',
      'tag-filter': '^v?(\\d+\\.\\d+\\.\\d+)$',
      workload: 'deployment/web',
      namespace: 'dev',
      timeout: '90s'
    })
    expect(parsed).toMatchObject({
      mode: 'poll',
      repository: { registry: 'localhost:5000', repository: 'acme/web' },
      policy: { kind: 'semver', range: '^1.2' },
      workload: { kind: 'Deployment', name: 'web' },
      namespace: 'dev',
      timeoutMs: 90_000
    })
    expect(parsed.mode === 'poll' && parsed.tagFilter?.test('v1.2.3')).toBe(true)
  })

  it.each([
    [{ mode: 'sync' }, "Input 'mode' is 'sync'; expected one of: apply, poll"],
    [{}, "Input 'manifests' is ''"],
    [{ manifests: 'k8s', timeout: 'soon' }, "Input 'timeout' is 'soon'; expected a duration"],
    [
      { manifests: 'k8s', timeout: '0s' },
      "Input 'timeout' is '0s'; expected a duration above zero"
    ],
    [
      { manifests: 'k8s', namespace: 'Dev_1' },
      "Input 'namespace' is 'Dev_1'; expected a DNS label"
    ],
    [
      { manifests: 'k8s', 'environment-url': 'dev.example.com' },
      "Input 'environment-url' is 'dev.example.com'; expected an http:// or https:// URL"
    ],
    [
      { manifests: 'k8s', 'rollback-on-failure': 'yes' },
      "Input 'rollback-on-failure' is 'yes'; expected true or false"
    ],
    [
      { manifests: 'k8s', 'registry-username': 'bot' },
      "Input 'registry-password' is ''; expected a value when registry-username is set"
    ],
    [
      {
        mode: 'poll',
        images: 'ghcr.io/acme/web:1.0',
        policy: 'newest-build',
        workload: 'deployment/web'
      },
      "Input 'images' is 'ghcr.io/acme/web:1.0'; expected a repository without tag or digest"
    ],
    [
      {
        mode: 'poll',
        images: 'ghcr.io/a\nghcr.io/b',
        policy: 'newest-build',
        workload: 'deployment/web'
      },
      "Input 'images' is 'ghcr.io/a, ghcr.io/b'; expected exactly one repository"
    ],
    [
      { mode: 'poll', images: 'ghcr.io/acme/web', policy: 'newest-build', workload: 'pod/web' },
      "Input 'workload' is 'pod/web'; expected deployment/<name>, statefulset/<name> or daemonset/<name>"
    ],
    [
      { mode: 'poll', images: 'ghcr.io/acme/web', workload: 'deployment/web' },
      "Input 'policy' is ''"
    ],
    [
      { mode: 'poll', images: 'ghcr.io/acme/web', policy: 'newest', workload: 'deployment/web' },
      "Input 'policy' is 'newest'"
    ],
    [
      {
        mode: 'poll',
        images: 'ghcr.io/acme/web',
        policy: 'numerical',
        'tag-filter': '^(main-',
        workload: 'deployment/web'
      },
      "Input 'tag-filter' is '^(main-'"
    ]
  ])('refuses %j', (values, message) => {
    expect(failure(values)).toContain(message)
  })

  it.each([
    ['nothing', '', []],
    ['one name', 'regcred', ['regcred']],
    ['comma-separated names', 'regcred, mirror.example', ['regcred', 'mirror.example']],
    ['lines, with a comment', 'regcred\n# the mirror\nmirror\n', ['regcred', 'mirror']],
    ['a name twice, once', 'regcred,mirror\nregcred', ['regcred', 'mirror']],
    ['a name of 253 characters', 'a'.repeat(253), ['a'.repeat(253)]]
  ])('reads image-pull-secrets of %s in either mode', (_, value, names) => {
    expect(inputs({ manifests: 'k8s', 'image-pull-secrets': value }).imagePullSecrets).toEqual(
      names
    )
    const poll = {
      mode: 'poll',
      images: 'ghcr.io/acme/web',
      policy: 'newest-build',
      workload: 'deployment/web'
    }
    expect(inputs({ ...poll, 'image-pull-secrets': value }).imagePullSecrets).toEqual(names)
  })

  it.each([
    ['upper case', 'RegCred'],
    ['an underscore', 'reg_cred'],
    ['a leading -', '-regcred'],
    ['a trailing .', 'regcred.'],
    ['an empty label', 'a..b'],
    ['a space', 'reg cred'],
    ['254 characters', 'a'.repeat(254)]
  ])('refuses a Secret name with %s, saying what a name may be', (_, name) => {
    const message = failure({ manifests: 'k8s', 'image-pull-secrets': `regcred, ${name}` })
    expect(message).toBe(
      `Input 'image-pull-secrets' is '${name}'; expected names of Secrets, one per line or ` +
        'comma-separated, each a DNS subdomain of at most 253 characters (lower case letters, ' +
        'digits, - and ., starting and ending alphanumeric)'
    )
  })

  it('masks the kubeconfig, the registry password and the token before anything else', async () => {
    const { written } = await captureStdout(() =>
      inputs({
        manifests: 'k8s',
        kubeconfig: 'apiVersion: v1',
        'registry-username': 'bot',
        'registry-password': 'hunter2',
        'github-token': 'ghs_token'
      })
    )
    const masks = written.match(/::add-mask::.*/g) ?? []
    expect(masks).toEqual(
      expect.arrayContaining([
        '::add-mask::hunter2',
        '::add-mask::apiVersion: v1',
        '::add-mask::ghs_token'
      ])
    )
  })
})
