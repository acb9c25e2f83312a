import { describe, expect, it } from '@jest/globals'
import { parseChallenges } from '../../src/registry/index.js'

describe('parseChallenges', () => {
  it.each([
    [undefined, []],
    ['', []],
    ['Basic realm="Registry Realm"', [{ scheme: 'basic', params: { realm: 'Registry Realm' } }]],
    ['Basic', [{ scheme: 'basic', params: {} }]],
    [
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io"',
      [
        {
          scheme: 'bearer',
          params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io' }
        }
      ]
    ],
    [
      'Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:org/app:pull,push"',
      [
        {
          scheme: 'bearer',
          params: {
            realm: 'https://ghcr.io/token',
            service: 'ghcr.io',
            scope: 'repository:org/app:pull,push'
          }
        }
      ]
    ],
    [
      'Bearer realm="http://127.0.0.1:9/token",service="test",scope="repository:a:pull",error="insufficient_scope"',
      [
        {
          scheme: 'bearer',
          params: {
            realm: 'http://127.0.0.1:9/token',
            service: 'test',
            scope: 'repository:a:pull',
            error: 'insufficient_scope'
          }
        }
      ]
    ],
    [
      'Bearer realm=https://a.example/token, service=reg',
      [{ scheme: 'bearer', params: { realm: 'https://a.example/token', service: 'reg' } }]
    ],
    [
      'BEARER Realm = "x" , Service="y"',
      [{ scheme: 'bearer', params: { realm: 'x', service: 'y' } }]
    ],
    [
      'Basic realm="a \\"quoted\\" realm"',
      [{ scheme: 'basic', params: { realm: 'a "quoted" realm' } }]
    ],
    [
      'Basic realm="r", Bearer realm="https://t/token",service="s"',
      [
        { scheme: 'basic', params: { realm: 'r' } },
        { scheme: 'bearer', params: { realm: 'https://t/token', service: 's' } }
      ]
    ],
    [
      'Negotiate abc123==, Basic realm="x, y"',
      [
        { scheme: 'negotiate', params: {}, token68: 'abc123==' },
        { scheme: 'basic', params: { realm: 'x, y' } }
      ]
    ],
    ['Basic realm="unterminated', [{ scheme: 'basic', params: { realm: 'unterminated' } }]],
    [', , Basic realm="x",', [{ scheme: 'basic', params: { realm: 'x' } }]]
  ])('parses %j', (header, expected) => {
    expect(parseChallenges(header)).toEqual(expected)
  })
})
