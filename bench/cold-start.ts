// Cold start of build-image: the bundle run as a runner runs it, with an invalid `image`, to its
// error. Target: ≤ 0.3 s median. The peer in the same run is a bare `node -e 0` on the same node.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { median, seconds, timeCommand } from './stats.js'

const RUNS = Number(process.env.BENCH_RUNS ?? 20)

export function coldStart(): { action: number; node: number } {
  const dir = mkdtempSync(join(tmpdir(), 'bench-cold-'))
  const env = { ...process.env, INPUT_IMAGE: 'Not/A/Valid Image', GITHUB_OUTPUT: join(dir, 'out') }
  timeCommand(process.execPath, ['actions/build-image/dist/index.js'], 2, { env }) // warm the page cache
  const action = median(
    timeCommand(process.execPath, ['actions/build-image/dist/index.js'], RUNS, { env })
  )
  const node = median(timeCommand(process.execPath, ['-e', '0'], RUNS))
  console.log(`cold start, invalid input to its error (median of ${RUNS}):`)
  console.log(
    `  build-image bundle  ${seconds(action)}   target ≤ 0.300 s: ${action <= 300 ? 'met' : 'NOT MET'}`
  )
  console.log(`  node -e 0 (peer)    ${seconds(node)}   bundle/peer ${(action / node).toFixed(2)}×`)
  return { action, node }
}
