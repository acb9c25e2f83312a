/**
 * JUnit XML test reports: parsing with fast-xml-parser (its validator gives the line and column of
 * malformed XML) into one flat list of test cases per report file.
 *
 * There is no JUnit XML standard, only dialects; what is read (fixtures in test/gate/fixtures/junit):
 * a `testsuites` or a single `testsuite` root, testsuite elements nested to any depth, testcase
 * with a `failure`, `error` or `skipped` child (message attribute and/or text), `time` in seconds.
 * Where a test failed, its file and line come from junit-location.ts.
 */
import { readFile } from 'node:fs/promises'
import { isAbsolute, relative, resolve } from 'node:path'
import * as glob from '@actions/glob'
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { checkFileSize, LIMITS, truncated } from '../../action/limits.js'
import { messageOf } from '../../action/errors.js'
import { locate } from './junit-location.js'

/** One test case of a report. */
export interface TestCase {
  /** Name of the innermost testsuite holding it. */
  readonly suite: string
  readonly classname?: string
  readonly name: string
  /** Source file as the report gives it (see junit-location.ts for each dialect). */
  readonly file?: string
  /** 1-based line: where the test failed when the report says, else where it starts. */
  readonly line?: number
  readonly seconds: number
  readonly status: 'passed' | 'failed' | 'error' | 'skipped'
  /** The failure's message attribute, or the first line of its text. */
  readonly message?: string
  /** The failure's text (stack trace, assertion diff), else the test's system-err/system-out. */
  readonly details?: string
}

/** The test cases of one report file. */
export interface TestReport {
  /** The report's path, relative to the directory it was looked up from. */
  readonly file: string
  readonly cases: readonly TestCase[]
}

/** A report that cannot be read as JUnit XML: `file:line:column: reason`. */
export class ReportError extends Error {
  constructor(
    readonly file: string,
    reason: string,
    readonly line?: number,
    readonly column?: number
  ) {
    const position = [line, column].filter((n) => n !== undefined).join(':')
    super(`${file}${position ? `:${position}` : ''}: ${reason}`)
    this.name = 'ReportError'
  }
}

type XmlNode = Record<string, unknown>

const RESULTS = ['failure', 'error', 'skipped'] as const
const STATUS = { failure: 'failed', error: 'error', skipped: 'skipped' } as const

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  alwaysCreateTextNode: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  htmlEntities: true,
  isArray: (name) => ['testsuite', 'testcase', ...RESULTS].includes(name)
})

/** Parses one report; malformed XML or another document → ReportError with the position. */
export function parseJUnit(xml: string, file: string): TestReport {
  const valid = XMLValidator.validate(xml)
  if (valid !== true) {
    throw new ReportError(file, `malformed XML: ${valid.err.msg}`, valid.err.line, valid.err.col)
  }
  let document: XmlNode
  try {
    document = parser.parse(xml) as XmlNode
  } catch (error) {
    // fast-xml-parser refuses external entities (XXE) and entity expansion past its limits
    throw new ReportError(file, `unsafe or unreadable XML: ${messageOf(error)}`)
  }
  const root = Object.keys(document).find((key) => !key.startsWith('?') && !key.startsWith('#'))
  if (root !== 'testsuites' && root !== 'testsuite') {
    const { line, column } = positionOf(xml, root)
    const found = root === undefined ? 'no root element' : `root element <${root}>`
    throw new ReportError(
      file,
      `not a JUnit report: ${found}; expected <testsuites> or <testsuite>`,
      line,
      column
    )
  }
  const top =
    root === 'testsuites' ? asNode(document.testsuites) : { testsuite: document.testsuite }
  const dialect = pytestRoot(top) ? 'pytest' : 'other'
  return { file, cases: suiteCases(top, '', dialect) }
}

/**
 * Reads every file that `patterns` (globs, `!` to exclude, relative to `cwd`) match, in path
 * order; no match at all → ReportError naming the patterns (a path a user must fix).
 */
