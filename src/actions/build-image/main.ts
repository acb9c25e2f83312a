import * as core from '@actions/core'
import { messageOf } from '../../action/errors.js'
import { computeMetadata, readGitHubContext, selectBuilder } from '../../build/index.js'
import { RegistryClient, repositoryName } from '../../registry/index.js'
import { readInputs } from './inputs.js'
import { checkPushAccess, readBack } from './pushed.js'
import { buildSpec, metadataOutput, writeBuildSummary } from './report.js'

/** build-image: inputs → tags and labels → registry pre-flight → build and push → digest read back. */
export async function run(): Promise<void> {
  try {
    const inputs = readInputs()
    const meta = computeMetadata({
      context: readGitHubContext(),
      image: repositoryName(inputs.image),
      tags: inputs.tags,
      labels: inputs.labels,
      now: new Date()
    })
    core.info(`Tags: ${meta.tags.join(', ')}`)
    const client = new RegistryClient({
      credentials: inputs.credentials && { [inputs.image.registry]: inputs.credentials },
      insecure: [...inputs.insecureRegistries]
    })
    try {
      if (inputs.push)
        await core.group('Check the registry', () => checkPushAccess(client, meta.tags))
      const builder = await selectBuilder(inputs.builder)
      const started = Date.now()
      const built = await core.group(`Build with ${builder.name}`, () =>
        builder.build(buildSpec(inputs, meta))
      )
      const buildSeconds = (Date.now() - started) / 1000
      const pushed = inputs.push
        ? await core.group('Read the digest back', () => readBack(client, meta.tags, built.digest))
        : undefined
      const metadata = metadataOutput({
        inputs,
        meta,
        builder: builder.name,
        built,
        pushed,
        buildSeconds
      })
      core.setOutput('digest', pushed?.digest ?? '')
      core.setOutput('image', pushed?.pinned ?? meta.tags[0])
      core.setOutput('tags', meta.tags.join('\n'))
      core.setOutput('metadata', JSON.stringify(metadata))
      await writeBuildSummary(metadata)
    } finally {
      await client.close()
    }
  } catch (error) {
    core.setFailed(messageOf(error))
  }
}
