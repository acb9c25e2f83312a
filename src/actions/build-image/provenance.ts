/**
 * build-image's provenance: the `provenance`, `signing-key`, `fulcio-url`, `tsa-url` and
 * `rekor-url` inputs, and the signed SLSA provenance v1 statement attached to the pushed digest as
 * an OCI referrer (the image index itself stays as built: no `unknown/unknown` entries). Kept apart
 * from the build so that the build's own inputs and steps stay as they are.
 */
import * as core from '@actions/core'
import { readFileSync } from 'node:fs'
import { relative } from 'node:path'
import { InputError } from '../../action/errors.js'
import * as input from '../../action/inputs.js'
import { NO_SIGNING, readSigning } from '../../evidence/inputs.js'
import type { SigningConfig } from '../../evidence/keys.js'
import type { GitHubContext } from '../../github/index.js'
import type { Digest, RegistryClient } from '../../registry/index.js'
import type { BuildImageInputs } from './inputs.js'

/** Whether and how provenance is signed; undefined when none is attached. */
export function readProvenance(): SigningConfig | undefined {
  const asked = input.text('provenance')
  if (asked && asked !== 'true' && asked !== 'false') {
    throw new InputError(
      'provenance',
      asked,
      'true, false, or empty (true when signing is possible)'
    )
  }
  const signing = readSigning()
  if (asked === 'true' && !signing)
    throw new InputError('provenance', asked, `false, as there is ${NO_SIGNING}`)
  if (asked === 'false') return undefined
  if (!signing && !asked) core.info(`No provenance: ${NO_SIGNING}`)
  return signing
}

/** Signs the provenance of `digest` and attaches it; returns the referrer's digest. */
export async function attachProvenance(
  client: RegistryClient,
  signing: SigningConfig,
  run: {
    readonly inputs: BuildImageInputs
    readonly context: GitHubContext
    readonly digest: Digest
    readonly builder: string
    readonly startedOn: Date
  }
): Promise<Digest> {
  const { attachStatement, provenanceStatement } = await import('../../evidence/index.js')
  const { baseImages } = await import('../../image-build/dockerfile.js')
  const { inputs, context, digest } = run
  const workspace = process.env.GITHUB_WORKSPACE || process.cwd()
  const bases = await Promise.all(
    baseImages(readFileSync(inputs.file, 'utf8'), inputs.buildArgs).map(async (ref) => ({
      ref,
      digest: await resolveBase(client, ref)
    }))
  )
  const image = { ...inputs.image, digest }
  const statement = provenanceStatement({
    name: `${inputs.image.registry}/${inputs.image.repository}`,
    digest,
    runUrl: context.runUrl,
    repositoryUrl: context.repositoryUrl,
    commit: context.sha,
    ref: context.ref,
    dockerfile: relative(workspace, inputs.file) || inputs.file,
    context: relative(workspace, inputs.context) || '.',
    ...(inputs.target ? { target: inputs.target } : {}),
    platforms: inputs.platforms,
    buildArgs: inputs.buildArgs,
    baseImages: bases,
    builder: run.builder,
    startedOn: run.startedOn,
    finishedOn: new Date()
  })
  const stored = await attachStatement(client, image, statement, signing)
  core.info(`provenance (SLSA v1) signed (${signing.kind}) and attached to ${digest} as ${stored}`)
  return stored
}

/** The digest a base image resolves to now; undefined (and a warning) when it cannot be read. */
async function resolveBase(client: RegistryClient, ref: string): Promise<string | undefined> {
  const { parseReference } = await import('../../registry/index.js')
  try {
    const parsed = parseReference(ref)
    if (parsed.digest) return parsed.digest
    return (await client.headManifest(parsed)).digest
  } catch (error) {
    core.warning(
      `provenance: the digest of base image ${ref} could not be read: ${(error as Error).message}`
    )
    return undefined
  }
}
