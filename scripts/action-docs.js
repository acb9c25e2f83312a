// Writes the inputs and outputs tables of each actions/<name>/README.md from its action.yml, between
// the `<!-- action-docs:start -->` and `<!-- action-docs:end -->` markers, so that the README cannot
// drift from the metadata. CI runs it and fails when it changes a file.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'

const root = new URL('..', import.meta.url).pathname
const START = '<!-- action-docs:start -->'
const END = '<!-- action-docs:end -->'

const cell = (text) =>
  String(text ?? '')
    .trim()
    .replace(/\s*\n\s*/g, ' ')
    .replace(/\|/g, '\\|')

export function renderDocs(meta) {
  const inputs = Object.entries(meta.inputs ?? {}).map(
    ([name, i]) =>
      `| \`${name}\` | ${i.required ? 'yes' : 'no'} | ${i.default === undefined || i.default === '' ? '' : `\`${cell(i.default)}\``} | ${cell(i.description)} |`
  )
  const outputs = Object.entries(meta.outputs ?? {}).map(
    ([name, o]) => `| \`${name}\` | ${cell(o.description)} |`
  )
  return [
    START,
    '<!-- generated from action.yml by `npm run docs`; edit action.yml instead -->',
    '',
    '### Inputs',
    '',
    '| name | required | default | description |',
    '| --- | --- | --- | --- |',
    ...inputs,
    '',
    '### Outputs',
    '',
    '| name | description |',
    '| --- | --- |',
    ...outputs,
    '',
    END
  ].join('\n')
}

for (const name of readdirSync(join(root, 'actions'))) {
  const dir = join(root, 'actions', name)
  const readme = join(dir, 'README.md')
  if (!existsSync(join(dir, 'action.yml')) || !existsSync(readme)) continue
  const meta = parse(readFileSync(join(dir, 'action.yml'), 'utf8'))
  const text = readFileSync(readme, 'utf8')
  const from = text.indexOf(START)
  const to = text.indexOf(END)
  if (from < 0 || to < from) throw new Error(`${readme} lacks the ${START} … ${END} markers`)
  const next = text.slice(0, from) + renderDocs(meta) + text.slice(to + END.length)
  if (next !== text) {
    writeFileSync(readme, next)
    console.log(`updated ${readme}`)
  }
}
