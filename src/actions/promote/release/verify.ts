/**
 * stage verify: what a release checks before it copies, for anyone who wants the answer without a
 * copy (a deploy job, an auditor, a dispatch that asks "may this digest go?"). It resolves `source`,
 * verifies every evidence record on the digest under the same trust rules as `require-evidence`,
 * outputs the newest accepted record of each required kind, and fails exactly when a release would
 * refuse. It writes nothing to any registry or cluster, and stops within `timeout`.
 */
import * as core from '@actions/core'
import { describeVerdict, verifyEvidence, type EvidenceVerdict } from '../../../evidence/index.js'
import { registryClient, type RegistryClient } from '../../../registry/index.js'
import { code, writeSummary } from '../../../action/summary.js'
import { stageDeadline } from './deadline.js'
import type { VerifyInputs } from './inputs.js'
import * as release from './steps.js'

/** One accepted record, as the `evidence` output lists it. */
interface AcceptedRecord {
  readonly kind: string
  readonly decision: string
  readonly time: string
  readonly runUrl?: string
  readonly referrer: string
}

export async function verifyStage(inputs: VerifyInputs): Promise<void> {
  const deadline = stageDeadline(inputs.stage, inputs.timeoutMs)
  const client = registryClient(
    [[inputs.source.registry, inputs.sourceCredentials]],
    inputs.insecureRegistries,
    { signal: deadline.signal }
  )
  try {
    await deadline.run(client, () => verify(client, inputs))
  } finally {
    await client.close()
  }
}

async function verify(client: RegistryClient, inputs: VerifyInputs): Promise<void> {
  const source = await core.group('Resolve the source', () =>
    release.resolveSource(client, inputs.source)
  )
  const image = release.pinned(source)
  const verdict = await core.group('Verify the evidence', () =>
    verifyEvidence(client, source, inputs.requireEvidence, inputs.trust)
  )
  const sentence = describeVerdict(image, verdict)
  core.setOutput('digest', source.digest)
  core.setOutput('image', image)
  core.setOutput('stage', inputs.stage)
  core.setOutput('evidence', JSON.stringify(acceptedRecords(verdict)))
  await writeVerifySummary(image, inputs, verdict)
  if (!verdict.ok) throw new Error(`Evidence does not allow a release: ${sentence}`)
  core.info(sentence)
}

function acceptedRecords(verdict: EvidenceVerdict): AcceptedRecord[] {
  return verdict.newest.map((s) => ({
    kind: s.kind ?? '',
    decision: s.record?.decision ?? '',
    time: s.time ?? '',
    ...(s.record?.runUrl ? { runUrl: s.record.runUrl } : {}),
    referrer: s.digest
  }))
}

async function writeVerifySummary(
  image: string,
  inputs: VerifyInputs,
  verdict: EvidenceVerdict
): Promise<void> {
  const rows: [string, string][] = [
    ['image', code(image)],
    ['evidence required', inputs.requireEvidence.join(', ')],
    ...verdict.missing.map((kind): [string, string] => [kind, 'no accepted record']),
    ...verdict.newest.map((s): [string, string] => [
      s.kind ?? '',
      `${s.record?.decision} at ${s.time}${s.record?.runUrl ? ` by ${s.record.runUrl}` : ''}`
    ]),
    ['records seen', String(verdict.seen.length)]
  ]
  await writeSummary(verdict.ok ? 'Evidence verified' : 'Evidence refused', rows, [])
}
