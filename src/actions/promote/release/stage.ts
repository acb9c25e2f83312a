import * as core from '@actions/core'
import { verifyEvidence, describeVerdict } from '../../../evidence/index.js'
import {
  copyImage,
  registryClient,
  TagWriteError,
  type RegistryClient
} from '../../../registry/index.js'
import { later } from '../../../retry/index.js'
import { stageDeadline } from './deadline.js'
import type { ReleaseInputs } from './inputs.js'
import * as release from './steps.js'

/**
 * stage release: resolve the source digest → evidence → copy by digest → tags → outputs, all of it
 * within `timeout`.
 */
export async function promoteRelease(inputs: ReleaseInputs): Promise<void> {
  const deadline = stageDeadline(inputs.stage, inputs.timeoutMs)
  const client = registryClient(
    [
      [inputs.source.registry, inputs.sourceCredentials],
      [inputs.destination.registry, inputs.destinationCredentials]
    ],
    inputs.insecureRegistries,
    { signal: deadline.signal }
  )
  let tagged = false
  const left = (failure: unknown): string => {
    const tagWrite = tagWriteOf(failure)
    if (tagWrite) return `tags: ${tagWrite.states.join('; ')}`
    if (tagged) return `the tags were written: ${inputs.tags.join(', ')}`
    return 'no tag was written'
  }
  try {
    await deadline.run(client, () => copyRelease(client, inputs, () => (tagged = true)), left)
  } finally {
    await client.close()
  }
}

async function copyRelease(
  client: RegistryClient,
  inputs: ReleaseInputs,
  onTagged: () => void
): Promise<void> {
  // A read of the destination, asked while the source is resolved and its evidence checked;
  // its failure, if any, is reported only after theirs.
  const previousAsked = later(release.previousImage(client, inputs))
  const source = await core.group('Resolve the source', () =>
    release.resolveSource(client, inputs.source)
  )
  const trust = inputs.trust
  if (inputs.requireEvidence.length > 0 && trust) {
    await core.group('Verify the evidence', async () => {
      const verdict = await verifyEvidence(client, source, inputs.requireEvidence, trust)
      const sentence = describeVerdict(release.pinned(source), verdict)
      if (!verdict.ok) throw new Error(`Refusing to promote: ${sentence}`)
      core.info(sentence)
    })
  }
  const previous = await previousAsked
  const result = await core.group(inputs.dryRun ? 'Plan the copy (dry run)' : 'Copy', () =>
    copyImage(client, source, inputs.destination, {
      tags: [...inputs.tags],
      dryRun: inputs.dryRun,
      log: (line) => core.info(line),
      onTagged
    })
  )
  core.info(release.describeCopy(result, inputs.dryRun))
  core.setOutput('digest', result.digest)
  core.setOutput('image', result.pinned)
  core.setOutput('tags', release.fullTags(inputs, result).join('\n'))
  core.setOutput('stage', inputs.stage)
  core.setOutput('previous-image', previous ?? '')
  core.setOutput('copied', JSON.stringify({ ...result.copied, referrers: result.referrers.length }))
  await release.writeReleaseSummary(inputs, result, previous)
}

/** The TagWriteError in a failure's causes, if the failure came from writing tags. */
function tagWriteOf(failure: unknown): TagWriteError | undefined {
  for (let e = failure, depth = 0; e && depth < 4; depth++) {
    if (e instanceof TagWriteError) return e
    e = (e as { cause?: unknown }).cause
  }
  return undefined
}
