import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

/** The files checked by default, relative to the repository's root. */
export function defaultFiles(root: string): string[] {
  const yaml = (dir: string) =>
    existsSync(join(root, dir))
      ? readdirSync(join(root, dir))
          .filter((name) => /\.ya?ml$/.test(name))
          .sort()
          .map((name) => `${dir}/${name}`)
      : []
  const actions = readdirSync(join(root, 'actions'))
    .filter((name) => existsSync(join(root, 'actions', name, 'action.yml')))
    .sort()
    .map((name) => `actions/${name}/action.yml`)
  return [...yaml('workflows'), ...yaml('.github/workflows'), ...actions]
}
