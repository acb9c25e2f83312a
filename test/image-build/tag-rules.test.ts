/**
 * Tag rules as docker/metadata-action documents them: its README's examples are the table below
 * (event, ref, rule → tags), then flavor, priority, expressions and the refusals.
 */
import { describe, expect, it } from '@jest/globals'
import { InputError } from '../../src/action/errors.js'
import { parseGitHubContext } from '../../src/github/index.js'
import {
  computeMetadata,
  hasTagRules,
  parseFlavor,
  parseTagRules,
  tagNamesFromRules
} from '../../src/image-build/index.js'

const SHA = '90dd6032fac8bda1b6c4436a2e65de27961ed071'
const NOW = new Date('2021-03-26T12:00:00Z')

function context(eventName: string, ref: string, payload: object = {}) {
  const env = {
    GITHUB_EVENT_NAME: eventName,
    GITHUB_REF: ref,
    GITHUB_REPOSITORY: 'o/r',
    GITHUB_SHA: SHA,
    ...(eventName === 'pull_request'
      ? { GITHUB_HEAD_REF: 'feature/x', GITHUB_BASE_REF: 'master' }
      : {})
  }
  return parseGitHubContext(env, { repository: { default_branch: 'master' }, ...payload })
}

const pr = (n: number) =>
  [
    'pull_request',
    `refs/pull/${n}/merge`,
    { number: n, pull_request: { number: n, head: { sha: SHA } } }
  ] as const

function tags(event: readonly [string, string, object?], rules: string[], flavor: string[] = []) {
  const [name, ref, payload] = event
  return tagNamesFromRules(
    parseTagRules(rules),
    parseFlavor(flavor),
    context(name, ref, payload),
    NOW
  )
}

const push = (ref: string) => ['push', ref] as const

describe("metadata-action's README examples", () => {
  it.each([
    // type=ref
    [pr(2), 'type=ref,event=pr', ['pr-2']],
    [push('refs/heads/master'), 'type=ref,event=branch', ['master']],
    [push('refs/heads/my/branch'), 'type=ref,event=branch', ['my-branch']],
    [push('refs/tags/v1.2.3'), 'type=ref,event=tag', ['v1.2.3', 'latest']],
    [push('refs/tags/v2.0.8-beta.67'), 'type=ref,event=tag', ['v2.0.8-beta.67', 'latest']],
    // type=semver
    [push('refs/tags/v1.2.3'), 'type=semver,pattern={{raw}}', ['v1.2.3', 'latest']],
    [push('refs/tags/v1.2.3'), 'type=semver,pattern={{version}}', ['1.2.3', 'latest']],
    [push('refs/tags/v1.2.3'), 'type=semver,pattern={{major}}.{{minor}}', ['1.2', 'latest']],
    [push('refs/tags/v1.2.3'), 'type=semver,pattern=v{{major}}', ['v1', 'latest']],
    [push('refs/tags/v1.2.3'), 'type=semver,pattern={{minor}}', ['2', 'latest']],
    [push('refs/tags/v1.2.3'), 'type=semver,pattern={{patch}}', ['3', 'latest']],
    [push('refs/tags/v2.0.8-beta.67'), 'type=semver,pattern={{raw}}', ['2.0.8-beta.67']],
    [push('refs/tags/v2.0.8-beta.67'), 'type=semver,pattern={{version}}', ['2.0.8-beta.67']],
    [
      push('refs/tags/v2.0.8-beta.67'),
      'type=semver,pattern={{major}}.{{minor}}',
      ['2.0.8-beta.67']
    ],
    [
      push('refs/heads/master'),
      'type=semver,pattern={{version}},value=v1.0.0',
      ['1.0.0', 'latest']
    ],
    [push('refs/heads/master'), 'type=semver,pattern={{version}}', []],
    // type=schedule
    [push('refs/heads/master'), 'type=schedule', []],
    [['schedule', 'refs/heads/master'], 'type=schedule', ['nightly']],
    [['schedule', 'refs/heads/master'], "type=schedule,pattern={{date 'YYYYMMDD'}}", ['20210326']],
    // type=raw and type=sha
    [push('refs/heads/master'), 'type=raw,value=foo', ['foo']],
    [push('refs/heads/master'), 'type=raw,bar', ['bar']],
    [push('refs/heads/master'), 'baz', ['baz']],
    [push('refs/heads/master'), 'type=sha', ['sha-90dd603']],
    [push('refs/heads/master'), 'type=sha,format=long', [`sha-${SHA}`]],
    // global expressions
    [push('refs/heads/master'), 'type=sha,prefix={{branch}}-', ['master-90dd603']],
    [
      push('refs/heads/master'),
      'type=raw,value=mytag-{{branch}}-{{sha}}',
      ['mytag-master-90dd603']
    ],
    [push('refs/tags/v1.2.3'), 'type=raw,value={{tag}}', ['v1.2.3']]
  ] as [readonly [string, string, object?], string, string[]][])(
    '%j with %s → %j',
    (event, rule, expected) => {
      expect(tags(event, [rule])).toEqual(expected)
    }
  )
})

