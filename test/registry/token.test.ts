import { describe, expect, it } from '@jest/globals'
import { formatScope, type Scope } from '../../src/registry/index.js'
import { TokenCache } from '../../src/registry/token.js'

const pull = (name: string): Scope => ({ type: 'repository', name, actions: ['pull'] })
const pullPush = (name: string): Scope => ({ type: 'repository', name, actions: ['pull', 'push'] })

describe('formatScope', () => {
  it.each([
    [pull('library/busybox'), 'repository:library/busybox:pull'],
    [pullPush('org/app'), 'repository:org/app:pull,push'],
    [{ type: 'registry', name: 'catalog', actions: ['*'] } as Scope, 'registry:catalog:*']
  ])('formats %j as %s', (scope, text) => {
    expect(formatScope(scope)).toBe(text)
  })
})

describe('TokenCache', () => {
  const clock = (start: number) => {
    let now = start
    return { now: () => now, advance: (ms: number) => (now += ms) }
  }

  it.each([
    ['the same scope', [pull('a')], [pull('a')], 'T'],
    ['a narrower action set', [pullPush('a')], [pull('a')], 'T'],
    [
      'one of several scopes (cross-repo mount token)',
      [pullPush('b'), pull('a')],
      [pull('a')],
      'T'
    ],
    ['all of several scopes', [pullPush('b'), pull('a')], [pull('a'), pullPush('b')], 'T'],
    ['a wider action set', [pull('a')], [pullPush('a')], undefined],
    ['another repository', [pull('a')], [pull('b')], undefined],
    [
      'a wildcard',
      [{ type: 'repository', name: 'a', actions: ['*'] } as Scope],
      [pullPush('a')],
      'T'
    ]
  ])('serves %s', (_case, held, wanted, expected) => {
    const cache = new TokenCache(() => 1000)
    cache.put('r', held, 'T', 2000)
    expect(cache.get('r', wanted)).toBe(expected)
  })

  it('keeps tokens per registry', () => {
    const cache = new TokenCache(() => 0)
    cache.put('one.example', [pull('a')], 'T1', 10)
    expect(cache.get('two.example', [pull('a')])).toBeUndefined()
  })

  it('stops serving a token once it expires', () => {
    const time = clock(0)
    const cache = new TokenCache(time.now)
    cache.put('r', [pull('a')], 'T', 100)
    expect(cache.get('r', [pull('a')])).toBe('T')
    time.advance(100)
    expect(cache.get('r', [pull('a')])).toBeUndefined()
  })

  it('forgets tokens that served a refused request, and only those', () => {
    const cache = new TokenCache(() => 0)
    cache.put('r', [pull('a')], 'A', 100)
    cache.put('r', [pull('b')], 'B', 100)
    cache.drop('r', [pull('a')])
    expect(cache.get('r', [pull('a')])).toBeUndefined()
    expect(cache.get('r', [pull('b')])).toBe('B')
  })
})
