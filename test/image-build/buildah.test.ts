import { describe, expect, it } from '@jest/globals'
import {
  buildahBudArgs,
  buildahPushArgs,
  insecureHosts,
  missingPlatforms,
  type BuildahPush,
  type BuildSpec
} from '../../src/image-build/index.js'
import { buildahSteps, unusableByBuildah } from '../../src/image-build/buildah-args.js'

const SPEC: BuildSpec = {
  context: '/src',
  file: '/src/Dockerfile',
  buildArgs: [],
  labels: {},
  platforms: [],
  tags: ['127.0.0.1:5000/team/app:main'],
  push: true,
  insecureRegistries: []
}

describe('buildahBudArgs', () => {
  it.each<[string, Partial<BuildSpec>, { authFile?: string; outputFile?: string }, string[]]>([
    [
      'the minimum',
      {},
      {},
      [
        'bud',
        '--format',
        'oci',
        '--file',
        '/src/Dockerfile',
        '--tag',
        '127.0.0.1:5000/team/app:main',
        '/src'
      ]
    ],
    [
      'every option, one platform',
      {
        layers: true,
        tags: ['r.io/a:1', 'r.io/a:latest'],
        platforms: ['linux/arm64'],
        target: 'runtime',
        buildArgs: [
          ['VERSION', '1.0'],
          ['EMPTY', '']
        ],
        labels: { 'org.opencontainers.image.title': 'a b', x: 'y=z' },
        annotations: { 'org.opencontainers.image.version': '1' }
      },
      { authFile: '/tmp/x/auth.json', outputFile: '/tmp/x/iid' },
      [
        'bud',
        '--layers',
        '--force-rm',
        '--format',
        'oci',
        '--file',
        '/src/Dockerfile',
        '--iidfile',
        '/tmp/x/iid',
        '--authfile',
        '/tmp/x/auth.json',
        '--tag',
        'r.io/a:1',
        '--tag',
        'r.io/a:latest',
        '--platform',
        'linux/arm64',
        '--target',
        'runtime',
        '--build-arg',
        'VERSION=1.0',
        '--build-arg',
        'EMPTY=',
        '--label',
        'org.opencontainers.image.title=a b',
        '--label',
        'x=y=z',
        '--annotation',
        'org.opencontainers.image.version=1',
        '/src'
      ]
    ],
    [
      'several platforms build a manifest list named by the first tag, without layer cache or id file',
      { tags: ['r.io/a:1', 'r.io/a:2'], platforms: ['linux/amd64', 'linux/arm64'] },
      { outputFile: '/tmp/x/iid' },
      [
        'bud',
        '--no-cache',
        '--force-rm',
        '--format',
        'oci',
        '--file',
        '/src/Dockerfile',
        '--manifest',
        'r.io/a:1',
        '--platform',
        'linux/amd64,linux/arm64',
        '/src'
      ]
    ]
  ])('%s', (_name, spec, files, args) => {
    expect(buildahBudArgs({ ...SPEC, ...spec }, files)).toEqual(args)
  })

  it('never puts a credential on the command line', () => {
    const spec = { ...SPEC, auth: { registry: 'r.io', username: 'bot', password: 's3cret' } }
    expect(buildahBudArgs(spec, { authFile: '/t/auth.json' }).join(' ')).not.toMatch(/s3cret|bot/)
  })
})

describe('buildahBudArgs with secrets, ssh, build contexts, no-cache and pull', () => {
  it('passes secrets by file only, and the other options as buildah spells them', () => {
    const spec: BuildSpec = {
      ...SPEC,
      ssh: ['default', 'github=/run/agent.sock'],
      buildContexts: [
        ['assets', '/src/assets'],
        ['base', 'docker-image://alpine:3.20']
      ],
      noCache: true,
      pull: true
    }
    const args = buildahBudArgs(spec, { secretFiles: [['token', '/tmp/b/secret-0']] })
    expect(args).toEqual(
      expect.arrayContaining([
        '--no-cache',
        '--pull=always',
        '--secret',
        'id=token,src=/tmp/b/secret-0'
      ])
    )
    expect(args.join(' ')).toContain(
      '--ssh default --ssh github=/run/agent.sock --build-context assets=/src/assets --build-context base=docker-image://alpine:3.20'
    )
    // a multi-platform build has --no-cache already: not twice
    const multi = buildahBudArgs({ ...spec, platforms: ['linux/amd64', 'linux/arm64'] })
    expect(multi.filter((a) => a === '--no-cache')).toHaveLength(1)
  })
})

