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
/** The `metrics` input of canary analysis, and the queries for a selector. */
export {
  parseMetrics,
  queryFor,
  parseSelector,
  parseThresholds,
  parseWindow
} from './analysis-config.js'
/** One metric of an analysis. */
export type { MetricSpec } from './analysis-config.js'
/** A metric's classification (pass, high, low, nodata) and the weighted score of all. */
export { classify, score, MIN_SAMPLES } from './judge.js'
/** A metric's verdict and the scored decision. */
export type { Classification, MetricVerdict, Score } from './judge.js'
/** The Mann-Whitney U test with the Hodges–Lehmann shift and its interval; IQR outlier removal. */
export { mannWhitney, removeOutliers, type MannWhitneyResult } from './mann-whitney.js'
/** Instant queries of Prometheus's HTTP API, failing with the server, the query and the status. */
export { instantQuery, PrometheusError, type QueryOptions } from './prometheus.js'
/** Canary and baseline queries sampled at the end of every interval for a duration. */
export { sample } from './sampling.js'
/** What is sampled and what came back. */
export type {
  Sample,
  SampledQuery,
  SampledValues,
  SamplingOptions,
  SamplingResult
} from './sampling.js'
