// Bundles each action's src/actions/<name>/index.ts into actions/<name>/dist with ncc, one call per
// action so that each bundle holds only what its action imports. `npm run bundle [name…]`.
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const all = readdirSync(join(root, 'src/actions')).filter((name) =>
  existsSync(join(root, 'src/actions', name, 'index.ts'))
)
const names = process.argv.length > 2 ? process.argv.slice(2) : all
for (const name of names) {
  if (!all.includes(name)) throw new Error(`No action '${name}'; actions: ${all.join(', ')}`)
  const started = Date.now()
  execFileSync(
    join(root, 'node_modules/.bin/ncc'),
    [
      'build',
      `src/actions/${name}/index.ts`,
      '-o',
      `actions/${name}/dist`,
      '--source-map',
      '--license',
      'licenses.txt',
      '--quiet'
    ],
    { cwd: root, stdio: 'inherit' }
  )
  console.log(`bundled actions/${name}/dist in ${((Date.now() - started) / 1000).toFixed(1)} s`)
}
