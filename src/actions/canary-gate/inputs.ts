import * as core from '@actions/core'
import { InputError } from '../../action/errors.js'
import * as input from '../../action/inputs.js'
import { isEvidenceKind, readSigning, type SigningConfig } from '../../evidence/index.js'
import {
  parseChecks,
  parseMetrics,
  parseSelector,
  parseThresholds,
  parseWindow,
  type HttpCheck,
  type MetricSpec
} from '../../gate/index.js'
import type { ImageRef } from '../../registry/index.js'
import { referenceInput } from '../shared/inputs.js'

/** What every mode shares. */
interface CommonInputs {
  /** The image the decision is about; evidence is written only when it has a digest. */
  readonly image?: ImageRef
  readonly environmentUrl?: string
  readonly evidenceKind: string
  readonly timeoutMs: number
  readonly githubToken?: string
  readonly statusContext: string
  readonly registryCredentials?: { readonly username: string; readonly password: string }
  readonly insecureRegistries: readonly string[]
  /** How the decision is signed; undefined when no signing is possible (no evidence is written). */
  readonly signing?: SigningConfig
}

/** `mode: tests`. */
export interface TestsInputs extends CommonInputs {
  readonly mode: 'tests'
  readonly command?: string
  readonly workingDirectory: string
  readonly reports: readonly string[]
  readonly allowedFailures: number
  readonly quarantine: readonly string[]
}

/** `mode: http`. */
export interface HttpInputs extends CommonInputs {
  readonly mode: 'http'
  readonly checks: readonly HttpCheck[]
}

/** `mode: analysis`. */
export interface AnalysisInputs extends CommonInputs {
  readonly mode: 'analysis'
  readonly prometheusUrl: string
  readonly metrics: readonly MetricSpec[]
  readonly intervalMs: number
  readonly durationMs: number
  readonly canarySelector: string
  readonly baselineSelector: string
  readonly marginal: number
  readonly pass: number
  /** Headers for every Prometheus query: Authorization (token or basic), and `prometheus-headers`. */
  readonly prometheusHeaders: Readonly<Record<string, string>>
  /** `prometheus-ca`: CA certificates (PEM) trusted for the Prometheus URL besides the system roots. */
  readonly prometheusCa?: string
}

export type GateInputs = TestsInputs | HttpInputs | AnalysisInputs

/** Reads and checks canary-gate's inputs; throws one InputError for the first bad one. */
export function readInputs(): GateInputs {
  const mode = input.oneOf('mode', ['tests', 'http', 'analysis'] as const, 'tests')
  const common = commonInputs(mode)
  if (mode === 'analysis') return { ...common, mode, ...analysisInputs() }
  if (mode === 'http') {
    const text = input.required('checks')
    return { ...common, mode, checks: parseChecks(text) }
  }
  const reports = input.list('reports')
  if (reports.length === 0) {
    throw new InputError('reports', '', 'JUnit XML files or globs, one per line (mode tests)')
  }
  return {
    ...common,
    mode,
    command: input.text('command') || undefined,
    workingDirectory: input.text('working-directory') || '.',
    reports,
    allowedFailures: input.integer('allowed-failures', { min: 0 }, 0),
    quarantine: input.list('quarantine')
  }
}

function analysisInputs(): Omit<AnalysisInputs, keyof CommonInputs | 'mode'> {
  const prometheusHeaders = prometheusHeadersInput()
  const prometheusUrl = input.httpUrl('prometheus-url', { required: true }) as string
  const prometheusCa = input.caCertificates('prometheus-ca')
  const metrics = parseMetrics(input.required('metrics'))
  const { intervalMs, durationMs } = parseWindow(
    input.text('interval') || '1m',
    input.text('duration') || '10m'
  )
  const canarySelector = parseSelector(input.required('canary-selector'), 'canary-selector')
  const needsBaseline = metrics.some((m) => m.kind === 'compare')
  const baselineText = needsBaseline
    ? input.required('baseline-selector')
    : input.text('baseline-selector')
  const baselineSelector = baselineText ? parseSelector(baselineText, 'baseline-selector') : ''
  const { marginal, pass } = parseThresholds(input.text('marginal'), input.text('pass'))
  return {
    prometheusUrl: prometheusUrl.replace(/\/+$/, ''),
    metrics,
    intervalMs,
    durationMs,
    canarySelector,
    baselineSelector,
    marginal,
    pass,
    prometheusHeaders,
    ...(prometheusCa !== undefined && { prometheusCa })
  }
}

/**
 * The headers of every Prometheus query: `prometheus-token` (a bearer token, e.g. Google Managed
 * Prometheus's access token) or `prometheus-username`/`prometheus-password` (basic), and
 * `prometheus-headers` (`Name: value` lines, e.g. a tenant id). Every value is masked.
 */
function prometheusHeadersInput(): Record<string, string> {
  const headers: Record<string, string> = {}
  for (const line of core.getInput('prometheus-headers').split('\n')) {
    if (line.trim() === '' || line.trim().startsWith('#')) continue
    const colon = line.indexOf(':')
    const name = colon > 0 ? line.slice(0, colon).trim() : ''
    const value = colon > 0 ? line.slice(colon + 1).trim() : ''
    if (value) core.setSecret(value)
    if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(name) || value === '') {
      throw new InputError(
        'prometheus-headers',
        name ? `${name}: …` : '(a line without a name)',
        'lines of the form Name: value'
      )
    }
    headers[name] = value
  }
  const token = input.secret('prometheus-token')
  const basic = input.credentialPair('prometheus')
  if (token && basic) {
    throw new InputError(
      'prometheus-token',
      '***',
      'empty when prometheus-username and prometheus-password are given (one way to authenticate)'
    )
  }
  if (token) headers.Authorization = `Bearer ${token}`
  if (basic) {
    const encoded = Buffer.from(`${basic.username}:${basic.password}`).toString('base64')
    core.setSecret(encoded)
    headers.Authorization = `Basic ${encoded}`
  }
  return headers
}

function commonInputs(mode: string): CommonInputs {
  const registryCredentials = input.credentialPair('registry')
  const githubToken = input.secret('github-token') || undefined
  const evidenceKind = input.text('evidence-kind') || mode
  if (!isEvidenceKind(evidenceKind)) {
    throw new InputError(
      'evidence-kind',
      evidenceKind,
      'lowercase letters, digits and -, starting with a letter'
    )
  }
  const timeoutMs = input.duration('timeout', '15m')
  if (timeoutMs <= 0) {
    throw new InputError('timeout', input.text('timeout'), 'a duration above zero, such as 10m')
  }
  return {
    image: image(),
    environmentUrl: input.text('environment-url') || undefined,
    evidenceKind,
    timeoutMs,
    githubToken,
    statusContext: input.text('status-context') || `rollout-kit/${evidenceKind}`,
    registryCredentials,
    insecureRegistries: input.list('insecure-registries', { commas: true }),
    signing: readSigning()
  }
}

function image(): ImageRef | undefined {
  const value = input.text('image')
  if (!value) return undefined
  return referenceInput('image', value, 'an image reference (repository@sha256:…)')
}
