import { describe, expect, it } from '@jest/globals'
import { ChangelogError, releaseChangelog, unreleasedLink } from '../../scripts/changelog.js'

const withLink = (link: string, unreleased = '- a change\n'): string =>
  `# Changelog\n\n## [Unreleased]\n\n${unreleased}\n## [1.0.0] - 2026-01-02\n\n- first\n\n${link}\n`

describe('unreleasedLink', () => {
  it.each([
    [
      '[unreleased]: https://github.com/acme/app/compare/v1.0.0...HEAD',
      { base: 'https://github.com/acme/app', previous: 'v1.0.0' }
    ],
    [
      '[Unreleased]: https://github.com/acme/app/commits/main',
      { base: 'https://github.com/acme/app' }
    ],
    [
      '[unreleased]: https://github.com/acme/app/tree/master',
      { base: 'https://github.com/acme/app' }
    ]
  ])('%s', (link, expected) => {
    expect(unreleasedLink(withLink(link))).toEqual(expected)
  })

  it.each([
    ['no link', '', 'has no "[unreleased]: <url>" link reference'],
    [
      'a link of another shape',
      '[unreleased]: https://example.com/app',
      "link is 'https://example.com/app'; expected <repository URL>/compare/<tag>...HEAD"
    ]
  ])('refuses %s', (_name, link, message) => {
    expect(() => unreleasedLink(withLink(link))).toThrow(ChangelogError)
    expect(() => unreleasedLink(withLink(link))).toThrow(message)
  })
})

describe('releaseChangelog', () => {
  it('moves the entries under the new version and adds its link after [unreleased]', () => {
    const before = withLink(
      '[unreleased]: https://github.com/acme/app/compare/v1.0.0...HEAD\n' +
        '[1.0.0]: https://github.com/acme/app/releases/tag/v1.0.0'
    )
    expect(releaseChangelog(before, '1.1.0', '2026-12-04')).toBe(
      '# Changelog\n\n## [Unreleased]\n\n## [1.1.0] - 2026-12-04\n\n- a change\n\n' +
        '## [1.0.0] - 2026-01-02\n\n- first\n\n' +
        '[unreleased]: https://github.com/acme/app/compare/v1.1.0...HEAD\n' +
        '[1.1.0]: https://github.com/acme/app/compare/v1.0.0...v1.1.0\n' +
        '[1.0.0]: https://github.com/acme/app/releases/tag/v1.0.0\n'
    )
  })

  it('refuses an [Unreleased] with nothing in it', () => {
    const empty = withLink('[unreleased]: https://github.com/acme/app/commits/main', '### Added\n')
    expect(() => releaseChangelog(empty, '1.1.0', '2026-12-04')).toThrow(
      'CHANGELOG.md has nothing under "## [Unreleased]"'
    )
  })
})
