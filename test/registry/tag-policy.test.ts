import { describe, expect, it } from '@jest/globals'
import { InputError } from '../../src/action/errors.js'
import {
  formatTagPolicy,
  parseCreated,
  parseTagFilter,
  parseTagPolicy,
  pickTag,
  type NamePolicy,
  type TagPolicy
} from '../../src/registry/index.js'

const SIGNATURE = `sha256-${'ab'.repeat(32)}.sig`
const REFERRERS = `sha256-${'cd'.repeat(32)}`

/** The InputError `fn` throws. */
function inputError(fn: () => unknown): InputError {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return error as InputError
  }
  throw new Error('expected an InputError, nothing was thrown')
}

describe('parseTagPolicy', () => {
  it.each<[string, TagPolicy]>([
    ['semver:^1.2', { kind: 'semver', range: '^1.2' }],
    ['semver: >=1.0.0 <2 ', { kind: 'semver', range: '>=1.0.0 <2' }],
    ['semver:>=1.0.0-0', { kind: 'semver', range: '>=1.0.0-0' }],
    ['semver:*', { kind: 'semver', range: '*' }],
    ['semver:1.2.x || 2.0.0', { kind: 'semver', range: '1.2.x || 2.0.0' }],
    ['newest-build', { kind: 'newest-build' }],
    ['alphabetical', { kind: 'alphabetical' }],
    [' numerical ', { kind: 'numerical' }],
    ['digest:dev', { kind: 'digest', tag: 'dev' }],
    ['digest:main_1.2-rc', { kind: 'digest', tag: 'main_1.2-rc' }]
  ])('parses %j', (value, policy) => {
    expect(parseTagPolicy(value)).toEqual(policy)
    expect(parseTagPolicy(formatTagPolicy(policy))).toEqual(policy)
  })

  it.each([
    ['', 'one of: semver:<range>'],
    ['newest', 'one of: semver:<range>'],
    ['Semver:^1', 'one of: semver:<range>'],
    ['semver', 'one of: semver:<range>'],
    ['alphabetical:x', 'one of: semver:<range>'],
    ['latest', 'one of: semver:<range>'],
    ['semver:', "a valid semver range after 'semver:'"],
    ['semver:latest', "a valid semver range after 'semver:'"],
    ['semver:>=1 <', "a valid semver range after 'semver:'"],
    ['digest:', "a tag after 'digest:'"],
    ['digest:-dev', "a tag after 'digest:'"],
    ['digest:a:b', "a tag after 'digest:'"],
    [`digest:${'a'.repeat(129)}`, "a tag after 'digest:'"]
  ])('refuses %j, saying what is accepted', (value, accepted) => {
    const error = inputError(() => parseTagPolicy(value))
    expect(error).toMatchObject({ input: 'policy', value })
    expect(error.message).toContain(`Input 'policy' is '${value}'; expected ${accepted}`)
  })

  it('lists every accepted form and names the input it was given', () => {
    expect(inputError(() => parseTagPolicy('newest', 'watch')).message).toBe(
      "Input 'watch' is 'newest'; expected one of: semver:<range> (e.g. semver:^1.2), newest-build, digest:<tag> (e.g. digest:dev), alphabetical, numerical"
    )
  })
})

describe('parseTagFilter', () => {
  it.each(['', '   '])('treats %j as no filter', (value) => {
    expect(parseTagFilter(value)).toBeUndefined()
  })

  it('compiles a JavaScript regex with named groups', () => {
    const filter = parseTagFilter(String.raw`^main-(?<value>\d+)-[0-9a-f]{7}$`)
    expect(filter?.exec('main-42-abcdef0')?.groups?.value).toBe('42')
    expect(filter?.test('main-42-xyz')).toBe(false)
  })

  it('refuses an invalid regex with the parser’s reason', () => {
    const error = inputError(() => parseTagFilter('^(main', 'filter'))
    expect(error.message).toBe(
      "Input 'filter' is '^(main'; expected a JavaScript regular expression (Invalid regular expression: /^(main/: Unterminated group)"
    )
  })
})

