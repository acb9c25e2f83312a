/**
 * The machinery shared by the canary gate's YAML list inputs (`metrics`, `checks`): the text is parsed
 * with the `yaml` library's document API and a LineCounter, so that every problem (a syntax error, or
 * a value an item parser refuses) names its line; all problems are collected and thrown at once, as
 * one InputError naming the input. The collecting is ours: the library reports syntax only.
 */
import { isSeq, LineCounter, parseDocument, type Node } from 'yaml'
import { InputError } from '../action/errors.js'

/** Records a problem: the node it is at (for its line), the value refused and what is accepted. */
export type Add = (node: Node | null | undefined, value: unknown, accepted: string) => void

interface Problem {
  readonly value: string
  readonly accepted: string
  readonly line: number
}

/**
 * Parses a YAML input that must be a non-empty list, each item read by `parseItem`, which reports
 * what it refuses through `add`. `expected` is what is accepted when the text is not such a list.
 * Throws one InputError for all problems; returns the items only when there are none.
 */
export function parseYamlList<T>(
  text: string,
  input: string,
  expected: string,
  parseItem: (item: Node, add: Add) => T
): T[] {
  const lines = new LineCounter()
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false })
  const problems: Problem[] = []
  const lineOf = (node: Node | null | undefined) =>
    node?.range ? lines.linePos(node.range[0]).line : 1
  const add: Add = (node, value, accepted) =>
    problems.push({ value: show(value), accepted, line: lineOf(node) })
  for (const error of doc.errors) {
    const line = lines.linePos(error.pos[0]).line
    const accepted = `valid YAML (${error.message.split('\n')[0]})`
    problems.push({ value: text.split('\n')[line - 1]?.trim() ?? '', accepted, line })
  }
  if (problems.length > 0) throw inputError(input, problems)
  const root = doc.contents
  if (!isSeq(root) || root.items.length === 0) {
    add(root, text.trim(), expected)
    throw inputError(input, problems)
  }
  const items = root.items.map((item) => parseItem(item as Node, add))
  if (problems.length > 0) throw inputError(input, problems)
  return items
}

function show(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value ?? null)
}

/** One InputError for all problems: the first as its value, the others appended line by line. */
function inputError(input: string, problems: Problem[]): InputError {
  const [first, ...rest] = problems
  const error = new InputError(input, first.value, `${first.accepted} (line ${first.line})`)
  for (const p of rest) error.message += `\n  line ${p.line}: '${p.value}'; expected ${p.accepted}`
  return error
}
