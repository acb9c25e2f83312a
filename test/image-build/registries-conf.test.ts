import { describe, expect, it } from '@jest/globals'
import { registriesConf, registryHost } from '../../src/image-build/index.js'

describe('registryHost', () => {
  it.each([
    ['busybox', 'docker.io'],
    ['library/busybox:1', 'docker.io'],
    ['ghcr.io/o/app:1', 'ghcr.io'],
    ['localhost/app', 'localhost'],
    ['localhost:5000/app', 'localhost:5000'],
    ['127.0.0.1:5000/base/busybox:1', '127.0.0.1:5000'],
    ['[::1]:5000/app', '[::1]:5000'],
    ['${BASE}', undefined]
  ])('%s → %s', (image, host) => {
    expect(registryHost(image)).toBe(host)
  })
})

describe('registriesConf', () => {
  const header = '# Written by rollout-kit for one build; removed afterwards.'
  const insecure = (host: string) => `\n[[registry]]\nlocation = "${host}"\ninsecure = true`

  it.each<[string, string | undefined, string[], string]>([
    ['no system file', undefined, ['127.0.0.1:5000'], `${header}\n${insecure('127.0.0.1:5000')}\n`],
    [
      'the system search list and short-name mode kept, comments and other tables dropped',
      [
        '# unqualified-search-registries = ["example.com"]',
        'unqualified-search-registries = [',
        '  "docker.io",',
        '  "quay.io"',
        ']',
        'short-name-mode = "enforcing"',
        '',
        '[[registry]]',
        'location = "mirror.example.com"',
        'unqualified-search-registries = ["wrong.example.com"]'
      ].join('\n'),
      ['localhost:5000', 'localhost:5000', '[::1]:5001'],
      [
        header,
        'unqualified-search-registries = [ "docker.io", "quay.io" ]',
        'short-name-mode = "enforcing"',
        insecure('localhost:5000'),
        insecure('[::1]:5001'),
        ''
      ].join('\n')
    ],
    [
      'a v1 search list carried over',
      "[registries.search]\nregistries = ['docker.io']\n\n[registries.insecure]\nregistries = []",
      ['127.0.0.1:5000'],
      `${header}\nunqualified-search-registries = ['docker.io']\n${insecure('127.0.0.1:5000')}\n`
    ],
    [
      'Debian’s all-comment file',
      '# comment\n# [[registry]]\n',
      ['127.0.0.1:5000'],
      `${header}\n${insecure('127.0.0.1:5000')}\n`
    ]
  ])('%s', (_name, system, hosts, text) => {
    expect(registriesConf(system, hosts)).toBe(text)
  })
})
