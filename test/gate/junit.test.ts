import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from '@jest/globals'
import {
  ReportError,
  parseJUnit,
  readReports,
  testId,
  type TestCase,
  type TestReport
} from '../../src/gate/tests/junit.js'
import { locate } from '../../src/gate/tests/junit-location.js'

const FIXTURES = join(import.meta.dirname, 'fixtures', 'junit')

async function fixture(name: string): Promise<TestReport> {
  return parseJUnit(await readFile(join(FIXTURES, name), 'utf8'), name)
}

/** The case fields a table compares; details are checked separately. */
function summary(test: TestCase) {
  const { suite, classname, name, file, line, seconds, status, message } = test
  return { suite, classname, name, file, line, seconds, status, message }
}

function errorOf(fn: () => unknown): ReportError {
  try {
    fn()
  } catch (error) {
    if (error instanceof ReportError) return error
    throw error
  }
  throw new Error('expected a ReportError')
}

describe('parseJUnit', () => {
  it('reads jest-junit with file attributes, the failing line from the stack, and a skip', async () => {
    const report = await fixture('jest-junit.xml')
    expect(report.cases.map(summary)).toEqual([
      {
        suite: 'checkout',
        classname: 'checkout adds an item',
        name: 'checkout adds an item',
        file: 'checkout.test.js',
        line: undefined,
        seconds: 0.003,
        status: 'passed',
        message: undefined
      },
      expect.objectContaining({ name: 'checkout applies a discount', status: 'passed' }),
      {
        suite: 'checkout',
        classname: 'checkout charges shipping',
        name: 'checkout charges shipping',
        file: 'checkout.test.js',
        line: 10,
        seconds: 0.017,
        status: 'failed',
        message: 'Error: expect(received).toBe(expected) // Object.is equality'
      },
      expect.objectContaining({ name: 'checkout sends a receipt', status: 'skipped', seconds: 0 })
    ])
    expect(report.cases[2].details).toContain('Received: 4.99')
  })

  it('reads pytest xunit1: 0-based line attributes made 1-based, failures at their line', async () => {
    const report = await fixture('pytest-xunit1.xml')
    expect(report.cases.map(summary)).toEqual([
      {
        suite: 'pytest',
        classname: 'test_shop',
        name: 'test_adds_items',
        file: 'test_shop.py',
        line: 4,
        seconds: 0.001,
        status: 'passed',
        message: undefined
      },
      {
        suite: 'pytest',
        classname: 'test_shop',
        name: 'test_totals_cart',
        file: 'test_shop.py',
        line: 10,
        seconds: 0.001,
        status: 'failed',
        message: 'AssertionError: cart total is wrong\nassert 6 == 7'
      },
      expect.objectContaining({
        name: 'test_pays',
        line: 13,
        status: 'skipped',
        message: 'payment sandbox is down'
      }),
      expect.objectContaining({
        name: 'test_reads_config',
        file: 'test_shop.py',
        line: 19,
        status: 'failed',
        message: 'RuntimeError: config missing'
      })
    ])
  })

  it('finds the file and line of pytest xunit2 failures in the traceback', async () => {
    const report = await fixture('pytest-xunit2.xml')
    expect(
      report.cases.map(({ name, file, line, status }) => ({ name, file, line, status }))
    ).toEqual([
      { name: 'test_adds_items', file: undefined, line: undefined, status: 'passed' },
      { name: 'test_totals_cart', file: 'test_shop.py', line: 10, status: 'failed' },
      { name: 'test_pays', file: undefined, line: undefined, status: 'skipped' },
      { name: 'test_reads_config', file: 'test_shop.py', line: 19, status: 'failed' }
    ])
  })

  it('reads a Surefire report: single testsuite root, file:line from the test class frame', async () => {
    const report = await fixture('TEST-action.surefire.report.calc.CalcUtilsTest.xml')
    expect(report.cases.map(summary)).toEqual([
      {
        suite: 'action.surefire.report.calc.CalcUtilsTest',
        classname: 'action.surefire.report.calc.CalcUtilsTest',
        name: 'test error handling',
        file: 'action/surefire/report/calc/CalcUtilsTest.kt',
        line: 27,
        seconds: 0,
        status: 'failed',
        message:
          'unexpected exception type thrown; expected:<java.lang.IllegalStateException> but was:<java.lang.IllegalArgumentException>'
      },
      expect.objectContaining({
        name: 'test scale',
        file: 'action/surefire/report/calc/CalcUtilsTest.kt',
        line: 15,
        seconds: 0.001,
        message: 'Expected: <100.10>\n     but: was <100.11>'
      })
    ])
    expect(report.cases[0].details).toMatch(/^java\.lang\.AssertionError: .*\n\tat /)
  })

  it('reads go-junit-report: package classname, file:line from the failure text', async () => {
    const report = await fixture('go-junit-report.xml')
    expect(report.cases.map(summary)).toEqual([
      {
        suite: 'package/name/fail',
        classname: 'package/name/fail',
        name: 'TestOne',
        file: 'package/name/fail/main_test.go',
        line: 6,
        seconds: 0,
        status: 'failed',
        message: 'Failed'
      },
      expect.objectContaining({ name: 'TestTwo', status: 'passed', file: undefined })
    ])
    expect(report.cases[0].details).toContain('main_test.go:7: Longer')
  })

  it('walks nested testsuites, naming each case by its innermost suite', async () => {
    const report = await fixture('nested.xml')
    expect(
      report.cases.map(({ suite, name, status, message, seconds }) => [
        suite,
        name,
        status,
        message,
        seconds
      ])
    ).toEqual([
      ['api', 'health', 'error', 'connect ECONNREFUSED 127.0.0.1:8080', 0.3],
      ['api.users', 'lists users', 'passed', undefined, 0.75],
      ['api.users', 'creates a user', 'failed', 'expected 201, got 500', 0.45]
    ])
    expect(report.cases[2].details).toBe('POST /users returned 500')
  })

  it('takes details from system-err when the failure has no text', () => {
    const xml = `<testsuite name="s"><testcase name="t" time="1,234.5"><error message="boom"/>
      <system-err>stack here</system-err></testcase></testsuite>`
    expect(parseJUnit(xml, 'r.xml').cases).toEqual([
      {
        suite: 's',
        name: 't',
        seconds: 1234.5,
        status: 'error',
        message: 'boom',
        details: 'stack here'
      }
    ])
  })

  it('reads an empty testsuites as a report without cases', () => {
    expect(parseJUnit('<testsuites/>', 'empty.xml')).toEqual({ file: 'empty.xml', cases: [] })
  })

  it('rejects malformed XML with the line and column', async () => {
    const xml = await readFile(join(FIXTURES, 'malformed.xml'), 'utf8')
    const error = errorOf(() => parseJUnit(xml, 'reports/malformed.xml'))
    expect(error).toMatchObject({ file: 'reports/malformed.xml', line: 5, column: 3 })
    expect(error.message).toBe(
      "reports/malformed.xml:5:3: malformed XML: Expected closing tag 'testcase' (opened in line 4, col 5) instead of closing tag 'testsuite'."
    )
  })

  it('rejects a document that is not JUnit, pointing at its root element', async () => {
    const xml = await readFile(join(FIXTURES, 'not-junit.xml'), 'utf8')
    const error = errorOf(() => parseJUnit(xml, 'out.xml'))
    expect(error.message).toBe(
      'out.xml:2:1: not a JUnit report: root element <html>; expected <testsuites> or <testsuite>'
    )
  })
})

