import { bytes, code, writeSummary } from '../../action/summary.js'
import type { BuildResult, ImageMetadata } from '../../image-build/index.js'
import type { BuildImageInputs } from './inputs.js'
import type { PushedImage } from './pushed.js'

/** The `metadata` output: everything a later step may want to know about the image. */
export interface BuildMetadata {
  readonly image: string
  readonly digest: string | null
  readonly pinned: string | null
  readonly tags: readonly string[]
  readonly version: string
  readonly labels: Readonly<Record<string, string>>
  readonly platforms: readonly string[]
  readonly mediaType: string | null
  readonly size: number | null
  readonly builder: string
  readonly imageId: string | null
  readonly buildSeconds: number
}

/** Assembles the `metadata` output. */
export function metadataOutput(parts: {
  inputs: BuildImageInputs
  meta: ImageMetadata
  builder: string
  built: BuildResult
  pushed: PushedImage | undefined
  buildSeconds: number
}): BuildMetadata {
  const { inputs, meta, pushed } = parts
  return {
    image: meta.tags[0].slice(0, meta.tags[0].lastIndexOf(':')),
    digest: pushed?.digest ?? null,
    pinned: pushed?.pinned ?? null,
    tags: meta.tags,
    version: meta.version,
    labels: meta.labels,
    platforms: pushed?.platforms.length ? pushed.platforms : inputs.platforms,
    mediaType: pushed?.mediaType ?? null,
    size: pushed?.size ?? null,
    builder: parts.builder,
    imageId: parts.built.imageId ?? null,
    buildSeconds: Math.round(parts.buildSeconds * 10) / 10
  }
}

/** The job summary: image, digest, tags, size, build time, which layers came from the cache. */
export async function writeBuildSummary(m: BuildMetadata, built?: BuildResult): Promise<void> {
  const steps = built?.steps ?? []
  const reused = steps.filter((s) => s.layer !== 'built')
  const where = { built: 'built', cache: 'local cache', remote: 'cache repository' } as const
  const cacheRows =
    steps.length === 0
      ? []
      : ([
          [
            'layers from the cache',
            `${reused.length} of ${steps.length} steps<br>${steps
              .map((s) => `${s.step} ${code(s.instruction.slice(0, 80))}: ${where[s.layer]}`)
              .join('<br>')}`
          ]
        ] as const)
  await writeSummary(
    m.digest ? 'Image built and pushed' : 'Image built (not pushed)',
    [
      ['image', code(m.pinned ?? m.image)],
      ['digest', m.digest ? code(m.digest) : 'not pushed'],
      ['tags', m.tags.map(code).join('<br>')],
      ['platforms', m.platforms.length ? m.platforms.join(', ') : 'the runner’s'],
      ['size (compressed)', m.size === null ? '—' : bytes(m.size)],
      ['builder', m.builder],
      ['build time', `${m.buildSeconds} s`],
      ...cacheRows
    ],
    [...(built?.cacheWarnings ?? [])]
  )
}