describe('layer caches', () => {
  it('passes repositories (and buildx registry refs) to buildah, with --layers, and leaves out what buildah has no form for', () => {
    const args = buildahBudArgs({
      ...SPEC,
      cacheFrom: ['ghcr.io/acme/cache', 'type=gha', 'type=registry,ref=ghcr.io/acme/other'],
      cacheTo: ['ghcr.io/acme/cache']
    })
    expect(args.join(' ')).toContain(
      '--layers --force-rm --cache-from ghcr.io/acme/cache --cache-from ghcr.io/acme/other --cache-to ghcr.io/acme/cache'
    )
    expect(unusableByBuildah(['type=gha', 'ghcr.io/acme/cache', 'type=local,src=/tmp/c'])).toEqual([
      'type=gha',
      'type=local,src=/tmp/c'
    ])
    // a multi-platform build is built without cache at all
    expect(
      buildahBudArgs({ ...SPEC, platforms: ['linux/amd64', 'linux/arm64'], cacheTo: ['r/c'] })
    ).not.toContain('--cache-to')
  })

  it('reads which steps reused a layer, and from where', () => {
    const log = [
      'STEP 1/4: FROM base',
      'STEP 2/4: RUN make',
      '--> Cache pulled from remote r/c:2f5c',
      '--> Using cache c7fa5a1cef37',
      'STEP 3/4: RUN make test',
      '--> Using cache 1234',
      'STEP 4/4: COPY . /app',
      '--> 5d95ae3a436'
    ].join('\n')
    expect(buildahSteps(log)).toEqual([
      { step: '2/4', instruction: 'RUN make', layer: 'remote' },
      { step: '3/4', instruction: 'RUN make test', layer: 'cache' },
      { step: '4/4', instruction: 'COPY . /app', layer: 'built' }
    ])
  })
})

describe('buildahPushArgs', () => {
  it.each<[string, BuildahPush, string[]]>([
    [
      'one image',
      { multiPlatform: false, outputFile: '/t/d' },
      ['push', '--digestfile', '/t/d', 'r.io/a:1', 'docker://r.io/a:2']
    ],
    [
      'one image to an insecure registry: registries.conf covers it',
      { multiPlatform: false, insecure: true, authFile: '/t/auth.json' },
      ['push', '--authfile', '/t/auth.json', 'r.io/a:1', 'docker://r.io/a:2']
    ],
    [
      'a manifest list with all its images, with credentials',
      { multiPlatform: true, outputFile: '/t/d', authFile: '/t/auth.json' },
      [
        'manifest',
        'push',
        '--all',
        '--digestfile',
        '/t/d',
        '--authfile',
        '/t/auth.json',
        'r.io/a:1',
        'docker://r.io/a:2'
      ]
    ],
    [
      'a manifest list to an insecure registry',
      { multiPlatform: true, insecure: true, outputFile: '/t/d' },
      [
        'manifest',
        'push',
        '--all',
        '--tls-verify=false',
        '--digestfile',
        '/t/d',
        'r.io/a:1',
        'docker://r.io/a:2'
      ]
    ]
  ])('%s', (_name, push, args) => {
    expect(buildahPushArgs('r.io/a:1', 'r.io/a:2', push)).toEqual(args)
  })
})

describe('missingPlatforms', () => {
  const list = JSON.stringify({
    schemaVersion: 2,
    manifests: [
      { digest: 'sha256:1', platform: { architecture: 'amd64', os: 'linux' } },
      { digest: 'sha256:2', platform: { architecture: 'arm', os: 'linux', variant: 'v7' } }
    ]
  })
  it.each<[string, string, string[], string[]]>([
    ['all there', list, ['linux/amd64', 'linux/arm/v7'], []],
    ['one lost', list, ['linux/amd64', 'linux/arm64'], ['linux/arm64']],
    ['an empty list', '{"manifests":[]}', ['linux/amd64'], ['linux/amd64']],
    ['unreadable output', 'Error', ['linux/amd64', 'linux/arm64'], ['linux/amd64', 'linux/arm64']]
  ])('%s', (_name, json, platforms, missing) => {
    expect(missingPlatforms(json, platforms)).toEqual(missing)
  })
})

describe('insecureHosts', () => {
  it.each<[string, Partial<BuildSpec>, string | undefined, string[]]>([
    ['a loopback tag', {}, undefined, ['127.0.0.1:5000']],
    ['a remote tag, nothing named', { tags: ['ghcr.io/o/a:1'] }, 'FROM busybox', []],
    [
      'named hosts first, then loopback tags and base images, each once',
      {
        tags: ['ghcr.io/o/a:1', 'localhost:5001/a:1'],
        insecureRegistries: ['registry.lan:5000', 'localhost:5001']
      },
      'ARG BASE=127.0.0.1:5002/base\nFROM $BASE:1 AS b\nFROM b\nCOPY --from=[::1]:5003/tools /x /x',
      ['registry.lan:5000', 'localhost:5001', '127.0.0.1:5002', '[::1]:5003']
    ],
    [
      'build args reach the FROM lines',
      { tags: ['ghcr.io/o/a:1'], buildArgs: [['REG', 'localhost:6000']] },
      'ARG REG=ghcr.io\nFROM ${REG}/base',
      ['localhost:6000']
    ]
  ])('%s', (_name, spec, dockerfile, hosts) => {
    expect(insecureHosts({ ...SPEC, ...spec }, dockerfile)).toEqual(hosts)
  })
})
