/** The credentials of one registry, as config files, helpers and the actions' inputs give them. */

/** Username and password (or personal access token). */
export interface BasicCredentials {
  readonly username: string
  readonly password: string
}

/** An identity (refresh) token, as `docker login` stores for some registries. */
export interface IdentityTokenCredentials {
  readonly identityToken: string
}

/** Credentials for one registry. */
export type Credentials = BasicCredentials | IdentityTokenCredentials
