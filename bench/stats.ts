import { spawnSync, type SpawnSyncOptions } from 'node:child_process'

/** The median of some numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/** Runs a command `runs` times and returns the wall time of each run in milliseconds. */
export function timeCommand(
  command: string,
  args: readonly string[],
  runs: number,
  options: SpawnSyncOptions = {}
): number[] {
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const started = performance.now()
    const result = spawnSync(command, args, { stdio: 'pipe', ...options })
    times.push(performance.now() - started)
    if (result.error) throw result.error
  }
  return times
}

/** Milliseconds as seconds with three decimals. */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(3)} s`
}
