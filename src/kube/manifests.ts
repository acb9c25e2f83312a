/**
 * Kubernetes manifests from files and folders, as `kubectl apply -f <path> -R` reads them: YAML
 * (multi-document) or JSON files, folders walked recursively in lexical order, empty and
 * comment-only documents skipped, `List` kinds expanded to their items.
 *
 * The `yaml` package parses (JSON is YAML 1.2) and its LineCounter gives every document and item
 * the line a user sees. All problems of all files are collected into one ManifestError, each line
 * starting with `file:line:`, so one run shows everything to fix.
 */
import { readdir, readFile, stat } from 'node:fs/promises'
import { extname, isAbsolute, join, relative, resolve } from 'node:path'
import { isMap, isSeq, LineCounter, parseAllDocuments, type Node } from 'yaml'
import { InputError, messageOf } from '../action/errors.js'
import { checkFileSize, LIMITS } from '../action/limits.js'

/** A Kubernetes object as written in a manifest; the rest of its fields are the API's. */
export interface KubeObject {
  apiVersion: string
  kind: string
  metadata: { name: string; namespace?: string; [k: string]: unknown }
  [k: string]: unknown
}

/** One object of a manifest and where it was written. */
export interface ManifestDocument {
  readonly object: KubeObject
  /** Path as given or found, relative to the working directory when under it. */
  readonly file: string
  /** 1-based line where the object starts (its first non-comment content). */
  readonly line: number
}

/** One thing wrong in a manifest, at a place a user can open. */
export interface ManifestProblem {
  readonly file: string
  readonly line: number
  readonly column?: number
  readonly message: string
}

/** Manifests that cannot be applied; the message lists every problem as `file:line: …`. */
export class ManifestError extends Error {
  readonly file: string
  readonly line: number
  readonly column?: number
  readonly problems: readonly ManifestProblem[]

  constructor(problems: readonly [ManifestProblem, ...ManifestProblem[]]) {
    super(problems.map(formatProblem).join('\n'))
    this.name = 'ManifestError'
    this.file = problems[0].file
    this.line = problems[0].line
    this.column = problems[0].column
    this.problems = problems
  }
}

function formatProblem(p: ManifestProblem): string {
  return `${p.file}:${p.line}${p.column === undefined ? '' : `:${p.column}`}: ${p.message}`
}

const EXTENSIONS = new Set(['.yaml', '.yml', '.json'])
const ACCEPTED = 'files or folders of YAML or JSON manifests'

/**
 * Reads the objects of every manifest file in `paths` (files, or folders searched recursively for
 * .yaml, .yml and .json files), in order. Throws an InputError for a path that does not exist or
 * holds no manifest, a ManifestError naming file and line for anything that cannot be applied.
 */
export async function loadManifests(
  paths: readonly string[],
  options: { cwd?: string } = {}
): Promise<ManifestDocument[]> {
  const cwd = resolve(options.cwd ?? process.cwd())
  if (paths.length === 0) throw new InputError('manifests', '', ACCEPTED)
  const files: string[] = []
  for (const path of paths) {
    for (const file of await manifestFiles(path, cwd)) if (!files.includes(file)) files.push(file)
  }
  const documents: ManifestDocument[] = []
  const problems: ManifestProblem[] = []
  for (const file of files) {
    const shown = displayPath(file, cwd)
    checkFileSize('manifests', file, LIMITS.manifestFile, 'manifest files', shown)
    const parsed = parseManifest(await readFile(file, 'utf8'), shown)
    documents.push(...parsed.documents)
    problems.push(...parsed.problems)
  }
  problems.push(...duplicates(documents))
  if (problems.length > 0) throw new ManifestError(problems as [ManifestProblem])
  if (documents.length === 0) {
    throw new InputError('manifests', paths.join(', '), `${ACCEPTED} holding at least one object`)
  }
  return documents
}

/** The manifest files a path names: itself, or the .yaml/.yml/.json files under a folder. */
async function manifestFiles(path: string, cwd: string): Promise<string[]> {
  const absolute = resolve(cwd, path)
  const info = await stat(absolute).catch(() => undefined)
  if (info?.isDirectory()) {
    const found = await walk(absolute)
    if (found.length === 0) {
      throw new InputError(
        'manifests',
        path,
        `${ACCEPTED} (this folder has no .yaml, .yml or .json file)`
      )
    }
    return found
  }
  if (!info?.isFile()) throw new InputError('manifests', path, `${ACCEPTED} (it does not exist)`)
  if (!EXTENSIONS.has(extname(absolute).toLowerCase())) {
    throw new InputError('manifests', path, `${ACCEPTED} (.yaml, .yml or .json)`)
  }
  return [absolute]
}

/** Files with a manifest extension under `dir`, depth first in lexical order (as kubectl -R). */
async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true })
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  const files: string[] = []
  for (const entry of entries) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) files.push(...(await walk(path)))
    else if (EXTENSIONS.has(extname(entry.name).toLowerCase())) {
      // symbolic links count when they lead to a file; linked folders are not followed, as kubectl
      const isFile = entry.isFile() || (entry.isSymbolicLink() && (await stat(path)).isFile())
      if (isFile) files.push(path)
    }
  }
  return files
}

