// Cuts a release of the repository the current folder is in: `npm run release -- <version>`.
//
// Refuses, changing nothing, when the version is not semver or not greater than the latest v* tag,
// HEAD is not on a branch, the working tree is dirty, CHANGELOG.md has nothing under [Unreleased]
// (or no [unreleased] link to follow), or the committed bundles are stale: the bundle command
// (RELEASE_BUNDLE_COMMAND, default `npm run bundle`) is run and must leave the tree as it was.
// Otherwise it moves the [Unreleased] entries to `## [x.y.z] - YYYY-MM-DD`, updates the link
// references, sets the version in package.json (and package-lock.json), commits `release vX.Y.Z`,
// makes the annotated tag vX.Y.Z and moves the major tag vX to it (not for a pre-release). It
// never pushes: it prints the push commands.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import semver from 'semver'
import { ChangelogError, releaseChangelog, unreleasedEntries } from './changelog.js'

/** A release that must not be made, and why; nothing has been changed. */
class Refusal extends Error {}

const DEFAULT_BUNDLE_COMMAND = 'npm run bundle'

function git(cwd: string, args: readonly string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
}

/** The `git status --porcelain` lines of the tree, untracked files one by one. */
function changes(root: string): string[] {
  return git(root, ['status', '--porcelain', '--untracked-files=all'])
    .split('\n')
    .filter((line) => line !== '')
}

function listed(lines: readonly string[], max = 10): string {
  const shown = lines.slice(0, max).map((line) => line.slice(3))
  return shown.join(', ') + (lines.length > max ? ` and ${lines.length - max} more` : '')
}

/** The version asked for, checked against the v* tags; the latest full-semver tag too. */
function checkVersion(
  root: string,
  asked: string | undefined
): { version: string; latest?: string } {
  if (!asked) throw new Refusal('usage: npm run release -- <version>, e.g. 1.2.0 or 1.3.0-rc.1')
  const version = semver.valid(asked)
  if (!version) {
    throw new Refusal(
      `'${asked}' is not a semantic version (x.y.z, or x.y.z-rc.1 for a pre-release)`
    )
  }
  const tags = git(root, ['tag', '--list', 'v*'])
    .split('\n')
    .filter((tag) => /^v\d/.test(tag) && semver.valid(tag.slice(1)) !== null)
  const latest = tags.map((tag) => tag.slice(1)).sort(semver.rcompare)[0]
  if (latest && !semver.gt(version, latest)) {
    throw new Refusal(
      `version ${version} is not greater than the latest tag v${latest}; releases only go forward`
    )
  }
  return { version, ...(latest ? { latest } : {}) }
}

/** The branch HEAD is on; a detached HEAD is refused, since the release commit needs a branch. */
function currentBranch(root: string): string {
  const branch = git(root, ['rev-parse', '--abbrev-ref', 'HEAD']).trim()
  if (branch === 'HEAD') {
    throw new Refusal('HEAD is detached: check out the branch to release from first')
  }
  return branch
}

function checkClean(root: string): void {
  const dirty = changes(root)
  if (dirty.length > 0) {
    throw new Refusal(
      `the working tree is not clean (${listed(dirty)}): commit or stash first, so that the ` +
        'release is exactly what is committed'
    )
  }
}

/** CHANGELOG.md as it will be after the release; refused when it has nothing to release. */
function releasedChangelog(root: string, version: string, date: string): string {
  const file = join(root, 'CHANGELOG.md')
  if (!existsSync(file)) throw new Refusal('there is no CHANGELOG.md at the repository root')
  try {
    return releaseChangelog(readFileSync(file, 'utf8'), version, date)
  } catch (error) {
    if (error instanceof ChangelogError) throw new Refusal(error.message)
    throw error
  }
}

/**
 * Runs the bundle command on the clean tree; anything it changes means the committed bundles are
 * stale. What it changed is put back (the tree was clean, so HEAD is what it was).
 */
