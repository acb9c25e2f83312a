import * as core from '@actions/core'
import { messageOf } from '../../action/errors.js'
import { code, escapeHtml, writeSummary } from '../../action/summary.js'
import { NO_SIGNING, writeEvidence } from '../../evidence/index.js'
import { runContext, setCommitStatus } from '../../github/index.js'
import { pinnedReference, registryClient, type ImageRef } from '../../registry/index.js'
import type { GateInputs } from './inputs.js'
import { analysisOutcome } from './analysis.js'
import { httpOutcome, testsOutcome, type GateOutcome } from './outcome.js'

/**
 * Runs the gate, then makes its decision travel: outputs first (so that `if:` conditions see them
 * even when the step fails), evidence on the image digest, a commit status, the job summary; a
 * decision other than pass fails the step.
 */
export async function runGate(inputs: GateInputs): Promise<void> {
  const outcome = await outcomeOf(inputs)
  core.setOutput('decision', outcome.decision)
  core.setOutput('score', String(outcome.score))
  core.setOutput('report', JSON.stringify(outcome.report))
  core.info(
    `${inputs.evidenceKind}: ${outcome.decision} (score ${outcome.score}): ${outcome.reason}`
  )

  const github = runContext()
  const evidence = await recordEvidence(inputs, outcome, github)
  core.setOutput('evidence', evidence ?? '')
  await reportStatus(inputs, outcome, github)
  await summarise(inputs, outcome, evidence)
  if (outcome.decision !== 'pass')
    core.setFailed(`Gate ${inputs.evidenceKind} failed: ${outcome.reason}`)
}

/** Runs the mode's gate, in a log group of its own. */
function outcomeOf(inputs: GateInputs): Promise<GateOutcome> {
  switch (inputs.mode) {
    case 'tests':
      return core.group('Run the integration tests', () => testsOutcome(inputs))
    case 'http':
      return core.group('HTTP checks', () => httpOutcome(inputs))
    case 'analysis':
      return core.group('Canary analysis', () => analysisOutcome(inputs))
  }
}

/** Writes the decision on the image digest; without a digest there is nothing to write it on. */
async function recordEvidence(
  inputs: GateInputs,
  outcome: GateOutcome,
  github: { sha: string; runUrl: string }
): Promise<string | undefined> {
  const image = inputs.image
  if (!image?.digest) {
    core.info(
      image
        ? `No evidence written: ${image.registry}/${image.repository} has no digest (give repository@sha256:…)`
        : 'No evidence written: no `image` given'
    )
    return undefined
  }
  const signing = inputs.signing
  if (!signing) {
    core.info(`No evidence written: ${NO_SIGNING}`)
    return undefined
  }
  const client = registryClient(
    [[image.registry, inputs.registryCredentials]],
    inputs.insecureRegistries
  )
  try {
    const stored = await core.group('Write the evidence', () =>
      writeEvidence(
        client,
        image,
        {
          kind: inputs.evidenceKind,
          decision: outcome.decision,
          score: outcome.score,
          summary: outcome.reason.slice(0, 500),
          ...(github.runUrl ? { runUrl: github.runUrl } : {}),
          ...(github.sha ? { commit: github.sha } : {}),
          details: outcome.details
        },
        signing
      )
    )
    return stored.digest
  } finally {
    await client.close()
  }
}

/** A commit status with the decision, when a token is given; its failure is only a warning. */
async function reportStatus(
  inputs: GateInputs,
  outcome: GateOutcome,
  github: { sha: string; repository: string; runUrl: string; apiUrl: string }
): Promise<void> {
  if (!inputs.githubToken) return
  if (!github.sha || !github.repository) {
    core.warning('No commit status set: GITHUB_SHA or GITHUB_REPOSITORY is not set')
    return
  }
  try {
    await setCommitStatus({
      token: inputs.githubToken,
      apiUrl: github.apiUrl,
      repository: github.repository,
      sha: github.sha,
      state: ({ pass: 'success', fail: 'failure', inconclusive: 'error' } as const)[
        outcome.decision
      ],
      context: inputs.statusContext,
      description: `${outcome.decision}: ${outcome.reason}`,
      targetUrl: github.runUrl
    })
  } catch (error) {
    core.warning(`Could not set the commit status ${inputs.statusContext}: ${messageOf(error)}`)
  }
}

async function summarise(
  inputs: GateInputs,
  outcome: GateOutcome,
  evidence: string | undefined
): Promise<void> {
  const image: ImageRef | undefined = inputs.image
  const imageText = image?.digest ? pinnedReference(image, image.digest) : undefined
  await writeSummary(
    `canary-gate ${inputs.evidenceKind}: ${outcome.decision}`,
    [
      ['decision', `<strong>${outcome.decision}</strong> (score ${outcome.score})`],
      ['why', escapeHtml(outcome.reason)],
      ...(imageText ? [['image', code(imageText)] as const] : []),
      ...(inputs.environmentUrl ? [['environment', code(inputs.environmentUrl)] as const] : []),
      ...outcome.rows,
      ['evidence', evidence ? code(evidence) : '—']
    ],
    outcome.notes
  )
}
