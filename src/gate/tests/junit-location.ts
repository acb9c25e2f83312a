/**
 * Where a failed test failed, from what each JUnit dialect gives. Hand-written: the test-report
 * libraries on npm parse the XML but leave file and line to each CI integration.
 *
 * - jest-junit (addFileAttribute) and pytest (xunit1): a `file` attribute; the line is that file's
 *   first `name:line` in the failure text (a stack frame or pytest's `file.py:10: Error`), else the
 *   `line` attribute.
 * - Maven Surefire: no file; the first stack frame of the test class, `at pkg.Class.method(File.java:42)`,
 *   gives `pkg/File.java` (relative to a source root such as src/test/java) and 42.
 * - go-junit-report: classname is the package; `file_test.go:NN:` in the text gives
 *   `<package import path>/file_test.go` (strip the module path to get a repository path) and NN.
 * - pytest xunit2: no file; the traceback's `path/test_x.py:NN: Error` line whose module is the
 *   classname (or its prefix) gives both.
 */
import { basename } from 'node:path'

/** What a test case says about its source. */
export interface LocationHints {
  readonly classname?: string
  readonly file?: string
  /** 1-based. */
  readonly line?: number
  /** The failure text; only for failed tests. */
  readonly details?: string
}

/** A source position; both parts optional. */
export interface Location {
  readonly file?: string
  readonly line?: number
}

/** The file and 1-based line to annotate for a test case, as far as its report tells. */
export function locate(hints: LocationHints): Location {
  const { classname, file, line, details } = hints
  if (file) {
    const failedAt = details ? lineIn(details, basename(file)) : undefined
    return defined({ file, line: failedAt ?? line })
  }
  if (details && classname) {
    const found =
      javaFrame(details, classname) ??
      goFailure(details, classname) ??
      pythonFrame(details, classname)
    if (found) return found
  }
  return defined({ line })
}

function lineIn(details: string, name: string): number | undefined {
  const match = new RegExp(`(?:^|[\\s/\\\\(])${escape(name)}:(\\d+)`, 'm').exec(details)
  return match ? Number(match[1]) : undefined
}

function javaFrame(details: string, classname: string): Location | undefined {
  const frame = new RegExp(
    `^\\s*at ${escape(classname)}(?:\\$[\\w$]+)?\\.[^(\\n]*\\(([^:()\\s]+\\.\\w+):(\\d+)\\)`,
    'm'
  ).exec(details)
  if (!frame) return undefined
  const dot = classname.lastIndexOf('.')
  const folder = dot > 0 ? `${classname.slice(0, dot).replaceAll('.', '/')}/` : ''
  return { file: `${folder}${frame[1]}`, line: Number(frame[2]) }
}

function goFailure(details: string, classname: string): Location | undefined {
  const match = /^\s*([\w.-]+_test\.go):(\d+):/m.exec(details)
  return match ? { file: `${classname}/${match[1]}`, line: Number(match[2]) } : undefined
}

function pythonFrame(details: string, classname: string): Location | undefined {
  for (const match of details.matchAll(/^([^\s:]+\.py):(\d+): /gm)) {
    const module = match[1].replace(/\.py$/, '').replaceAll('/', '.')
    if (classname === module || classname.startsWith(`${module}.`)) {
      return { file: match[1], line: Number(match[2]) }
    }
  }
  return undefined
}

function defined(location: Location): Location {
  return {
    ...(location.file !== undefined ? { file: location.file } : {}),
    ...(location.line !== undefined ? { line: location.line } : {})
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
