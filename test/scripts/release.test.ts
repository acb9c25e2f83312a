// scripts/release run as a maintainer runs it, in small real git repositories made here: what it
// leaves behind (commit, tags and where they point, CHANGELOG.md, package.json) and, for every
// refusal, the exit code, the message, and that nothing changed. The bundle check runs
// RELEASE_BUNDLE_COMMAND, a stand-in for `npm run bundle` that either leaves the bundle alone or
// rewrites it.
import { afterAll, describe, expect, it } from '@jest/globals'
import { spawnSync, execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..')
const RELEASE = join(ROOT, 'scripts/release')
const FRESH = 'true' // the bundle command leaves the committed bundle as it is
const STALE =
  "printf 'rebuilt\\n' > actions/demo/dist/index.js && printf x > actions/demo/dist/new.js"

const GIT_ENV = {
  GIT_AUTHOR_NAME: 'Maintainer',
  GIT_AUTHOR_EMAIL: 'maintainer@example.com',
  GIT_COMMITTER_NAME: 'Maintainer',
  GIT_COMMITTER_EMAIL: 'maintainer@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null'
}

const CHANGELOG = `# Changelog

The format is based on [Keep a Changelog](https://keepachangelog.com/en/1.1.0/).

## [Unreleased]

### Added

- a demo action

[unreleased]: https://github.com/acme/demo/commits/main
`

const PACKAGE = `{
  "name": "demo",
  "version": "0.1.0",
  "private": true
}
`

const dirs: string[] = []
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

function git(repo: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd: repo,
    encoding: 'utf8',
    env: { ...process.env, ...GIT_ENV }
  }).trim()
}

/** A repository on `main` with a package.json, a CHANGELOG.md and a committed bundle. */
function makeRepo(changelog = CHANGELOG): string {
  const repo = mkdtempSync(join(tmpdir(), 'rollout-kit-release-'))
  dirs.push(repo)
  mkdirSync(join(repo, 'actions/demo/dist'), { recursive: true })
  writeFileSync(join(repo, 'actions/demo/dist/index.js'), 'bundled\n')
  writeFileSync(join(repo, 'package.json'), PACKAGE)
  writeFileSync(join(repo, 'CHANGELOG.md'), changelog)
  writeFileSync(join(repo, '.gitignore'), 'node_modules/\n')
  git(repo, 'init', '--quiet', '--initial-branch=main')
  git(repo, 'add', '.')
  git(repo, 'commit', '--quiet', '-m', 'initial')
  return repo
}

function release(repo: string, args: string[], bundle = FRESH) {
  const run = spawnSync(RELEASE, args, {
    cwd: repo,
    encoding: 'utf8',
    env: { ...process.env, ...GIT_ENV, RELEASE_BUNDLE_COMMAND: bundle }
  })
  return { status: run.status, stdout: run.stdout, stderr: run.stderr }
}

/** What a refusal must leave as it was. */
function snapshot(repo: string) {
  return {
    head: git(repo, 'rev-parse', 'HEAD'),
    tags: git(repo, 'tag', '--list'),
    status: git(repo, 'status', '--porcelain', '--untracked-files=all'),
    bundle: readFileSync(join(repo, 'actions/demo/dist/index.js'), 'utf8')
  }
}

const pointsAt = (repo: string, ref: string): string => git(repo, 'rev-parse', `${ref}^{commit}`)
const today = (): string => new Date().toISOString().slice(0, 10)

