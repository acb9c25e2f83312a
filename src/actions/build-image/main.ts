import * as core from '@actions/core'
import { messageOf } from '../../action/errors.js'
import { buildSpec, readInputs } from './inputs.js'
import { attachProvenance, readProvenance } from './provenance.js'

/** build-image: inputs → tags and labels → registry pre-flight → build and push → digest read back. */
export async function run(): Promise<void> {
  try {
    const inputs = readInputs()
    const provenance = readProvenance()
    // Loaded only once the inputs are good: a bad input fails without compiling the HTTP client.
    // the context module alone: github/index.js would also load the REST client
    const [{ readGitHubContext }, { computeMetadata, selectBuilder }, registry, pushed, report] =
      await Promise.all([
        import('../../github/context.js'),
        import('../../image-build/index.js'),
        import('../../registry/index.js'),
        import('./pushed.js'),
        import('./report.js')
      ])
    const { registryClient, repositoryName } = registry
    const { checkCaches, checkPushAccess, readBack } = pushed
    const { metadataOutput, writeBuildSummary } = report
    const github = readGitHubContext()
    const meta = computeMetadata({
      context: github,
      image: repositoryName(inputs.image),
      tags: inputs.tags,
      rules: inputs.rules,
      labels: inputs.labels,
      now: new Date()
    })
    core.info(`Tags: ${meta.tags.join(', ')}`)
    const client = registryClient(
      [[inputs.image.registry, inputs.credentials]],
      inputs.insecureRegistries
    )
    try {
      // the builder probe (`docker version` under auto) and the registry check run side by side
      const [builder, , cacheWarnings] = await Promise.all([
        selectBuilder(inputs.builder),
        inputs.push && core.group('Check the registry', () => checkPushAccess(client, meta.tags)),
        checkCaches(client, inputs.cacheFrom)
      ])
      const started = Date.now()
      const built = await core.group(`Build with ${builder.name}`, () =>
        builder.build(buildSpec(inputs, meta))
      )
      const buildSeconds = (Date.now() - started) / 1000
      const pushed = inputs.push
        ? await core.group('Read the digest back', () => readBack(client, meta.tags, built.digest))
        : undefined
      if (pushed && provenance) {
        const digest = pushed.digest as `sha256:${string}`
        await core.group('Attach the provenance', () =>
          attachProvenance(client, provenance, {
            inputs,
            context: github,
            digest,
            builder: builder.name,
            startedOn: new Date(started)
          })
        )
      }
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
      await writeBuildSummary(metadata, {
        ...built,
        cacheWarnings: [...cacheWarnings, ...(built.cacheWarnings ?? [])]
      })
    } finally {
      await client.close()
    }
  } catch (error) {
    core.setFailed(messageOf(error))
  }
}
