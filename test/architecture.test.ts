/**
 * The house drawn from the imports of src/: each folder is a concern on a floor, and a file may
 * import only from its own concern or from a floor below it; no file-level import circle; no
 * circle between folders (a folder's files do not import a sub-folder that imports them back; the
 * folder's index.ts, which re-exports its sub-folders for the floors above, aside). Imports
 * are read with TypeScript's own pre-processor, so this sees what the compiler sees.
 */
import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, normalize, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const SRC = join(ROOT, 'src')

/** The floors, ground first. A concern is a folder of src/ or, under src/actions, of an action. */
const FLOORS: readonly (readonly string[])[] = [
  ['retry'],
  ['action'],
  ['registry', 'github'],
  ['kube', 'gate', 'evidence', 'image-build'],
  ['actions/shared'],
  ['actions/build-image', 'actions/deploy-dev', 'actions/canary-gate', 'actions/promote']
]

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sources(path)
    return entry.name.endsWith('.ts') ? [path] : []
  })
}

/** src-relative file → the src-relative files it imports (relative imports only). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>()
  for (const file of sources(SRC)) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true)
    const targets = importedFiles
      .map((i) => i.fileName)
      .filter((name) => name.startsWith('.'))
      .map((name) => relative(SRC, normalize(join(dirname(file), name.replace(/\.js$/, '.ts')))))
    graph.set(relative(SRC, file), targets)
  }
  return graph
}

function concernOf(file: string): string {
  const parts = file.split('/')
  return parts[0] === 'actions' ? parts.slice(0, 2).join('/') : parts[0]
}

function floorOf(concern: string): number {
  return FLOORS.findIndex((floor) => floor.includes(concern))
}

/** Every strongly connected set of more than one node (Tarjan), each as a sorted list. */
function circles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let next = 0
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const found: string[][] = []
  const visit = (node: string): void => {
    index.set(node, next)
    low.set(node, next)
    next++
    stack.push(node)
    onStack.add(node)
    for (const to of graph.get(node) ?? []) {
      if (!graph.has(to)) continue
      if (!index.has(to)) {
        visit(to)
        low.set(node, Math.min(low.get(node) as number, low.get(to) as number))
      } else if (onStack.has(to)) {
        low.set(node, Math.min(low.get(node) as number, index.get(to) as number))
      }
    }
    if (low.get(node) === index.get(node)) {
      const set: string[] = []
      let member: string | undefined
      do {
        member = stack.pop() as string
        onStack.delete(member)
        set.push(member)
      } while (member !== node)
      if (set.length > 1) found.push(set.sort())
    }
  }
  for (const node of graph.keys()) if (!index.has(node)) visit(node)
  return found
}

describe('the imports of src/', () => {
  const graph = importGraph()

  it('put every concern on a floor', () => {
    const unplaced = [...new Set([...graph.keys()].map(concernOf))].filter((c) => floorOf(c) < 0)
    expect(unplaced).toEqual([])
  })

  it('never run up a floor or across to another concern on the same floor', () => {
    const wrong: string[] = []
    for (const [file, targets] of graph) {
      const from = concernOf(file)
      for (const target of targets) {
        const to = concernOf(target)
        if (to !== from && floorOf(to) >= floorOf(from)) wrong.push(`${file} → ${target}`)
      }
    }
    expect(wrong).toEqual([])
  })

  it('make no circle between files', () => {
    expect(circles(graph)).toEqual([])
  })

  it("make no circle between folders, each folder's index.ts (its front door) aside", () => {
    const folders = new Map<string, string[]>()
    for (const [file, targets] of graph) {
      const from = dirname(file)
      // index.ts re-exports the folder's sub-folders for the floors above; it is not a dependency
      if (file.endsWith('/index.ts')) continue
      const edges = folders.get(from) ?? []
      for (const target of targets) if (dirname(target) !== from) edges.push(dirname(target))
      folders.set(from, edges)
    }
    expect(circles(folders)).toEqual([])
  })

  it('resolve to files that exist', () => {
    const missing = [...graph.values()].flat().filter((target) => !graph.has(target))
    expect([...new Set(missing)]).toEqual([])
  })

  it('finds a circle when there is one (the check can fail)', () => {
    const made = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['a.ts']]
    ])
    expect(circles(made)).toEqual([['a.ts', 'b.ts', 'c.ts']])
  })
})
