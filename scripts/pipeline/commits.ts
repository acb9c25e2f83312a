/**
 * The commits the pipeline plays: working copies of examples/sample-app in temp directories (the
 * repository is never written to), each with its sha, branch and change.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { REPO_ROOT } from '../../harness/action-runner.js'

/** A commit of the sample app. */
export interface Commit {
  /** A, B, C, D. */
  readonly label: string
  readonly sha: string
  /** `sha-<7 hex>`: the tag build-image gives the commit's image. */
  readonly shaTag: string
  readonly branch: string
  /** What the commit changes. */
  readonly message: string
  /** The sample app as of the commit. */
  readonly dir: string
}

const SAMPLE_APP = join(REPO_ROOT, 'examples/sample-app')

/** The sample app's home page as committed. */
const HOME = (): string => readFileSync(join(SAMPLE_APP, 'index.html'), 'utf8')

/**
 * The four commits: A the sample app as it is; B the app's name replaced by a template variable
 * that nothing renders (the integration test looks for `rollout-kit sample` on the page); C the
 * fix; D a hotfix of the page's text, pushed to main.
 */
export function sampleCommits(): Record<'A' | 'B' | 'C' | 'D', Commit> {
  const base = process.env.PIPELINE_SHA ?? 'c0ffee0000000000000000000000000000000001'
  // distinct in their first 7 hex digits, as their sha-<7> tags must be
  const sha = (n: number): string => `${n}${base.slice(1)}`
  return {
    A: commit('A', sha(1), 'dev', 'the sample app', HOME()),
    B: commit(
      'B',
      sha(2),
      'dev',
      "the app's name moved into a template variable that nothing renders (the bug)",
      HOME().replaceAll('rollout-kit sample', '{{ app.name }}')
    ),
    C: commit(
      'C',
      sha(3),
      'dev',
      "the fix: the app's name back on the page; production's manifests set LOG_LEVEL=debug",
      HOME(),
      (manifest) => manifest.replace('value: info', 'value: debug')
    ),
    D: commit(
      'D',
      sha(4),
      'main',
      'a hotfix of the page text, pushed to main',
      HOME().replace('</p>', ' (hotfix 1.1.1)</p>')
    )
  }
}

function commit(
  label: string,
  sha: string,
  branch: string,
  message: string,
  home: string,
  production: (manifest: string) => string = (manifest) => manifest
): Commit {
  const dir = mkdtempSync(join(tmpdir(), `rollout-kit-sample-${label}-`))
  cpSync(SAMPLE_APP, dir, {
    recursive: true,
    filter: (source) => !source.startsWith(join(SAMPLE_APP, 'reports'))
  })
  writeFileSync(join(dir, 'index.html'), home)
  const manifest = join(dir, 'deploy-production', 'app.yaml')
  writeFileSync(manifest, production(readFileSync(manifest, 'utf8')))
  return { label, sha, shaTag: `sha-${sha.slice(0, 7)}`, branch, message, dir }
}

/** Removes the commits' working copies. */
export function removeCommits(commits: Record<string, Commit>): void {
  for (const { dir } of Object.values(commits)) rmSync(dir, { recursive: true, force: true })
}