describe('pickTag', () => {
  const semverCases: [string, string[], string, string | undefined][] = [
    ['the highest in range', ['1.0.0', '1.2.0', '1.10.0', '2.0.0', 'latest'], '^1', '1.10.0'],
    ['a tilde range', ['1.2.0', '1.2.9', '1.3.0'], '~1.2', '1.2.9'],
    ['a v prefix', ['v1.0.0', 'v1.2.3', 'v2.0.0'], '~1.2', 'v1.2.3'],
    ['the greater name on an equal version', ['1.2.3', 'v1.2.3'], '*', 'v1.2.3'],
    ['no pre-release for a release range', ['1.0.0', '1.1.0-rc.1'], '>=1.0.0', '1.0.0'],
    ['no pre-release for *', ['1.0.0', '2.0.0-alpha.1'], '*', '1.0.0'],
    [
      'a pre-release the range asks for',
      ['0.9.0', '1.0.0-rc.1', '1.0.0-rc.2'],
      '>=1.0.0-0',
      '1.0.0-rc.2'
    ],
    // npm semver: a range's pre-release admits pre-releases of its own major.minor.patch only
    [
      'no pre-release of another tuple',
      ['1.0.0-rc.1', '1.0.0', '1.1.0-rc.1'],
      '>=1.0.0-0',
      '1.0.0'
    ],
    [
      'pre-releases of the named tuple',
      ['1.0.5', '1.1.0-rc.1', '1.1.0-rc.2'],
      '^1.1.0-rc.1',
      '1.1.0-rc.2'
    ],
    ['the release over its pre-releases', ['1.1.0-rc.2', '1.1.0'], '^1.1.0-rc.1', '1.1.0'],
    [
      'build metadata in order',
      ['1.0.0+build.2', '1.0.0+build.10', '1.0.0+build.9'],
      '1.0.0',
      '1.0.0+build.10'
    ],
    ['build metadata over none', ['1.0.0+1', '1.0.0'], '1.0.0', '1.0.0+1'],
    [
      'nothing when no tag is semver',
      ['1.2', '01.2.3', '1.2.3.4', '=1.2.3', 'v1', 'latest'],
      '*',
      undefined
    ],
    ['nothing above the range', ['1.0.0', '1.9.9'], '^2', undefined],
    ['no artifact tags', ['1.0.0', SIGNATURE, REFERRERS], '*', '1.0.0']
  ]
  it.each(semverCases)('semver picks %s', (_what, tags, range, expected) => {
    expect(pickTag(tags, { kind: 'semver', range })).toBe(expected)
  })

  const alphabetical: [string, string[], string | undefined][] = [
    ['the last name', ['b', 'c', 'a'], 'c'],
    [
      'dated tags by date',
      ['RELEASE.2023-12-31', 'RELEASE.2024-05-01', 'RELEASE.2023-01-01'],
      'RELEASE.2024-05-01'
    ],
    ['byte order: lowercase after uppercase', ['alpha', 'Zeta'], 'alpha'],
    ['byte order: digits are not numbers', ['10', '9'], '9'],
    ['not a signature tag', ['v1', 'v2', SIGNATURE, REFERRERS], 'v2'],
    ['nothing from no tags', [], undefined]
  ]
  it.each(alphabetical)('alphabetical picks %s', (_what, tags, expected) => {
    expect(pickTag(tags, { kind: 'alphabetical' })).toBe(expected)
  })

  const numerical: [string, string[], string | undefined][] = [
    ['the highest integer', ['1', '10', '9', '2'], '10'],
    ['timestamps', ['20231231235959', '20240101120000'], '20240101120000'],
    ['the highest float', ['1.25', '1.5', '1.10'], '1.5'],
    ['an exponent as a float', ['99', '1e2'], '1e2'],
    ['numbers only', ['latest', '12', 'abc', '0x20', '13a', '1.2.3', 'Infinity', '7'], '12'],
    ['the greater name on an equal number', ['01', '1', '1.0'], '1.0'],
    ['nothing when no tag is a number', ['latest', 'v1'], undefined]
  ]
  it.each(numerical)('numerical picks %s', (_what, tags, expected) => {
    expect(pickTag(tags, { kind: 'numerical' })).toBe(expected)
  })

  const filtered: [string, string[], NamePolicy, RegExp, string | undefined][] = [
    [
      'semver on the first group',
      ['release-1.2.0', 'release-1.10.0', '1.11.0', 'release-x'],
      { kind: 'semver', range: '^1' },
      /^release-(.*)$/,
      'release-1.10.0'
    ],
    [
      'numerical on the group named value',
      ['main-12-abcdef0', 'main-9-1234567', 'main-100-nothex0', 'pr-200-abcdef0'],
      { kind: 'numerical' },
      /^main-(?<value>\d+)-[0-9a-f]{7}$/,
      'main-12-abcdef0'
    ],
    [
      'the value group over an earlier group',
      ['main-3', 'dev-10'],
      { kind: 'numerical' },
      /^(main|dev)-(?<value>\d+)$/,
      'dev-10'
    ],
    ['the first of two groups', ['5-1', '3-9'], { kind: 'numerical' }, /^(\d+)-(\d+)$/, '5-1'],
    [
      'alphabetical on the captured date, not the prefix',
      ['b-2024-01-01', 'a-2024-06-01'],
      { kind: 'alphabetical' },
      /^[a-z]-(\d{4}-\d\d-\d\d)$/,
      'a-2024-06-01'
    ],
    ['the whole tag without a group', ['v1', 'v2', 'w3'], { kind: 'alphabetical' }, /^v/, 'v2'],
    ['the whole tag, not the match', ['1x', '2x', '3'], { kind: 'numerical' }, /\d/, '3'],
    [
      'not a tag whose group took no part',
      ['build', 'build-4'],
      { kind: 'numerical' },
      /^build(?:-(\d+))?$/,
      'build-4'
    ],
    [
      'nothing when only an empty group matches',
      ['build'],
      { kind: 'numerical' },
      /^build(?:-(\d+))?$/,
      undefined
    ],
    ['nothing when the filter matches nothing', ['1', '2'], { kind: 'numerical' }, /^v/, undefined]
  ]
  it.each(filtered)('with a filter, picks %s', (_what, tags, policy, filter, expected) => {
    expect(pickTag(tags, policy, filter)).toBe(expected)
  })

  it('gives the same answer twice with a global filter', () => {
    const filter = /^v(\d+)$/g
    expect(pickTag(['v1', 'v3', 'v2'], { kind: 'numerical' }, filter)).toBe('v3')
    expect(pickTag(['v1', 'v3', 'v2'], { kind: 'numerical' }, filter)).toBe('v3')
  })
})