describe('locate', () => {
  it.each([
    [
      'a Java frame of an inner class of the test class, after library frames',
      {
        classname: 'com.foo.MathTest',
        details:
          'java.lang.AssertionError\n\tat org.junit.Assert.fail(Assert.java:89)\n\tat com.foo.MathTest$Nested.adds(MathTest.java:42)'
      },
      { file: 'com/foo/MathTest.java', line: 42 }
    ],
    [
      'no frame of the test class',
      { classname: 'com.foo.MathTest', details: '\tat org.junit.Assert.fail(Assert.java:89)' },
      {}
    ],
    [
      'a file without failure text keeps its line',
      { file: 'a.spec.ts', line: 3 },
      { file: 'a.spec.ts', line: 3 }
    ],
    [
      'a file whose name is only a suffix of a frame is not matched',
      { file: 'a.js', line: 3, details: 'at x (/src/data.js:9:1)' },
      { file: 'a.js', line: 3 }
    ],
    [
      'a pytest traceback line of another module',
      { classname: 'tests.test_api', details: 'lib/http.py:88: ConnectionError' },
      {}
    ]
  ])('%s', (_title, hints, expected) => {
    expect(locate(hints)).toEqual(expected)
  })
})

describe('testId', () => {
  it.each([
    [{ classname: 'test_shop', name: 'test_pays' }, 'test_shop.test_pays'],
    [{ classname: 'checkout adds', name: 'checkout adds' }, 'checkout adds'],
    [{ name: 'TestOne' }, 'TestOne']
  ])('%j → %s', (names, id) => {
    const test: TestCase = { suite: 's', seconds: 0, status: 'passed', ...names }
    expect(testId(test)).toBe(id)
  })
})

describe('readReports', () => {
  it('reads the files globs match, relative to the directory, honouring exclusions', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'junit-read-'))
    try {
      await mkdir(join(dir, 'out', 'unit'), { recursive: true })
      await writeFile(
        join(dir, 'out', 'b.xml'),
        '<testsuite name="b"><testcase name="x"/></testsuite>'
      )
      await writeFile(join(dir, 'out', 'unit', 'a.xml'), '<testsuites/>')
      await writeFile(join(dir, 'out', 'skip.xml'), '<html/>')
      const reports = await readReports(['out/**/*.xml', '!out/skip.xml'], dir)
      expect(reports.map((report) => [report.file, report.cases.length])).toEqual([
        ['out/b.xml', 1],
        ['out/unit/a.xml', 0]
      ])
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('names the patterns when nothing matches', async () => {
    await expect(readReports(['reports/*.xml', 'junit.xml'], FIXTURES)).rejects.toThrow(
      `'reports/*.xml', 'junit.xml': no report file matches in ${FIXTURES}`
    )
  })

  it('names the report file of a malformed one', async () => {
    await expect(readReports(['malformed.xml'], FIXTURES)).rejects.toThrow(
      /^malformed\.xml:5:3: malformed XML/
    )
  })
})
