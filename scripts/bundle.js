// Bundles each action's src/actions/<name>/index.ts into actions/<name>/dist with ncc, one call per
// action so that each bundle holds only what its action imports. `npm run bundle [name…]`.
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { minify } from 'terser'

const root = new URL('..', import.meta.url).pathname
/**
 * Actions whose chunks are minified after ncc (whose own `-m` leaves async chunks alone): deploy-dev
 * carries @kubernetes/client-node, 19.7 MB of generated models unminified, 2.3 MB minified, and its
 * start with everything loaded falls from 1.0 s to 0.6 s (compress alone saves 0.2 s of it). Their
 * source maps keep the mappings but not the sources' text, which would add 20 MB to every commit;
 * the sources are in node_modules after `npm ci`.
 */
const MINIFIED = new Set(['deploy-dev', 'promote'])
const all = readdirSync(join(root, 'src/actions')).filter((name) =>
  existsSync(join(root, 'src/actions', name, 'index.ts'))
)
const names = process.argv.length > 2 ? process.argv.slice(2) : all
for (const name of names) {
  if (!all.includes(name)) throw new Error(`No action '${name}'; actions: ${all.join(', ')}`)
  const started = Date.now()
  // a fresh directory: chunk names change with the code, and a stale chunk must not linger
  rmSync(join(root, 'actions', name, 'dist'), { recursive: true, force: true })
  execFileSync(
    join(root, 'node_modules/.bin/ncc'),
    [
      'build',
      `src/actions/${name}/index.ts`,
      '-o',
      `actions/${name}/dist`,
      '--source-map',
      '--no-source-map-register',
      '--quiet'
    ],
    { cwd: root, stdio: 'inherit' }
  )
  writeLicenses(join(root, 'actions', name, 'dist'))
  if (MINIFIED.has(name)) await minifyChunks(join(root, 'actions', name, 'dist'))
  console.log(`bundled actions/${name}/dist in ${((Date.now() - started) / 1000).toFixed(1)} s`)
}

/** Minifies every chunk with terser's defaults (compress and mangle), chaining its source map. */
async function minifyChunks(dist) {
  for (const file of readdirSync(dist).filter((f) => f.endsWith('.js'))) {
    const code = readFileSync(join(dist, file), 'utf8')
    const content = JSON.parse(readFileSync(join(dist, `${file}.map`), 'utf8'))
    const out = await minify(code, {
      module: true,
      compress: true,
      mangle: true,
      sourceMap: { content, url: `${file}.map`, includeSources: false }
    })
    const map = JSON.parse(out.map)
    delete map.sourcesContent
    writeFileSync(join(dist, file), out.code)
    writeFileSync(join(dist, `${file}.map`), JSON.stringify(map))
  }
}

/**
 * ncc's `--license` lists only the packages of the entry chunk, and build-image loads its HTTP
 * client and builders as separate chunks (so that a bad input fails fast); the source maps of all
 * chunks name every bundled file, so the packages and their licence texts are read from there.
 */
function writeLicenses(dist) {
  const packages = new Set()
  for (const map of readdirSync(dist).filter((file) => file.endsWith('.js.map'))) {
    for (const source of JSON.parse(readFileSync(join(dist, map), 'utf8')).sources) {
      const match = /^(?:\.\.?\/)*(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(source)
      if (match) packages.add(match[1])
    }
  }
  const sections = [...packages].sort().map((dir) => {
    const meta = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'))
    const file = readdirSync(join(root, dir)).find((f) => /^(licen[sc]e|copying)(\.|$)/i.test(f))
    const text = file
      ? readFileSync(join(root, dir, file), 'utf8').trim()
      : `(no licence file; package.json says ${meta.license})`
    return `${meta.name}@${meta.version}\n${meta.license ?? ''}\n${text}\n`
  })
  writeFileSync(join(dist, 'licenses.txt'), sections.join('\n'))
}
