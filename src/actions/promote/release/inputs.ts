/** The inputs of promote's stages release and verify: what moves where, and the evidence it needs. */
import { InputError } from '../../../action/errors.js'
import * as input from '../../../action/inputs.js'
import { isEvidenceKind, readTrust, type TrustPolicy } from '../../../evidence/index.js'
import { parseReference, repositoryName, type ImageRef } from '../../../registry/index.js'
import { imageInput, referenceInput, type Credentials } from '../../shared/inputs.js'

/** Everything a release was asked to do, parsed and checked before anything runs. */
export interface ReleaseInputs {
  /** The stage to run. */
  readonly stage: 'release'
  /** The image to promote: a digest, or a tag to resolve once. */
  readonly source: ImageRef
  /** The repository to copy to. */
  readonly destination: ImageRef
  /** Tag names to set at the destination, validated. */
  readonly tags: readonly string[]
  /** Evidence kinds that must pass on the source digest. */
  readonly requireEvidence: readonly string[]
  /** Whose signatures make evidence count (when evidence is required). */
  readonly trust?: TrustPolicy
  /** Report without writing. */
  readonly dryRun: boolean
  /** Credentials for the source registry, if given. */
  readonly sourceCredentials?: Credentials
  /** Credentials for the destination registry, if given. */
  readonly destinationCredentials?: Credentials
  /** Registries to reach over plain HTTP besides loopback ones. */
  readonly insecureRegistries: readonly string[]
  /** How long the whole stage may take; past it every request is stopped and no tag written. */
  readonly timeoutMs: number
}

/** stage verify: check the evidence on `source` as a release would, and change nothing. */
export interface VerifyInputs {
  readonly stage: 'verify'
  /** The image whose evidence is checked: a digest, or a tag to resolve once. */
  readonly source: ImageRef
  /** Evidence kinds that must pass (at least one). */
  readonly requireEvidence: readonly string[]
  /** Whose signatures make evidence count. */
  readonly trust: TrustPolicy
  /** Credentials for the source registry, if given. */
  readonly sourceCredentials?: Credentials
  /** Registries to reach over plain HTTP besides loopback ones. */
  readonly insecureRegistries: readonly string[]
  /** How long the whole stage may take. */
  readonly timeoutMs: number
}

export function readVerifyInputs(): VerifyInputs {
  const sourceCredentials = input.credentialPair('source')
  const source = sourceImage()
  const requireEvidence = evidenceKinds()
  if (requireEvidence.length === 0) {
    throw new InputError(
      'require-evidence',
      '',
      'the evidence kinds to verify (e.g. tests, analysis) with stage verify'
    )
  }
  return {
    stage: 'verify',
    source,
    requireEvidence,
    trust: readTrust(),
    sourceCredentials,
    insecureRegistries: input.list('insecure-registries', { commas: true }),
    timeoutMs: input.positiveDuration('timeout', '10m')
  }
}

/** `source`: an image with a digest, or a tag resolved once. */
function sourceImage(): ImageRef {
  return imageInput('source', input.required('source'))
}

export function readReleaseInputs(): ReleaseInputs {
  const sourceCredentials = input.credentialPair('source')
  const destinationCredentials = input.credentialPair('destination')
  const stage = 'release'
  const source = sourceImage()
  const destination = referenceInput(
    'destination',
    input.required('destination'),
    'an image reference'
  )
  if (destination.tag !== undefined || destination.digest !== undefined) {
    throw new InputError(
      'destination',
      input.text('destination'),
      'a repository without tag or digest (tags go in `tags`)'
    )
  }
  if (repositoryName(source) === repositoryName(destination)) {
    throw new InputError(
      'destination',
      input.text('destination'),
      `a repository other than the source's (${repositoryName(source)})`
    )
  }
  const requireEvidence = evidenceKinds()
  return {
    stage,
    source,
    destination,
    tags: tagsInput(destination),
    requireEvidence,
    ...(requireEvidence.length > 0 ? { trust: readTrust() } : {}),
    dryRun: input.boolean('dry-run', false),
    sourceCredentials,
    destinationCredentials,
    insecureRegistries: input.list('insecure-registries', { commas: true }),
    timeoutMs: input.positiveDuration('timeout', '10m')
  }
}

function tagsInput(destination: ImageRef): string[] {
  const tags = input.list('tags', { commas: true })
  for (const tag of tags) {
    let parsed: ImageRef | undefined
    try {
      parsed = parseReference(`${repositoryName(destination)}:${tag}`)
    } catch {
      parsed = undefined
    }
    if (parsed?.tag !== tag)
      throw new InputError('tags', tag, 'tag names matching [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}')
  }
  return [...new Set(tags)]
}

function evidenceKinds(): string[] {
  const kinds = input.list('require-evidence', { commas: true })
  const bad = kinds.find((kind) => !isEvidenceKind(kind))
  if (bad !== undefined)
    throw new InputError(
      'require-evidence',
      bad,
      'evidence kinds such as tests or analysis (lowercase, digits, -)'
    )
  return [...new Set(kinds)]
}