describe('parseCreated', () => {
  const second = 1_704_067_200n * 1_000_000_000n // 2024-01-01T00:00:00Z
  it.each<[string, bigint | undefined]>([
    ['2024-01-01T00:00:00Z', second],
    ['2024-01-01T00:00:00.5Z', second + 500_000_000n],
    ['2024-01-01T00:00:00.123456789Z', second + 123_456_789n],
    ['2024-01-01T00:00:00.1234567891Z', second + 123_456_789n],
    ['2024-01-01t00:00:00z', second],
    ['2024-01-01T02:00:00+02:00', second],
    ['2024-01-01T00:00:00.000001-00:30', second + 1_800_000_000_000n + 1_000n],
    ['1970-01-01T00:00:00Z', 0n],
    ['2024-01-01', undefined],
    ['2024-01-01T00:00:00', undefined],
    ['yesterday', undefined],
    ['2024-13-01T00:00:00Z', undefined]
  ])('reads %j', (text, ns) => {
    expect(parseCreated(text)).toBe(ns)
  })

  it('orders builds microseconds apart', () => {
    const earlier = parseCreated('2024-01-01T00:00:00.000100Z') ?? 0n
    const later = parseCreated('2024-01-01T00:00:00.000200Z') ?? 0n
    expect(later > earlier).toBe(true)
  })
})
