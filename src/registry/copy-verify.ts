/**
 * The check after a copy: the destination's tags, manifest, platforms and referrers against what
 * was read from the source.
 */
import type { RegistryClient } from './client.js'
import { missingReferrers, platformsOf } from './copy-plan.js'
import { RegistryError } from './errors.js'
import type { Digest, ImageRef } from './reference.js'

/**
 * Checks the destination: each tag's digest, the platforms (from the config `configDigest`, for
 * an image), and the referrers of each subject, all at once; the first failing check, in that
 * order, is the error.
 */
export async function verifyCopy(
  client: RegistryClient,
  image: ImageRef & { digest: Digest },
  tags: readonly string[],
  platforms: readonly string[],
  subjects: ReadonlyMap<Digest, readonly Digest[]>,
  configDigest?: Digest
): Promise<void> {
  const fail = (what: string) =>
    new RegistryError({
      server: image.registry,
      operation: 'verify copy',
      code: 'VERIFY_FAILED',
      message: `registry ${image.registry}: after the copy, ${what}`
    })
  const repo = { registry: image.registry, repository: image.repository }
  const checks = [
    ...tags.map(async (tag) => {
      const found = await client.resolveDigest({ ...repo, tag })
      if (found !== image.digest) throw fail(`tag ${tag} points at ${found}, not ${image.digest}`)
    }),
    (async () => {
      // The manifest read is checked against the digest, so it names the source's config: the
      // config is read at the same time.
      const early = configDigest && client.fetchBlob(image, configDigest)
      // Awaited below, or unwanted when the manifest read fails.
      early?.catch(() => undefined)
      const copied = await client.getManifest(image)
      const named = copied.kind === 'image' ? copied.manifest.config.digest : undefined
      const config =
        named === undefined
          ? undefined
          : await (named === configDigest && early ? early : client.fetchBlob(image, named))
      const there = platformsOf(copied, config)
      if (there.join(',') !== platforms.join(',')) {
        throw fail(`the platforms are ${there.join(', ') || 'none'}, not ${platforms.join(', ')}`)
      }
    })(),
    ...[...subjects].map(async ([subject, wanted]) => {
      const listed = await client.listReferrers({ ...image, digest: subject })
      const missing = missingReferrers(
        wanted,
        listed.map((d) => d.digest)
      )
      if (missing.length > 0) throw fail(`${subject} lacks the referrers ${missing.join(', ')}`)
    })
  ]
  const failed = (await Promise.allSettled(checks)).find((c) => c.status === 'rejected')
  if (failed) throw failed.reason
}
