import * as core from '@actions/core'

/** A row of label and value for a job summary's key/value table. */
export type SummaryRow = readonly [label: string, value: string]

/** Writes a job summary section: a heading, a two-column table, and optional notes below. */
export async function writeSummary(
  heading: string,
  rows: readonly SummaryRow[],
  notes: readonly string[] = []
): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return
  const summary = core.summary.addHeading(heading, 3).addTable([
    [
      { data: 'what', header: true },
      { data: 'value', header: true }
    ],
    ...rows.map(([label, value]) => [label, value])
  ])
  for (const note of notes) summary.addRaw(`\n${note}\n`, true)
  await summary.write()
}

/** Escapes the characters HTML gives meaning to in a summary's text. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/** Code-formats a value for a summary cell, escaping HTML. */
export function code(value: string): string {
  return `<code>${escapeHtml(value)}</code>`
}

/** A block of text kept as it is (command output, a multi-line error), escaping HTML. */
export function preformatted(text: string): string {
  return `<pre>${escapeHtml(text)}</pre>`
}

/** A byte count for people: 1.2 MB, 340 kB. */
export function bytes(n: number): string {
  if (n < 1000) return `${n} B`
  const units = ['kB', 'MB', 'GB', 'TB']
  let value = n
  let unit = -1
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000
    unit++
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`
}
