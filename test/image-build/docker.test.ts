import { describe, expect, it } from '@jest/globals'
import {
  dockerBuildArgs,
  dockerLoginArgs,
  parseBuildxMetadata,
  type BuildSpec
} from '../../src/image-build/index.js'

const SPEC: BuildSpec = {
  context: '.',
  file: 'Dockerfile',
  buildArgs: [],
  labels: {},
  platforms: [],
  tags: ['ghcr.io/o/app:main'],
  push: true,
  insecureRegistries: []
}

describe('dockerBuildArgs', () => {
  it.each<[string, Partial<BuildSpec>, string | undefined, string[]]>([
    [
      'push, the minimum',
      {},
      '/t/meta.json',
      [
        'buildx',
        'build',
        '--file',
        'Dockerfile',
        '--metadata-file',
        '/t/meta.json',
        '--tag',
        'ghcr.io/o/app:main',
        '--push',
        '.'
      ]
    ],
    [
      'push with every option',
      {
        tags: ['ghcr.io/o/app:1', 'ghcr.io/o/app:latest'],
        platforms: ['linux/amd64', 'linux/arm64'],
        target: 'runtime',
        buildArgs: [['A', '1']],
        labels: { l: 'v' },
        annotations: { 'org.opencontainers.image.version': '1' }
      },
      undefined,
      [
        'buildx',
        'build',
        '--file',
        'Dockerfile',
        '--tag',
        'ghcr.io/o/app:1',
        '--tag',
        'ghcr.io/o/app:latest',
        '--platform',
        'linux/amd64,linux/arm64',
        '--target',
        'runtime',
        '--build-arg',
        'A=1',
        '--label',
        'l=v',
        '--annotation',
        'org.opencontainers.image.version=1',
        '--push',
        '.'
      ]
    ],
    [
      'no push, one platform: loaded into the daemon, no annotations',
      { push: false, platforms: ['linux/amd64'], annotations: { a: 'b' } },
      undefined,
      [
        'buildx',
        'build',
        '--file',
        'Dockerfile',
        '--tag',
        'ghcr.io/o/app:main',
        '--platform',
        'linux/amd64',
        '--load',
        '.'
      ]
    ],
    [
      'no push, several platforms: left in the build cache',
      { push: false, platforms: ['linux/amd64', 'linux/arm64'] },
      undefined,
      [
        'buildx',
        'build',
        '--file',
        'Dockerfile',
        '--tag',
        'ghcr.io/o/app:main',
        '--platform',
        'linux/amd64,linux/arm64',
        '.'
      ]
    ]
  ])('%s', (_name, spec, metadataFile, args) => {
    expect(dockerBuildArgs({ ...SPEC, ...spec }, metadataFile)).toEqual(args)
  })

  it('never puts a credential on the command line', () => {
    const auth = { registry: 'ghcr.io', username: 'bot', password: 's3cret' }
    expect(dockerBuildArgs({ ...SPEC, auth }).join(' ')).not.toContain('s3cret')
    expect(dockerLoginArgs(auth)).toEqual([
      'login',
      '--username',
      'bot',
      '--password-stdin',
      'ghcr.io'
    ])
  })
})

describe('dockerBuildArgs with secrets, ssh, build contexts, no-cache and pull', () => {
  it('spells them as buildx does', () => {
    const args = dockerBuildArgs(
      {
        ...SPEC,
        ssh: ['default'],
        buildContexts: [['assets', '/src/assets']],
        noCache: true,
        pull: true
      },
      undefined,
      [['token', '/tmp/b/secret-0']]
    )
    expect(args.join(' ')).toContain(
      '--no-cache --pull --secret id=token,src=/tmp/b/secret-0 --ssh default --build-context assets=/src/assets'
    )
  })
})

describe('dockerBuildArgs with layer caches', () => {
  it('writes a plain repository as type=registry (mode=max when writing) and passes buildx forms as they are', () => {
    const args = dockerBuildArgs({
      ...SPEC,
      cacheFrom: ['ghcr.io/acme/cache', 'type=gha'],
      cacheTo: ['ghcr.io/acme/cache', 'type=gha,mode=max']
    })
    expect(args.join(' ')).toContain(
      '--cache-from type=registry,ref=ghcr.io/acme/cache --cache-from type=gha --cache-to type=registry,ref=ghcr.io/acme/cache,mode=max --cache-to type=gha,mode=max'
    )
  })
})

describe('parseBuildxMetadata', () => {
  const digest = `sha256:${'a'.repeat(64)}`
  const config = `sha256:${'b'.repeat(64)}`
  it.each<[string, string | undefined, { digest?: string; imageId?: string }]>([
    [
      'a pushed image',
      JSON.stringify({
        'buildx.build.ref': 'builder/builder0/xyz',
        'containerimage.config.digest': config,
        'containerimage.digest': digest,
        'image.name': 'ghcr.io/o/app:main'
      }),
      { digest, imageId: config }
    ],
    [
      'a build without an image',
      '{"buildx.build.ref":"x"}',
      { digest: undefined, imageId: undefined }
    ],
    ['no file', undefined, {}],
    ['not JSON', 'oops', {}],
    ['not an object', '[1]', { digest: undefined, imageId: undefined }]
  ])('%s', (_name, text, result) => {
    expect(parseBuildxMetadata(text)).toEqual(result)
  })
})
