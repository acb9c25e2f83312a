/**
 * The SLSA provenance v1 statement (https://slsa.dev/spec/v1.0/provenance) build-image attaches to
 * the digest it pushed: who built it (the workflow run), from what (the source commit, the
 * Dockerfile, the build arguments) and on what (the base images, with the digests resolved).
 */
import type { Digest } from '../registry/index.js'
import { statementAbout, type Statement } from './statement.js'

/** The predicateType of SLSA provenance v1. */
export const SLSA_PROVENANCE_V1 = 'https://slsa.dev/provenance/v1'
/** Our buildType: what externalParameters mean. */
export const BUILD_TYPE = 'https://rollout-kit.dev/build-image/v1'

/** What a build-image run knows about what it built. */
export interface BuildFacts {
  /** `registry/repository` of the image. */
  readonly name: string
  readonly digest: Digest
  /** The workflow run's URL: the builder id and invocation id. */
  readonly runUrl: string
  /** `https://github.com/<owner>/<repo>` and the commit and ref built. */
  readonly repositoryUrl: string
  readonly commit: string
  readonly ref: string
  /** The Dockerfile and context, relative to the workspace. */
  readonly dockerfile: string
  readonly context: string
  readonly target?: string
  readonly platforms: readonly string[]
  readonly buildArgs: readonly (readonly [string, string])[]
  /** The base images, each with the digest it resolved to when it could be resolved. */
  readonly baseImages: readonly { readonly ref: string; readonly digest?: string }[]
  readonly builder: string
  readonly startedOn: Date
  readonly finishedOn: Date
}

/** The in-toto statement with the SLSA provenance v1 predicate of a build. */
export function provenanceStatement(facts: BuildFacts): Statement {
  const source = facts.repositoryUrl
    ? [
        {
          uri: `git+${facts.repositoryUrl}@${facts.ref}`,
          digest: { gitCommit: facts.commit }
        }
      ]
    : []
  const bases = facts.baseImages.map((b) => ({
    uri: `pkg:docker/${b.ref}`,
    ...(b.digest ? { digest: { sha256: b.digest.replace(/^sha256:/, '') } } : {})
  }))
  return statementAbout(facts.name, facts.digest, SLSA_PROVENANCE_V1, {
    buildDefinition: {
      buildType: BUILD_TYPE,
      externalParameters: {
        dockerfile: facts.dockerfile,
        context: facts.context,
        ...(facts.target ? { target: facts.target } : {}),
        platforms: [...facts.platforms],
        buildArgs: Object.fromEntries(facts.buildArgs)
      },
      internalParameters: { builder: facts.builder },
      resolvedDependencies: [...source, ...bases]
    },
    runDetails: {
      builder: { id: facts.runUrl || 'local' },
      metadata: {
        invocationId: facts.runUrl || 'local',
        startedOn: facts.startedOn.toISOString(),
        finishedOn: facts.finishedOn.toISOString()
      }
    }
  })
}
