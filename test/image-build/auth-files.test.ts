import { describe, expect, it } from '@jest/globals'
import {
  containersAuthFiles,
  containersAuthJson,
  dockerConfigDir,
  dockerConfigJson
} from '../../src/image-build/auth-files.js'

const AUTH = { registry: '127.0.0.1:5000', username: 'ci', password: 'p@ss:word' }
const ENCODED = Buffer.from('ci:p@ss:word').toString('base64')

describe('containersAuthJson', () => {
  it.each<[string, (string | undefined)[], object]>([
    [
      'no earlier logins',
      [undefined, undefined],
      { auths: { '127.0.0.1:5000': { auth: ENCODED } } }
    ],
    [
      'earlier logins merged, the higher file winning, this build’s credentials last',
      [
        '{"auths":{"ghcr.io":{"auth":"aGlnaA=="},"127.0.0.1:5000":{"auth":"b2xk"}}}',
        'not json',
        '{"auths":{"ghcr.io":{"auth":"bG93"},"quay.io":{"auth":"cQ=="}},"credHelpers":{"gcr.io":"gcloud","127.0.0.1:5000":"x"},"credsStore":"desktop"}'
      ],
      {
        auths: {
          'ghcr.io': { auth: 'aGlnaA==' },
          'quay.io': { auth: 'cQ==' },
          '127.0.0.1:5000': { auth: ENCODED }
        },
        credHelpers: { 'gcr.io': 'gcloud' }
      }
    ]
  ])('%s', (_name, existing, expected) => {
    expect(JSON.parse(containersAuthJson(existing, AUTH))).toEqual(expected)
  })
})

describe('dockerConfigJson', () => {
  it.each<[string, string | undefined, object]>([
    ['no user config', undefined, {}],
    [
      'the user’s config without stores that would keep the login',
      '{"auths":{"ghcr.io":{"auth":"eA=="},"127.0.0.1:5000":{"auth":"b2xk"}},"credsStore":"desktop","credHelpers":{"127.0.0.1:5000":"pass","gcr.io":"gcloud"},"currentContext":"ci"}',
      {
        auths: { 'ghcr.io': { auth: 'eA==' } },
        credHelpers: { 'gcr.io': 'gcloud' },
        currentContext: 'ci'
      }
    ]
  ])('%s', (_name, existing, expected) => {
    expect(JSON.parse(dockerConfigJson(existing, '127.0.0.1:5000'))).toEqual(expected)
  })
})

describe('where earlier logins live', () => {
  it.each<[string, Record<string, string>, string[]]>([
    ['REGISTRY_AUTH_FILE alone', { REGISTRY_AUTH_FILE: '/a.json', HOME: '/h' }, ['/a.json']],
    [
      'the runtime, config and Docker files',
      { HOME: '/h', XDG_RUNTIME_DIR: '/run/user/1000' },
      [
        '/run/user/1000/containers/auth.json',
        '/h/.config/containers/auth.json',
        '/h/.docker/config.json'
      ]
    ],
    [
      'root without XDG variables, with DOCKER_CONFIG',
      { HOME: '/root', DOCKER_CONFIG: '/d' },
      [
        '/run/containers/0/containers/auth.json',
        '/root/.config/containers/auth.json',
        '/d/config.json'
      ]
    ]
  ])('%s', (_name, env, files) => {
    expect(containersAuthFiles(env, 0)).toEqual(files)
  })

  it('finds the Docker config in DOCKER_CONFIG or ~/.docker', () => {
    expect([dockerConfigDir({ DOCKER_CONFIG: '/d' }), dockerConfigDir({ HOME: '/h' })]).toEqual([
      '/d',
      '/h/.docker'
    ])
  })
})
