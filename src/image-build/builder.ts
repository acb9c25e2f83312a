/** The builder interface both buildah and docker buildx implement. */

/** Credentials for one registry; never put on a command line. */
export interface RegistryAuth {
  /** The registry host as references name it: `ghcr.io`, `127.0.0.1:5000`, `docker.io`. */
  readonly registry: string
  /** The user name. */
  readonly username: string
  /** The password or token. */
  readonly password: string
}

/** One image build, with everything already parsed. */
export interface BuildSpec {
  /** The build context directory. */
  readonly context: string
  /** The Dockerfile's path. */
  readonly file: string
  /** The stage to build; the last one when undefined. */
  readonly target?: string
  /** `--build-arg` pairs, in order. */
  readonly buildArgs: readonly (readonly [string, string])[]
  /** Image config labels. */
  readonly labels: Readonly<Record<string, string>>
  /** Manifest annotations (OCI format). */
  readonly annotations?: Readonly<Record<string, string>>
  /** Target platforms such as `linux/amd64`; empty builds for the host's. */
  readonly platforms: readonly string[]
  /** Full references `registry/repository:tag` to tag (and push) the image as; at least one. */
  readonly tags: readonly string[]
  /**
   * Cache each instruction as a layer for later builds on this machine (buildah `--layers`); pays
   * a commit per instruction, so it helps only where the storage outlives the job. docker buildx
   * always caches.
   */
  readonly layers?: boolean
  /** Push the tags to their registries. */
  readonly push: boolean
  /** Credentials for the registry pushed to (and pulled from); earlier logins are used otherwise. */
  readonly auth?: RegistryAuth
  /** `host:port` of registries to reach over plain HTTP or unverified TLS. */
  readonly insecureRegistries: readonly string[]
  /** Extra environment for the builder's processes, over the current one. */
  readonly env?: Readonly<Record<string, string>>
  /**
   * Secrets for `RUN --mount=type=secret,id=<id>` only: a file, or a value the builder writes to a
   * 0600 file in its own temporary folder (removed after the build). Never a build argument, so
   * never in a layer, the history or the config.
   */
  readonly secrets?: readonly BuildSecret[]
  /** SSH agent sockets or keys for `RUN --mount=type=ssh`: `default`, or `<id>=<socket|key>`. */
  readonly ssh?: readonly string[]
  /** Build every step again, using no cached layer. */
  readonly noCache?: boolean
  /** Pull the base images again even when a copy is in the local storage. */
  readonly pull?: boolean
  /** Named extra contexts (`name`, `path` or `docker-image://ref`), for `COPY --from=<name>`. */
  readonly buildContexts?: readonly (readonly [string, string])[]
  /**
   * Layer caches to read: a repository (`ghcr.io/acme/app-cache`), or buildx's own form
   * (`type=registry,ref=…`, `type=gha`). A cache that is missing or unreadable builds cold.
   */
  readonly cacheFrom?: readonly string[]
  /** Layer caches to write, in the same forms; a cache that cannot be written is only a warning. */
  readonly cacheTo?: readonly string[]
}

/** A build step and where its layer came from, as the builder reported it. */
export interface BuildStep {
  /** `2/3`. */
  readonly step: string
  /** The instruction as the builder printed it, e.g. `RUN make`. */
  readonly instruction: string
  /** `built` ran it; `cache` reused a local layer; `remote` pulled the layer from a cache repository. */
  readonly layer: 'built' | 'cache' | 'remote'
}

/** One build secret: by value (written to a temporary file) or by file. */
export type BuildSecret =
  { readonly id: string; readonly value: string } | { readonly id: string; readonly file: string }

/** What a build produced. */
export interface BuildResult {
  /** The pushed manifest's (or index's) digest, as the builder reported it; undefined without push. */
  readonly digest?: string
  /** The local image (or config) id the builder reported. */
  readonly imageId?: string
  /** The platforms built; empty for the host's. */
  readonly platforms: readonly string[]
  /** The steps and where each layer came from, when the builder says (buildah single-platform). */
  readonly steps?: readonly BuildStep[]
  /** Warnings about the cache (it could not be written): the build went on without it. */
  readonly cacheWarnings?: readonly string[]
}

/** A tool that builds (and pushes) an image. */
export interface Builder {
  /** Which tool this is. */
  readonly name: 'buildah' | 'docker'
  /** Builds `spec`; throws a ToolError naming the failed command. */
  build(spec: BuildSpec): Promise<BuildResult>
}
