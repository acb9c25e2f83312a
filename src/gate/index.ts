/** Gates on an image: integration test reports and HTTP smoke checks, decided in the job. */

/** JUnit XML reports of any common dialect, read into test cases with file and line. */
export { parseJUnit, readReports, ReportError, testId } from './junit.js'
/** A test case and the report it came from. */
export type { TestCase, TestReport } from './junit.js'
/** Runs the test command, reads its reports and decides with the tolerance and quarantine. */
export { runTestsGate } from './tests.js'
/** What the tests gate was asked and what it decided. */
export type { TestsGateOptions, TestsOutcome } from './tests.js'
/** A shell command run in its own process group, killed with it at the timeout. */
export { runCommand, type CommandOptions, type CommandResult } from './command.js'
/** HTTP smoke checks: parsed from the `checks` YAML, run concurrently with retries. */
export { parseChecks, runHttpChecks, DEFAULT_RETRIES, DEFAULT_TIMEOUT_MS } from './http.js'
/** A check, its result, and how checks are run. */
export type { HttpCheck, CheckResult, HttpCheckOptions } from './http.js'