function checkBundles(root: string): void {
  const command = process.env.RELEASE_BUNDLE_COMMAND || DEFAULT_BUNDLE_COMMAND
  console.log(`release: checking the bundles are fresh (${command})`)
  const run = spawnSync('bash', ['-c', command], { cwd: root, encoding: 'utf8' })
  const changed = changes(root)
  if (changed.length > 0) {
    git(root, ['checkout', '--quiet', 'HEAD', '--', '.'])
    // only files the command made: the tree had no untracked files before it ran
    git(root, ['clean', '--quiet', '--force', '-d', '--', '.'])
  }
  if (run.status !== 0) {
    const output = `${run.stdout ?? ''}${run.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n')
    throw new Refusal(
      `the bundle command '${command}' failed (exit ${run.status ?? run.signal}), so the bundles ` +
        `cannot be checked:\n${output}`
    )
  }
  if (changed.length > 0) {
    throw new Refusal(
      `the bundles are stale: '${command}' changed ${listed(changed)}; run it, commit the result ` +
        '(put back here), and release again'
    )
  }
}

/** Sets `version` in package.json (its formatting kept) and in package-lock.json's two places. */
function setVersion(root: string, version: string): string[] {
  const pkgFile = join(root, 'package.json')
  const pkg = readFileSync(pkgFile, 'utf8')
  const updated = pkg.replace(/^(\s*"version":\s*")[^"]*(")/m, `$1${version}$2`)
  if ((JSON.parse(updated) as { version?: string }).version !== version) {
    throw new Error('package.json has no top-level "version" to set')
  }
  writeFileSync(pkgFile, updated)
  const files = ['package.json']
  const lockFile = join(root, 'package-lock.json')
  if (existsSync(lockFile)) {
    const lock = JSON.parse(readFileSync(lockFile, 'utf8')) as {
      version?: string
      packages?: Record<string, { version?: string }>
    }
    lock.version = version
    const self = lock.packages?.['']
    if (self) self.version = version
    writeFileSync(lockFile, `${JSON.stringify(lock, null, 2)}\n`)
    files.push('package-lock.json')
  }
  return files
}

/** The remote the branch pushes to, for the printed commands. */
function remoteOf(root: string, branch: string): string {
  try {
    return git(root, ['config', `branch.${branch}.remote`]).trim() || 'origin'
  } catch {
    // no upstream configured: git's usual name
    return 'origin'
  }
}

function release(root: string, asked: string | undefined): void {
  const { version, latest } = checkVersion(root, asked)
  const branch = currentBranch(root)
  checkClean(root)
  const date = new Date().toISOString().slice(0, 10)
  // before the slow bundle check
  const changelog = releasedChangelog(root, version, date)
  checkBundles(root)

  const tag = `v${version}`
  const prerelease = semver.prerelease(version) !== null
  const major = `v${semver.major(version)}`
  const notes = unreleasedEntries(readFileSync(join(root, 'CHANGELOG.md'), 'utf8'))
  const written = ['CHANGELOG.md']
  try {
    writeFileSync(join(root, 'CHANGELOG.md'), changelog)
    written.push(...setVersion(root, version))
    git(root, ['add', '--', ...written])
    git(root, ['commit', '--quiet', '-m', `release ${tag}`])
  } catch (error) {
    // put the files back as they were: the commit did not happen
    git(root, ['reset', '--quiet', '--', ...written])
    git(root, ['checkout', '--quiet', 'HEAD', '--', ...written])
    throw error
  }
  // verbatim: the notes' `### Added` headings are not comments
  git(root, ['tag', '--annotate', '--cleanup=verbatim', tag, '-m', `${tag}\n\n${notes}\n`])
  if (!prerelease) {
    git(root, ['tag', '--force', '--annotate', major, '-m', `${major}: ${tag}`])
  }

  const remote = remoteOf(root, branch)
  const from = latest ? ` (after v${latest})` : ''
  console.log(`release: committed 'release ${tag}' on ${branch} and tagged ${tag}${from}`)
  console.log(
    prerelease
      ? `release: ${tag} is a pre-release, so ${major} stays where it is`
      : `release: moved ${major} to ${tag}`
  )
  console.log('release: nothing is pushed; to publish, run:')
  console.log(`  git push ${remote} ${branch} ${tag}`)
  if (!prerelease) console.log(`  git push --force ${remote} ${major}`)
}

function main(): void {
  const args = process.argv.slice(2).filter((arg) => arg !== '--')
  try {
    const root = git(process.cwd(), ['rev-parse', '--show-toplevel']).trim()
    if (args.length > 1) throw new Refusal(`one version expected, got: ${args.join(' ')}`)
    release(root, args[0])
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    console.error(`release: ${error instanceof Refusal ? 'refused' : 'failed'}: ${message}`)
    process.exitCode = 1
  }
}

main()
