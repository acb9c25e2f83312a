// docs/clusters.md is copied into workflows: every ```yaml block must parse, every ```json block
// too, and every rollout-kit step in them may only give inputs its action.yml declares, so that a
// misspelt or renamed input fails here instead of in a user's first run.
import { describe, expect, it } from '@jest/globals'
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseAllDocuments, parse } from 'yaml'

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..')
const DOC = 'docs/clusters.md'

interface Block {
  readonly lang: string
  readonly text: string
  /** Line of the block's first line of code in the Markdown file. */
  readonly line: number
}

/** The fenced code blocks of a Markdown text (fences at the start of a line). */
function codeBlocks(markdown: string): Block[] {
  const blocks: Block[] = []
  const fence = /^```([\w-]*)[ \t]*\n([\s\S]*?)^```[ \t]*$/gm
  for (const match of markdown.matchAll(fence)) {
    const line = markdown.slice(0, match.index).split('\n').length + 1
    blocks.push({ lang: match[1] ?? '', text: match[2] ?? '', line })
  }
  return blocks
}

/** The names of an action's inputs, from its action.yml; undefined when there is no such action. */
function inputsOf(action: string): string[] | undefined {
  const file = join(ROOT, 'actions', action, 'action.yml')
  if (!existsSync(file)) return undefined
  const metadata = parse(readFileSync(file, 'utf8')) as { inputs?: Record<string, unknown> }
  return Object.keys(metadata.inputs ?? {})
}

/** `./actions/<name>` or `rollout-kit/rollout-kit/actions/<name>@<ref>`: the action's name. */
const OUR_ACTION = /^(?:\.\/actions\/([\w-]+)|rollout-kit\/rollout-kit\/actions\/([\w-]+)@\S+)$/

/** Every mapping with a string `uses`, anywhere in a parsed document. */
function stepsIn(node: unknown, found: Record<string, unknown>[] = []): Record<string, unknown>[] {
  if (Array.isArray(node)) {
    for (const item of node) stepsIn(item, found)
  } else if (node !== null && typeof node === 'object') {
    const record = node as Record<string, unknown>
    if (typeof record.uses === 'string') found.push(record)
    for (const value of Object.values(record)) stepsIn(value, found)
  }
  return found
}

/** What is wrong with the rollout-kit steps of a Markdown text's YAML blocks; [] when nothing. */
function stepProblems(markdown: string): { problems: string[]; steps: number } {
  const problems: string[] = []
  let steps = 0
  for (const block of codeBlocks(markdown).filter((b) => b.lang === 'yaml')) {
    for (const doc of parseAllDocuments(block.text)) {
      for (const step of stepsIn(doc.toJS())) {
        const match = OUR_ACTION.exec(step.uses as string)
        if (!match) continue
        steps++
        const action = (match[1] ?? match[2]) as string
        const declared = inputsOf(action)
        if (!declared) {
          problems.push(`line ${block.line}: ${step.uses as string}: there is no actions/${action}`)
          continue
        }
        const given = Object.keys((step.with ?? {}) as Record<string, unknown>)
        for (const name of given.filter((input) => !declared.includes(input))) {
          problems.push(`line ${block.line}: ${step.uses as string} has no input '${name}'`)
        }
      }
    }
  }
  return { problems, steps }
}

const markdown = readFileSync(join(ROOT, DOC), 'utf8')
const blocks = codeBlocks(markdown)

describe('docs/clusters.md', () => {
  it('has YAML and JSON blocks to check', () => {
    expect(blocks.filter((b) => b.lang === 'yaml').length).toBeGreaterThanOrEqual(10)
    expect(blocks.filter((b) => b.lang === 'json')).toHaveLength(1)
  })

  it.each(blocks.filter((b) => b.lang === 'yaml').map((b) => [b.line, b]))(
    'the YAML block at line %i parses',
    (_line, block) => {
      const docs = parseAllDocuments((block as Block).text)
      expect(docs.flatMap((doc) => doc.errors.map((error) => error.message))).toEqual([])
    }
  )

  it.each(blocks.filter((b) => b.lang === 'json').map((b) => [b.line, b]))(
    'the JSON block at line %i parses',
    (_line, block) => {
      expect(() => JSON.parse((block as Block).text)).not.toThrow()
    }
  )

  it('gives the rollout-kit steps only inputs their action.yml declares', () => {
    const { problems, steps } = stepProblems(markdown)
    expect(steps).toBeGreaterThanOrEqual(6)
    expect(problems).toEqual([])
  })
})

describe('stepProblems', () => {
  const doc = (step: string): string => `Text.\n\n\`\`\`yaml\nsteps:\n${step}\`\`\`\n`

  it.each([
    [
      'a misspelt input',
      '  - uses: rollout-kit/rollout-kit/actions/promote@v1\n    with:\n      kube-config: x\n      stage: canary\n',
      ["line 4: rollout-kit/rollout-kit/actions/promote@v1 has no input 'kube-config'"]
    ],
    [
      'an input of another action',
      '  - uses: ./actions/deploy-dev\n    with:\n      weight: 10\n',
      ["line 4: ./actions/deploy-dev has no input 'weight'"]
    ],
    [
      'an action that does not exist',
      '  - uses: rollout-kit/rollout-kit/actions/deploy-prod@v1\n    with:\n      stage: canary\n',
      ['line 4: rollout-kit/rollout-kit/actions/deploy-prod@v1: there is no actions/deploy-prod']
    ],
    [
      'inputs that exist',
      '  - uses: rollout-kit/rollout-kit/actions/deploy-dev@v1\n    with:\n      kubeconfig: x\n      namespace: dev\n',
      []
    ],
    ["another owner's action", '  - uses: azure/login@v2\n    with:\n      kube-config: x\n', []]
  ])('%s', (_name, step, problems) => {
    expect(stepProblems(doc(step)).problems).toEqual(problems)
  })
})
