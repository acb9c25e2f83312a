// Bundles each action's src/actions/<name>/index.ts into actions/<name>/dist with ncc's API, one
// build per action so that each bundle holds only what its action imports. `npm run bundle [name…]`.
// The API rather than the CLI: the CLI cannot map a package to another module (LEFT_OUT below).
import ncc from '@vercel/ncc'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
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
/**
 * Packages left out of an action's bundle because nothing in it can reach them, though webpack
 * keeps them: @actions/core imports @actions/http-client (and through it undici, 1 MB) only for
 * getIDToken, and @actions/exec only for its `platform` export; neither package declares
 * `"sideEffects": false`, so webpack bundles and runs them at start-up although no export is used
 * (GitHub calls go through @octokit/core, src/github/client.ts). Start-up falls by about 0.1 s
 * without them. Each is mapped to LEFT_OUT_MODULE, an empty module, and the build fails unless
 * webpack reports that no export of it is used: an action that starts to need one (build-image
 * runs its tools with @actions/exec) must not list it.
 */
const HTTP_CLIENT = ['@actions/http-client', '@actions/http-client/lib/auth']
const LEFT_OUT = {
  'build-image': HTTP_CLIENT,
  'canary-gate': [...HTTP_CLIENT, '@actions/exec'],
  'deploy-dev': [...HTTP_CLIENT, '@actions/exec'],
  promote: [...HTTP_CLIENT, '@actions/exec']
}
const LEFT_OUT_MODULE = 'left-out.js'

const all = readdirSync(join(root, 'src/actions')).filter((name) =>
  existsSync(join(root, 'src/actions', name, 'index.ts'))
)
const names = process.argv.length > 2 ? process.argv.slice(2) : all
for (const name of names) {
  if (!all.includes(name)) throw new Error(`No action '${name}'; actions: ${all.join(', ')}`)
  const started = Date.now()
  const dist = join(root, 'actions', name, 'dist')
  const leftOut = LEFT_OUT[name] ?? []
  const { code, map, assets, symlinks, stats } = await ncc(
    join(root, 'src/actions', name, 'index.ts'),
    {
      sourceMap: true,
      sourceMapRegister: false,
      quiet: true,
      externals: Object.fromEntries(leftOut.map((pkg) => [pkg, `./${LEFT_OUT_MODULE}`]))
    }
  )
  if (leftOut.length > 0) checkLeftOutUnused(name, stats)
  // a fresh directory: chunk names change with the code, and a stale chunk must not linger
  rmSync(dist, { recursive: true, force: true })
  mkdirSync(dist, { recursive: true })
  writeFileSync(join(dist, 'index.js'), code)
  writeFileSync(join(dist, 'index.js.map'), map)
  for (const [file, asset] of Object.entries(assets)) {
    mkdirSync(dirname(join(dist, file)), { recursive: true })
    writeFileSync(join(dist, file), asset.source, { mode: asset.permissions })
  }
  if (Object.keys(symlinks).length > 0)
    throw new Error(`${name}: ncc emitted symlinks, not handled`)
  if (leftOut.length > 0) writeLeftOut(dist, leftOut)
  writeLicenses(dist)
  if (MINIFIED.has(name)) await minifyChunks(dist)
  console.log(`bundled actions/${name}/dist in ${((Date.now() - started) / 1000).toFixed(1)} s`)
}

/** Fails unless webpack found no use of any export of the left-out module (see LEFT_OUT). */
function checkLeftOutUnused(name, stats) {
  const json = stats.toJson({ modules: true, nestedModules: true, usedExports: true })
  const used = []
  const walk = (modules) => {
    for (const m of modules ?? []) {
      const isLeftOut = m.name === `external "./${LEFT_OUT_MODULE}"`
      if (isLeftOut && !(Array.isArray(m.usedExports) && m.usedExports.length === 0))
        used.push(JSON.stringify(m.usedExports))
      walk(m.modules)
    }
  }
  walk(json.modules)
  if (used.length > 0) {
    throw new Error(
      `${name}: the bundle uses ${used.join(', ')} of ${LEFT_OUT[name].join(', ')}, which LEFT_OUT leaves out; remove them from LEFT_OUT.${name}`
    )
  }
}

/** The empty module the left-out packages are mapped to. */
function writeLeftOut(dist, packages) {
  writeFileSync(
    join(dist, LEFT_OUT_MODULE),
    `// Stands in for ${packages.join(', ')}: nothing in this bundle uses them (scripts/bundle.js, LEFT_OUT).\nexport {}\n`
  )
}

/** Minifies every chunk with terser's defaults (compress and mangle), chaining its source map. */
async function minifyChunks(dist) {
  for (const file of readdirSync(dist).filter((f) => f.endsWith('.js') && f !== LEFT_OUT_MODULE)) {
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
