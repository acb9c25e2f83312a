/** How a client (skopeo, buildah) reaches a registry. */
export interface RegistryAccess {
  /** Verify TLS (default: false unless certDir is given; the plain registries are loopback HTTP). */
  readonly tlsVerify?: boolean
  /** `user:password`. */
  readonly creds?: string
  /** A directory with `ca.crt` (a TLS registry's `certDir`); implies tlsVerify. */
  readonly certDir?: string
}

/** `--tls-verify`, `--cert-dir` and `--creds`, with skopeo copy's `src-`/`dest-` prefix if given. */
export function accessFlags(prefix: '' | 'src-' | 'dest-', access: RegistryAccess): string[] {
  const verify = access.tlsVerify ?? access.certDir !== undefined
  return [
    `--${prefix}tls-verify=${verify}`,
    ...(access.certDir ? [`--${prefix}cert-dir`, access.certDir] : []),
    ...(access.creds ? [`--${prefix}creds`, access.creds] : [])
  ]
}