describe('enable, priority and flavor', () => {
  const rules = [
    'type=ref,event=branch',
    'type=ref,event=pr',
    'type=semver,pattern={{version}}',
    'type=semver,pattern={{major}}.{{minor}}',
    'type=sha',
    'type=raw,value=edge,enable={{is_default_branch}}'
  ]

  it('gives a typical rule set its tags per event, highest priority first', () => {
    expect(tags(push('refs/heads/master'), rules)).toEqual(['master', 'edge', 'sha-90dd603'])
    expect(tags(push('refs/heads/dev'), rules)).toEqual(['dev', 'sha-90dd603'])
    expect(tags(pr(7), rules)).toEqual(['pr-7', 'sha-90dd603'])
    expect(tags(push('refs/tags/v1.4.0'), rules)).toEqual(['1.4.0', '1.4', 'sha-90dd603', 'latest'])
  })

  it('lets priority reorder, and skips a rule whose enable is false (major version zero)', () => {
    expect(
      tags(push('refs/heads/master'), ['type=sha', 'type=raw,value=first,priority=2000'])
    ).toEqual(['first', 'sha-90dd603'])
    const zero = [
      'type=semver,pattern={{major}}.{{minor}}',
      'type=semver,pattern={{major}},enable=false'
    ]
    expect(tags(push('refs/tags/v0.1.2'), zero)).toEqual(['0.1', 'latest'])
  })

  it('applies latest=true|false and the flavor prefix and suffix to every tag but latest', () => {
    expect(tags(push('refs/heads/dev'), ['type=ref,event=branch'], ['latest=true'])).toEqual([
      'dev',
      'latest'
    ])
    expect(tags(push('refs/tags/v1.2.3'), ['type=ref,event=tag'], ['latest=false'])).toEqual([
      'v1.2.3'
    ])
    expect(
      tags(
        push('refs/tags/v1.2.3'),
        ['type=semver,pattern={{version}}'],
        ['prefix=app-', 'suffix=-slim']
      )
    ).toEqual(['app-1.2.3-slim', 'latest'])
  })

  it('puts the tags on the image, and the highest priority one is the version label', () => {
    const meta = computeMetadata({
      context: context('push', 'refs/tags/v3.1.0'),
      image: 'ghcr.io/o/r',
      rules: {
        rules: parseTagRules(['type=sha', 'type=semver,pattern={{version}}']),
        flavor: parseFlavor([])
      },
      now: NOW
    })
    expect(meta.tags).toEqual([
      'ghcr.io/o/r:3.1.0',
      'ghcr.io/o/r:sha-90dd603',
      'ghcr.io/o/r:latest'
    ])
    expect(meta.version).toBe('3.1.0')
  })
})

describe('what is refused', () => {
  it('tells rules from plain tags', () => {
    expect(hasTagRules(['1.0', 'latest'])).toBe(false)
    expect(hasTagRules(['latest', '  type=sha'])).toBe(true)
  })

  it.each([
    ['type=match,pattern=v(.*)', "type 'match' is not one of schedule, semver, ref, raw, sha"],
    ['type=ref', 'type=ref needs event=branch, event=tag or event=pr'],
    ['type=ref,event=push', 'type=ref needs event=branch, event=tag or event=pr'],
    ['type=semver', 'type=semver needs a pattern'],
    ['type=sha,format=medium', 'format is short or long'],
    ['type=sha,colour=blue', 'type=sha takes enable, priority, prefix, suffix, format; not colour'],
    ['type=raw,value=x,priority=high', 'priority is an integer']
  ])('%s', (rule, problem) => {
    expect(() => parseTagRules([rule])).toThrow(InputError)
    expect(() => parseTagRules([rule])).toThrow(
      `Input 'tags' is '${rule}'; expected a tag rule such as type=ref,event=branch (${problem}`
    )
  })

  it('refuses an enable that is not true or false, and a bad flavor', () => {
    expect(() => tags(push('refs/heads/dev'), ['type=sha,enable=maybe'])).toThrow(
      "Input 'tags' is 'type=sha,enable=maybe'; expected enable=true or enable=false (it came to 'maybe')"
    )
    expect(() => parseFlavor(['latest=always'])).toThrow(
      "Input 'flavor' is 'latest=always'; expected latest=auto, latest=true or latest=false"
    )
    expect(() => parseFlavor(['onlatest=true'])).toThrow(InputError)
  })
})
