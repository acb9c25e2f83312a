import { afterEach, describe, expect, it } from '@jest/globals'
import { join } from 'node:path'
import { REPO_ROOT, setActionInputs } from '../../harness/action-runner.js'
import { readInputs } from '../../src/actions/build-image/inputs.js'

const SAMPLE = join(REPO_ROOT, 'examples/sample-app')
let restore: () => void = () => undefined
afterEach(() => restore())

function inputs(values: Record<string, string>) {
  restore = setActionInputs('build-image', { context: SAMPLE, ...values })
  return readInputs()
}

describe('build-image inputs', () => {
  it('reads the defaults of action.yml into a typed object', () => {
    expect(inputs({ image: 'ghcr.io/acme/app' })).toEqual({
      image: { registry: 'ghcr.io', repository: 'acme/app' },
      context: SAMPLE,
      file: join(SAMPLE, 'Dockerfile'),
      tags: [],
      push: true,
      builder: 'auto',
      platforms: [],
      buildArgs: [],
      labels: [],
      target: '',
      layers: false,
      credentials: undefined,
      insecureRegistries: [],
      secrets: [],
      ssh: [],
      noCache: false,
      pull: false,
      buildContexts: [],
      cacheFrom: [],
      cacheTo: []
    })
  })

  it('reads layer caches as repositories or buildx forms, and refuses a tagged repository', () => {
    const parsed = inputs({
      image: 'acme/app',
      'cache-from': 'ghcr.io/acme/cache\ntype=gha',
      'cache-to': 'type=registry,ref=ghcr.io/acme/cache,mode=max'
    })
    expect(parsed.cacheFrom).toEqual(['ghcr.io/acme/cache', 'type=gha'])
    expect(parsed.cacheTo).toEqual(['type=registry,ref=ghcr.io/acme/cache,mode=max'])
    expect(() => inputs({ image: 'acme/app', 'cache-to': 'ghcr.io/acme/cache:v1' })).toThrow(
      "Input 'cache-to' is 'ghcr.io/acme/cache:v1'; expected a repository for the cache"
    )
  })

  it('reads metadata-action tag rules one per line (commas belong to the rule) with the flavor', () => {
    const parsed = inputs({
      image: 'acme/app',
      tags: 'type=ref,event=branch\ntype=semver,pattern={{major}}.{{minor}}',
      flavor: 'latest=false\nprefix=v'
    })
    expect(parsed.tags).toEqual([])
    expect(parsed.rules?.rules.map((r) => r.type)).toEqual(['ref', 'semver'])
    expect(parsed.rules?.flavor).toEqual({ latest: 'false', prefix: 'v', suffix: '' })
  })

  it('reads build secrets by value (masking each) and by file, ssh, build contexts, no-cache and pull', () => {
    const parsed = inputs({
      image: 'acme/app',
      secrets: 'token=abc=def\nnpm_token=xyz',
      'secret-files': `cert=${join(SAMPLE, 'Dockerfile')}`,
      ssh: 'default',
      'build-contexts': 'assets=./assets\nbase=docker-image://alpine:3.20',
      'no-cache': 'true',
      pull: 'true'
    })
    expect(parsed.secrets).toEqual([
      { id: 'token', value: 'abc=def' },
      { id: 'npm_token', value: 'xyz' },
      { id: 'cert', file: join(SAMPLE, 'Dockerfile') }
    ])
    expect(parsed).toMatchObject({ ssh: ['default'], noCache: true, pull: true })
    expect(parsed.buildContexts).toEqual([
      ['assets', expect.stringMatching(/\/assets$/)],
      ['base', 'docker-image://alpine:3.20']
    ])
  })

  it.each([
    [{ secrets: 'no-id-here' }, "Input 'secrets' is '(a line without id=)'"],
    [{ secrets: 'a=1\na=2' }, "Input 'secrets' is 'a'; expected each secret id once"],
    [
      { 'secret-files': 'cert=/nonexistent/cert.pem' },
      "Input 'secret-files' is 'cert=/nonexistent/cert.pem'; expected a file that exists"
    ],
    [{ ssh: 'not a spec' }, "Input 'ssh' is 'not a spec'"],
    [{ 'build-contexts': 'Bad Name=./x' }, "Input 'build-contexts' is 'Bad Name=./x'"]
  ])('refuses %j without showing a secret value', (given, message) => {
    expect(() => inputs({ image: 'acme/app', ...given })).toThrow(message)
  })

  it('refuses a flavor without tag rules', () => {
    expect(() => inputs({ image: 'acme/app', tags: '1.0', flavor: 'latest=true' })).toThrow(
      "Input 'flavor' is 'latest=true'; expected no value unless `tags` holds type=… rules"
    )
  })

  it('parses the multi-value inputs', () => {
    const parsed = inputs({
      image: 'acme/app',
      tags: '1.0\nlatest',
      platforms: 'linux/amd64, linux/arm/v7',
      'build-args': 'A=1\nB=x=y',
      labels: 'team=web',
      push: 'false',
      'registry-username': 'bot',
      'registry-password': 's3cret',
      'insecure-registries': 'registry.internal:5000'
    })
    expect(parsed).toMatchObject({
      image: { registry: 'docker.io', repository: 'acme/app' },
      tags: ['1.0', 'latest'],
      platforms: ['linux/amd64', 'linux/arm/v7'],
      buildArgs: [
        ['A', '1'],
        ['B', 'x=y']
      ],
      labels: [['team', 'web']],
      push: false,
      credentials: { username: 'bot', password: 's3cret' },
      insecureRegistries: ['registry.internal:5000']
    })
  })

  it.each([
    [{ image: '' }, "Input 'image' is ''; expected a value (this input is required)"],
    [
      { image: 'ghcr.io/Acme/app' },
      "Input 'image' is 'ghcr.io/Acme/app'; expected a valid repository name"
    ],
    [
      { image: 'ghcr.io/acme/app:1.0' },
      "Input 'image' is 'ghcr.io/acme/app:1.0'; expected a repository without tag or digest"
    ],
    [
      { image: 'ghcr.io/acme/app', context: '/nonexistent' },
      "Input 'context' is '/nonexistent'; expected an existing directory"
    ],
    [
      { image: 'ghcr.io/acme/app', file: 'Nope.Dockerfile' },
      "Input 'file' is 'Nope.Dockerfile'; expected an existing Dockerfile"
    ],
    [
      { image: 'ghcr.io/acme/app', builder: 'kaniko' },
      "Input 'builder' is 'kaniko'; expected one of: auto, buildah, docker"
    ],
    [
      { image: 'ghcr.io/acme/app', platforms: 'linux/amd64,arm64' },
      "Input 'platforms' is 'arm64'; expected os/arch[/variant]"
    ],
    [{ image: 'ghcr.io/acme/app', push: 'yes' }, "Input 'push' is 'yes'; expected true or false"],
    [
      { image: 'ghcr.io/acme/app', 'build-args': 'NOEQUALS' },
      "Input 'build-args' is 'NOEQUALS'; expected lines of the form KEY=value"
    ],
    [
      { image: 'ghcr.io/acme/app', 'registry-username': 'bot' },
      "Input 'registry-password' is ''; expected a value when registry-username is set"
    ],
    [
      { image: 'ghcr.io/acme/app', 'registry-password': 'x' },
      "Input 'registry-username' is ''; expected a value when registry-password is set"
    ]
  ])('refuses %j', (values, message) => {
    expect(() => inputs(values)).toThrow(message)
  })
})