export async function readReports(patterns: readonly string[], cwd: string): Promise<TestReport[]> {
  const absolute = patterns.map((pattern) =>
    pattern.startsWith('!') ? `!${resolve(cwd, pattern.slice(1))}` : resolve(cwd, pattern)
  )
  const globber = await glob.create(absolute.join('\n'), { matchDirectories: false })
  const files = [...new Set(await globber.glob())].sort()
  if (files.length === 0) {
    const listed = patterns.map((pattern) => `'${pattern}'`).join(', ')
    throw new ReportError(listed, `no report file matches in ${cwd}`)
  }
  const reports: TestReport[] = []
  for (const path of files) {
    const name = isAbsolute(path) ? relative(cwd, path) : path
    checkFileSize('reports', path, LIMITS.junitFile, 'JUnit report files', name)
    reports.push(parseJUnit(await readFile(path, 'utf8'), name))
  }
  return reports
}

/**
 * The name a quarantine entry matches: `classname.name`, or `name` alone when there is no
 * classname or it equals the name (jest-junit's default templates). Quarantine also matches the
 * plain `name`.
 */
export function testId(test: TestCase): string {
  return test.classname && test.classname !== test.name
    ? `${test.classname}.${test.name}`
    : test.name
}

function suiteCases(suite: XmlNode, parentName: string, dialect: Dialect): TestCase[] {
  const name = text(suite['@_name']) ?? parentName
  const own = nodes(suite.testcase).map((node) => testCase(node, name, dialect))
  const nested = nodes(suite.testsuite).flatMap((child) => suiteCases(child, name, dialect))
  return [...own, ...nested]
}

type Dialect = 'pytest' | 'other'

/** A test's text kept to LIMITS.testText characters. */
function cut(value: string | undefined): string | undefined {
  return value === undefined ? undefined : truncated(value)
}

function testCase(node: XmlNode, suite: string, dialect: Dialect): TestCase {
  const result = RESULTS.find((kind) => nodes(node[kind]).length > 0)
  const outcome = result ? nodes(node[result])[0] : undefined
  const body = cut(outcome ? text(outcome['#text'])?.trim() : undefined)
  const output = cut(text(firstText(node['system-err']) ?? firstText(node['system-out']))?.trim())
  const message = cut(text(outcome?.['@_message'])?.trim() || firstLine(body))
  const classname = text(node['@_classname'])
  const status = result ? STATUS[result] : 'passed'
  const details = body || output || undefined
  const where = locate({
    classname,
    file: text(node['@_file']),
    // pytest's xunit1 `line` is 0-based (its item.location); other dialects count from 1
    line: lineNumber(node['@_line'], dialect === 'pytest' ? 1 : 0),
    details: status === 'failed' || status === 'error' ? details : undefined
  })
  return {
    suite,
    classname,
    name: text(node['@_name']) ?? '',
    ...where,
    seconds: seconds(node['@_time']),
    status,
    ...(message ? { message } : {}),
    ...(details ? { details } : {})
  }
}

/** pytest names its root `pytest tests` and its suite `pytest` unless junit_suite_name is set. */
function pytestRoot(top: XmlNode): boolean {
  const suites = nodes(top.testsuite)
  return text(top['@_name']) === 'pytest tests' || text(suites[0]?.['@_name']) === 'pytest'
}

function positionOf(xml: string, element?: string): { line?: number; column?: number } {
  if (element === undefined) return {}
  const offset = xml.indexOf(`<${element}`)
  if (offset < 0) return {}
  const before = xml.slice(0, offset).split(/\r?\n/)
  return { line: before.length, column: before[before.length - 1].length + 1 }
}

function nodes(value: unknown): XmlNode[] {
  return Array.isArray(value) ? value.map(asNode) : value === undefined ? [] : [asNode(value)]
}

function asNode(value: unknown): XmlNode {
  return typeof value === 'object' && value !== null ? (value as XmlNode) : {}
}

function firstText(value: unknown): string | undefined {
  const node = Array.isArray(value) ? value[0] : value
  return typeof node === 'string' ? node : text(asNode(node)['#text'])
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined
}

function firstLine(body?: string): string | undefined {
  return body
    ?.split(/\r?\n/)
    .find((line) => line.trim() !== '')
    ?.trim()
}

function seconds(value: unknown): number {
  // some dialects write thousands separators ("1,234.5")
  const parsed = Number.parseFloat((text(value) ?? '').replaceAll(',', ''))
  return Number.isFinite(parsed) && parsed >= 0 ? parsed : 0
}

function lineNumber(value: unknown, offset: number): number | undefined {
  const parsed = Number.parseInt(text(value) ?? '', 10)
  return Number.isInteger(parsed) && parsed + offset >= 1 ? parsed + offset : undefined
}
