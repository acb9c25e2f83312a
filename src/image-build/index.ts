/** Tags, version, OCI labels and annotations computed from the git context or given explicitly. */
export { computeMetadata, ociLabels } from './metadata.js'
/** Types of metadata computation: its options and its result. */
export type { MetadataOptions, ImageMetadata } from './metadata.js'
/** Tag helpers: default tag names, sanitising, validation and resolution of explicit tags. */
export {
  defaultTagNames,
  sanitizeTag,
  isTag,
  resolveTags,
  checkImage,
  TAG_GRAMMAR
} from './tags.js'
/** Tag rules and flavor in docker/metadata-action's syntax. */
export {
  hasTagRules,
  parseTagRules,
  parseFlavor,
  tagNamesFromRules,
  RULE_TYPES
} from './tag-rules.js'
/** A parsed tag rule and flavor. */
export type { TagRule, Flavor, RuleType } from './tag-rules.js'
/** A full reference split into repository and tag. */
export type { TaggedRef } from './tags.js'
/** The builder interface and what a build takes and gives. */
export type { Builder, BuildSpec, BuildResult, BuildSecret, RegistryAuth } from './builder.js'
/** The buildah builder. */
export { BuildahBuilder } from './buildah.js'
/** Pure parts of the buildah builder: command lines, insecure registries, manifest list check. */
export {
  buildahBudArgs,
  buildahPushArgs,
  cacheSpec,
  insecureHosts,
  missingPlatforms
} from './buildah-args.js'
/** Options of the buildah builder. */
export type { BuildahOptions } from './buildah.js'
/** Files and push options of buildah commands. */
export type { BuildahFiles, BuildahPush } from './buildah-args.js'
/** The docker buildx builder, its pure argument builders and its metadata-file parser. */
export { DockerBuilder, dockerBuildArgs, dockerLoginArgs, parseBuildxMetadata } from './docker.js'
/** Options of the docker builder. */
export type { DockerOptions } from './docker.js'
/** Picks docker or buildah for `auto`, or checks the one asked for. */
export { selectBuilder, systemProbe } from './select.js'
/** The builder choice words and the machine probe selectBuilder uses. */
export type { BuilderChoice, BuilderProbe } from './select.js'
/** The external images a Dockerfile pulls, after ARG substitution. */
export { baseImages } from './dockerfile.js'
/** Registry hosts of image references and the per-build registries.conf text. */
export { registryHost, registriesConf } from './registries-conf.js'
/** Errors: bad input (src/action's InputError), a failed tool command, no usable builder. */
export { InputError, ToolError, BuilderUnavailableError } from './errors.js'
