/**
 * CHANGELOG.md in Keep a Changelog 1.1.0 form, as scripts/release edits it: the entries under
 * `## [Unreleased]` become `## [x.y.z] - YYYY-MM-DD`, an empty `[Unreleased]` stays on top, and the
 * link references at the bottom follow (`[unreleased]` compares the new tag with HEAD, the new
 * version compares the previous tag with it, or links its tag page when there is none).
 */

/** A CHANGELOG.md that cannot be released from, with what to fix. */
export class ChangelogError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ChangelogError'
  }
}

const UNRELEASED_HEADING = /^## \[Unreleased\][ \t]*$/im
const LINK_REFERENCE = /^\[[^\]]+\]:[ \t]*\S/
const UNRELEASED_LINK = /^\[unreleased\]:[ \t]*(\S+)[ \t]*$/im

/** The text under `## [Unreleased]`, up to the next `## ` heading or the link references. */
export function unreleasedEntries(changelog: string): string {
  const heading = UNRELEASED_HEADING.exec(changelog)
  if (!heading) throw new ChangelogError('CHANGELOG.md has no "## [Unreleased]" heading')
  const after = changelog.slice(heading.index + heading[0].length).split('\n')
  const body: string[] = []
  for (const line of after.slice(1)) {
    if (line.startsWith('## ') || LINK_REFERENCE.test(line)) break
    body.push(line)
  }
  return body.join('\n').trim()
}

/** Whether entries hold anything but blank lines and `###` headings (Added, Fixed, …). */
export function hasEntries(entries: string): boolean {
  return entries.split('\n').some((line) => line.trim() !== '' && !line.startsWith('### '))
}

/** Where the `[unreleased]` link points: the repository's URL and the tag it compares from. */
export function unreleasedLink(changelog: string): { base: string; previous?: string } {
  const link = UNRELEASED_LINK.exec(changelog)
  if (!link) {
    throw new ChangelogError(
      'CHANGELOG.md has no "[unreleased]: <url>" link reference at the bottom, so the new ' +
        "version's link cannot be written (e.g. [unreleased]: https://github.com/OWNER/REPO/compare/v1.0.0...HEAD)"
    )
  }
  const url = link[1] ?? ''
  const compare = /^(.+)\/compare\/(.+)\.\.\.HEAD$/.exec(url)
  if (compare) return { base: compare[1] ?? '', previous: compare[2] }
  // before the first release: a link to the branch's commits or tree
  const branch = /^(.+)\/(?:commits|tree)\/[^/]+$/.exec(url)
  if (branch) return { base: branch[1] ?? '' }
  throw new ChangelogError(
    `CHANGELOG.md's [unreleased] link is '${url}'; expected <repository URL>/compare/<tag>...HEAD ` +
      'or, before the first release, <repository URL>/commits/<branch>'
  )
}

/**
 * The changelog with `[Unreleased]`'s entries moved to `## [version] - date` and the link
 * references updated. Throws a ChangelogError when there is nothing to release or no link to follow.
 */
export function releaseChangelog(changelog: string, version: string, date: string): string {
  const entries = unreleasedEntries(changelog)
  if (!hasEntries(entries)) {
    throw new ChangelogError(
      'CHANGELOG.md has nothing under "## [Unreleased]": write what this release changes there first'
    )
  }
  const { base, previous } = unreleasedLink(changelog)
  const tag = `v${version}`
  const heading = UNRELEASED_HEADING.exec(changelog) as RegExpExecArray
  const start = heading.index
  const rest = changelog.slice(start + heading[0].length)
  // the old section ends where the next `## ` heading or the first link reference starts
  const lines = rest.split('\n')
  let end = 1
  while (end < lines.length) {
    const line = lines[end] ?? ''
    if (line.startsWith('## ') || LINK_REFERENCE.test(line)) break
    end++
  }
  const after = lines.slice(end).join('\n')
  const section = `## [Unreleased]\n\n## [${version}] - ${date}\n\n${entries}\n\n`
  const released = changelog.slice(0, start) + section + after
  const versionLink = previous
    ? `[${version}]: ${base}/compare/${previous}...${tag}`
    : `[${version}]: ${base}/releases/tag/${tag}`
  return released.replace(
    UNRELEASED_LINK,
    `[unreleased]: ${base}/compare/${tag}...HEAD\n${versionLink}`
  )
}