describe('scripts/release', () => {
  it('releases 1.0.0: changelog entry, version, commit, annotated tag and v1, push commands', () => {
    const repo = makeRepo()
    const before = git(repo, 'rev-parse', 'HEAD')
    const run = release(repo, ['1.0.0'])
    expect(run.stderr).toBe('')
    expect(run.status).toBe(0)

    expect(git(repo, 'log', '-1', '--format=%s')).toBe('release v1.0.0')
    expect(git(repo, 'rev-parse', 'HEAD~1')).toBe(before)
    expect(git(repo, 'status', '--porcelain')).toBe('')
    expect(git(repo, 'tag', '--list').split('\n')).toEqual(['v1', 'v1.0.0'])
    expect(pointsAt(repo, 'v1.0.0')).toBe(git(repo, 'rev-parse', 'HEAD'))
    expect(pointsAt(repo, 'v1')).toBe(git(repo, 'rev-parse', 'HEAD'))
    expect(git(repo, 'cat-file', '-t', 'v1.0.0')).toBe('tag') // annotated
    expect(git(repo, 'tag', '--list', '--format=%(contents)', 'v1.0.0')).toBe(
      'v1.0.0\n\n### Added\n\n- a demo action'
    )

    const changelog = readFileSync(join(repo, 'CHANGELOG.md'), 'utf8')
    expect(changelog).toContain(
      `## [Unreleased]\n\n## [1.0.0] - ${today()}\n\n### Added\n\n- a demo action\n\n`
    )
    expect(changelog).toMatch(
      /\[unreleased\]: https:\/\/github\.com\/acme\/demo\/compare\/v1\.0\.0\.\.\.HEAD\n\[1\.0\.0\]: https:\/\/github\.com\/acme\/demo\/releases\/tag\/v1\.0\.0\n$/
    )
    expect(JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'))).toEqual({
      name: 'demo',
      version: '1.0.0',
      private: true
    })

    expect(run.stdout).toContain('git push origin main v1.0.0')
    expect(run.stdout).toContain('git push --force origin v1')
    expect(git(repo, 'remote')).toBe('') // nothing pushed, nowhere to push to
  })

  it('moves v1 on 1.1.0 and links the comparison with the previous tag', () => {
    const repo = makeRepo()
    expect(release(repo, ['1.0.0']).status).toBe(0)
    const first = git(repo, 'rev-parse', 'HEAD')
    const changelog = readFileSync(join(repo, 'CHANGELOG.md'), 'utf8')
    writeFileSync(
      join(repo, 'CHANGELOG.md'),
      changelog.replace('## [Unreleased]\n', '## [Unreleased]\n\n### Fixed\n\n- a bug\n')
    )
    git(repo, 'commit', '--quiet', '-am', 'fix a bug')

    const run = release(repo, ['v1.1.0'])
    expect(run.stderr).toBe('')
    expect(run.status).toBe(0)
    const head = git(repo, 'rev-parse', 'HEAD')
    expect(pointsAt(repo, 'v1.1.0')).toBe(head)
    expect(pointsAt(repo, 'v1')).toBe(head)
    expect(pointsAt(repo, 'v1.0.0')).toBe(first)
    const after = readFileSync(join(repo, 'CHANGELOG.md'), 'utf8')
    expect(after).toContain(
      `## [Unreleased]\n\n## [1.1.0] - ${today()}\n\n### Fixed\n\n- a bug\n\n## [1.0.0] - `
    )
    expect(after).toContain(
      '[unreleased]: https://github.com/acme/demo/compare/v1.1.0...HEAD\n' +
        '[1.1.0]: https://github.com/acme/demo/compare/v1.0.0...v1.1.0\n' +
        '[1.0.0]: https://github.com/acme/demo/releases/tag/v1.0.0\n'
    )
  })

  it('tags a pre-release without moving the major tag', () => {
    const repo = makeRepo()
    const run = release(repo, ['2.0.0-rc.1'])
    expect(run.status).toBe(0)
    expect(git(repo, 'tag', '--list').split('\n')).toEqual(['v2.0.0-rc.1'])
    expect(pointsAt(repo, 'v2.0.0-rc.1')).toBe(git(repo, 'rev-parse', 'HEAD'))
    expect(run.stdout).toContain('v2.0.0-rc.1 is a pre-release, so v2 stays where it is')
    expect(run.stdout).not.toContain('--force')
    expect(JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')).version).toBe('2.0.0-rc.1')
  })

  it('updates package-lock.json beside package.json when there is one', () => {
    const repo = makeRepo()
    const lock = {
      name: 'demo',
      version: '0.1.0',
      lockfileVersion: 3,
      packages: { '': { name: 'demo', version: '0.1.0' } }
    }
    writeFileSync(join(repo, 'package-lock.json'), `${JSON.stringify(lock, null, 2)}\n`)
    git(repo, 'add', 'package-lock.json')
    git(repo, 'commit', '--quiet', '-m', 'lock')
    expect(release(repo, ['1.0.0']).status).toBe(0)
    const after = JSON.parse(readFileSync(join(repo, 'package-lock.json'), 'utf8'))
    expect([after.version, after.packages[''].version]).toEqual(['1.0.0', '1.0.0'])
    expect(git(repo, 'status', '--porcelain')).toBe('')
  })

  describe('refuses, changing nothing', () => {
    /** A repository already released as 1.0.0, with a new entry under [Unreleased]. */
    function released(): string {
      const repo = makeRepo()
      expect(release(repo, ['1.0.0']).status).toBe(0)
      const changelog = readFileSync(join(repo, 'CHANGELOG.md'), 'utf8')
      writeFileSync(
        join(repo, 'CHANGELOG.md'),
        changelog.replace('## [Unreleased]\n', '## [Unreleased]\n\n### Fixed\n\n- a bug\n')
      )
      git(repo, 'commit', '--quiet', '-am', 'fix a bug')
      return repo
    }

    it.each([
      ['no version', [], 'usage: npm run release -- <version>'],
      ['a version that is not semver', ['1.2'], "'1.2' is not a semantic version"],
      ['two versions', ['1.1.0', '1.2.0'], 'one version expected, got: 1.1.0 1.2.0'],
      [
        'the latest version again',
        ['1.0.0'],
        'version 1.0.0 is not greater than the latest tag v1.0.0; releases only go forward'
      ],
      ['an older version', ['0.9.0'], 'version 0.9.0 is not greater than the latest tag v1.0.0'],
      [
        "a pre-release of what's out",
        ['1.0.0-rc.2'],
        'version 1.0.0-rc.2 is not greater than the latest tag v1.0.0'
      ]
    ])('%s', (_name, args, message) => {
      const repo = released()
      const before = snapshot(repo)
      const run = release(repo, args)
      expect(run.status).toBe(1)
      expect(run.stderr).toContain(`release: refused: ${message}`)
      expect(snapshot(repo)).toEqual(before)
    })

    it('a dirty working tree, naming the files', () => {
      const repo = released()
      writeFileSync(join(repo, 'notes.txt'), 'untracked\n')
      writeFileSync(join(repo, 'package.json'), PACKAGE.replace('demo', 'demo2'))
      const before = snapshot(repo)
      const run = release(repo, ['1.1.0'])
      expect(run.status).toBe(1)
      expect(run.stderr).toContain(
        'release: refused: the working tree is not clean (package.json, notes.txt): commit or stash first'
      )
      expect(snapshot(repo)).toEqual(before)
    })

    it('stale bundles, putting back what the bundle command changed', () => {
      const repo = released()
      const before = snapshot(repo)
      const run = release(repo, ['1.1.0'], STALE)
      expect(run.status).toBe(1)
      expect(run.stderr).toContain(
        "release: refused: the bundles are stale: '" +
          STALE +
          "' changed actions/demo/dist/index.js, actions/demo/dist/new.js; run it, commit the result"
      )
      expect(snapshot(repo)).toEqual(before) // index.js as committed, new.js gone
    })

    it('a bundle command that fails, with its output', () => {
      const repo = released()
      const before = snapshot(repo)
      const run = release(repo, ['1.1.0'], "echo 'ncc: cannot resolve x' >&2; exit 3")
      expect(run.status).toBe(1)
      expect(run.stderr).toContain('failed (exit 3), so the bundles cannot be checked:')
      expect(run.stderr).toContain('ncc: cannot resolve x')
      expect(snapshot(repo)).toEqual(before)
    })

    it('an empty [Unreleased], before running the bundle command', () => {
      const repo = makeRepo()
      expect(release(repo, ['1.0.0']).status).toBe(0)
      const before = snapshot(repo)
      // the stale command would fail the run differently if it were reached
      const run = release(repo, ['1.1.0'], STALE)
      expect(run.status).toBe(1)
      expect(run.stderr).toContain(
        'release: refused: CHANGELOG.md has nothing under "## [Unreleased]": write what this release changes there first'
      )
      expect(snapshot(repo)).toEqual(before)
    })

    it('an [Unreleased] with only headings', () => {
      const repo = makeRepo(CHANGELOG.replace('- a demo action\n', '\n### Fixed\n'))
      const before = snapshot(repo)
      const run = release(repo, ['1.0.0'])
      expect(run.status).toBe(1)
      expect(run.stderr).toContain('CHANGELOG.md has nothing under "## [Unreleased]"')
      expect(snapshot(repo)).toEqual(before)
    })

    it('a detached HEAD', () => {
      const repo = released()
      git(repo, 'checkout', '--quiet', '--detach')
      const before = snapshot(repo)
      const run = release(repo, ['1.1.0'])
      expect(run.status).toBe(1)
      expect(run.stderr).toContain('release: refused: HEAD is detached')
      expect(snapshot(repo)).toEqual(before)
    })
  })
})
