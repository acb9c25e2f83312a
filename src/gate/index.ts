/**
 * Gates on an image, decided in the job: integration tests judged from their JUnit reports
 * (tests/), HTTP smoke checks (http/), and canary analysis against Prometheus (analysis/: sampling,
 * Mann-Whitney, the judge that classifies each metric and scores them). yaml-input.ts reads the
 * YAML inputs of the last two with line numbers.
 */

/** JUnit XML reports of any common dialect, read into test cases with file and line. */
export { parseJUnit, readReports, ReportError, testId } from './tests/junit.js'
/** A test case and the report it came from. */
export type { TestCase, TestReport } from './tests/junit.js'
/** Runs the test command, reads its reports and decides with the tolerance and quarantine. */
export { runTestsGate } from './tests/run.js'
/** What the tests gate was asked and what it decided. */
export type { TestsGateOptions, TestsOutcome } from './tests/run.js'
/** A shell command run in its own process group, killed with it at the timeout. */
export { runCommand, type CommandOptions, type CommandResult } from './tests/command.js'
/** HTTP smoke checks: parsed from the `checks` YAML, run concurrently with retries. */
export { parseChecks, runHttpChecks, DEFAULT_RETRIES, DEFAULT_TIMEOUT_MS } from './http/run.js'
/** A check, its result, and how checks are run. */
export type { HttpCheck, CheckResult, HttpCheckOptions } from './http/run.js'
/** The `metrics` input of canary analysis, and the queries for a selector. */
export {
  parseMetrics,
  queryFor,
  parseSelector,
  parseThresholds,
  parseWindow
} from './analysis/metrics-input.js'
/** One metric of an analysis. */
export type { MetricSpec } from './analysis/metrics-input.js'
/** A metric's classification (pass, high, low, nodata) and the weighted score of all. */
export { classify, score, MIN_SAMPLES } from './analysis/judge.js'
/** A metric's verdict and the scored decision. */
export type { Classification, MetricVerdict, Score } from './analysis/judge.js'
/** The Mann-Whitney U test with the Hodges–Lehmann shift and its interval; IQR outlier removal. */
export { mannWhitney, removeOutliers, type MannWhitneyResult } from './analysis/mann-whitney.js'
/** Instant queries of Prometheus's HTTP API, failing with the server, the query and the status. */
export { instantQuery, PrometheusError, type QueryOptions } from './analysis/prometheus.js'
/** The job summary's chart of a metric's canary and baseline over the rounds, and their table. */
export { metricRoundsMarkdown, MAX_POINTS } from './analysis/round-chart.js'
/** One metric's rounds, as the chart takes them. */
export type { MetricRound, MetricRounds } from './analysis/round-chart.js'
/** Canary and baseline queries sampled at the end of every interval for a duration. */
export { sample } from './analysis/sampling.js'
/** What is sampled and what came back. */
export type {
  Sample,
  SampledQuery,
  SampledValues,
  SamplingOptions,
  SamplingResult
} from './analysis/sampling.js'
