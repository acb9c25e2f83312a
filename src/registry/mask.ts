import * as core from '@actions/core'

const masked = new Set<string>()

/** Masks a secret in the runner's log once: a Basic header rebuilt per request is announced once. */
export function mask(secret: string): void {
  if (secret === '' || masked.has(secret)) return
  masked.add(secret)
  core.setSecret(secret)
}