function displayPath(file: string, cwd: string): string {
  const rel = relative(cwd, file)
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? file : rel
}

/** The objects of one file's text, with the problems found in it. */
export function parseManifest(
  text: string,
  file: string
): { documents: ManifestDocument[]; problems: ManifestProblem[] } {
  const lineCounter = new LineCounter()
  const documents: ManifestDocument[] = []
  const problems: ManifestProblem[] = []
  const lineOf = (node: Node | null | undefined, fallback = 1): number =>
    node?.range ? lineCounter.linePos(node.range[0]).line : fallback
  for (const doc of parseAllDocuments(text, { lineCounter })) {
    if (doc.errors.length > 0) {
      const error = doc.errors[0]!
      const at = error.linePos?.[0] ?? lineCounter.linePos(error.pos[0])
      problems.push({
        file,
        line: at.line,
        column: at.col,
        message: `invalid YAML: ${brief(error.message)}`
      })
      continue
    }
    const line = lineOf(doc.contents, lineCounter.linePos(doc.range[0]).line)
    let value: unknown
    try {
      value = doc.contents === null ? null : doc.toJS()
    } catch (error) {
      // the yaml library refuses alias bombs ("Excessive alias count …") while converting
      problems.push({
        file,
        line,
        message: `input 'manifests': YAML that cannot be expanded: ${brief(messageOf(error))}`
      })
      continue
    }
    if (value === null) continue
    collect(doc.contents, value, line)
  }
  return { documents, problems }

  /** Adds an object, or the items of a List, or the problems of what cannot be applied. */
  function collect(node: Node | null | undefined, value: unknown, line: number): void {
    if (isList(value) && isMap(node)) {
      const items = node.get('items', true)
      value.items.forEach((item, i) => {
        const itemNode = isSeq(items) ? (items.items[i] as Node | undefined) : undefined
        collect(itemNode, item, lineOf(itemNode, line))
      })
      return
    }
    const found = objectProblems(value)
    if (found.length === 0) documents.push({ object: value as KubeObject, file, line })
    for (const message of found) problems.push({ file, line, message })
  }
}

/** `kind: List` or any `*List` kind with an `items` sequence, as kubectl expands them. */
function isList(value: unknown): value is { kind: string; items: unknown[] } {
  if (!isRecord(value)) return false
  return typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items)
}

/** What keeps a value from being an object kubectl could apply; empty when it can be. */
function objectProblems(value: unknown): string[] {
  if (!isRecord(value)) {
    return [
      `not a mapping: an object needs apiVersion, kind and metadata.name (found ${typeName(value)})`
    ]
  }
  const problems: string[] = []
  if (!isText(value.apiVersion)) problems.push(missing('apiVersion', value.apiVersion))
  if (!isText(value.kind)) problems.push(missing('kind', value.kind))
  const metadata = value.metadata
  const what = isText(value.kind) ? `${value.kind}: ` : ''
  if (!isRecord(metadata)) {
    problems.push(`${what}${missing('metadata', metadata, 'a mapping with a name')}`)
  } else if (!isText(metadata.name)) {
    problems.push(
      metadata.name === undefined && metadata.generateName !== undefined
        ? `${what}metadata.generateName is not supported (apply needs a fixed metadata.name)`
        : `${what}${missing('metadata.name', metadata.name)}`
    )
  } else if (metadata.namespace !== undefined && !isText(metadata.namespace)) {
    problems.push(`${what}${missing('metadata.namespace', metadata.namespace)}`)
  }
  return problems
}

function missing(field: string, value: unknown, accepted = 'a non-empty string'): string {
  return value === undefined || value === null
    ? `missing ${field}`
    : `${field} must be ${accepted} (found ${typeName(value)})`
}

/** Objects that are the same API object: same group, kind, namespace and name. */
function duplicates(documents: readonly ManifestDocument[]): ManifestProblem[] {
  const seen = new Map<string, ManifestDocument>()
  const problems: ManifestProblem[] = []
  for (const doc of documents) {
    const { apiVersion, kind, metadata } = doc.object
    const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : ''
    const key = JSON.stringify([group, kind, metadata.namespace ?? '', metadata.name])
    const first = seen.get(key)
    if (!first) {
      seen.set(key, doc)
      continue
    }
    const where = metadata.namespace === undefined ? '' : ` in namespace ${metadata.namespace}`
    problems.push({
      file: doc.file,
      line: doc.line,
      message: `${kind} ${metadata.name}${where} is defined twice: first at ${first.file}:${first.line}`
    })
  }
  return problems
}

/** The parser's message without the position and source excerpt it appends. */
function brief(message: string): string {
  return (message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '')
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isText(value: unknown): value is string {
  return typeof value === 'string' && value !== ''
}

function typeName(value: unknown): string {
  if (value === '') return 'an empty string'
  return Array.isArray(value) ? 'a sequence' : value === null ? 'null' : `a ${typeof value}`
}
