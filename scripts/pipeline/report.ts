/**
 * The pipeline's report: Markdown (.cache/pipeline/report.md) and a self-contained HTML page
 * (report.html: inline CSS, no external assets) with the stages' table and each action's job
 * summary. The summaries are embedded as written: core.summary writes HTML, which both formats
 * show. The stages' table is rendered from the records for each format, not converted.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { escapeHtml } from '../../src/action/summary.js'
import type { StageRecord } from './stages.js'

/** What the report says besides the stages. */
export interface ReportContext {
  readonly title: string
  /** The flow, one line. */
  readonly flow: string
  readonly totalSeconds: number
  /** Whether the whole pipeline passed. */
  readonly passed: boolean
  /** Lines of context: stand-ins and why. */
  readonly notes: readonly string[]
}

/** Writes report.md and report.html to `dir`; returns their paths. */
export function writeReports(
  dir: string,
  stages: readonly StageRecord[],
  context: ReportContext
): { markdown: string; html: string } {
  mkdirSync(dir, { recursive: true })
  const markdown = join(dir, 'report.md')
  const html = join(dir, 'report.html')
  writeFileSync(markdown, markdownReport(stages, context))
  writeFileSync(html, htmlReport(stages, context))
  return { markdown, html }
}

const MARK: Record<StageRecord['outcome'], string> = {
  passed: '✅ passed',
  'failed as expected': '✅ failed as expected',
  failed: '❌ failed'
}

/** The Markdown report. */
export function markdownReport(stages: readonly StageRecord[], context: ReportContext): string {
  const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, '<br>')
  return [
    `# ${context.title}`,
    '',
    `${context.flow}`,
    '',
    `**${context.passed ? 'passed' : 'FAILED'}** in ${context.totalSeconds.toFixed(1)} s.`,
    '',
    ...context.notes.map((n) => `- ${n}`),
    '',
    '| # | stage | seconds | outcome | result |',
    '| --- | --- | ---: | --- | --- |',
    ...stages.map(
      (s, i) =>
        `| ${i + 1} | ${cell(s.name)} | ${s.seconds.toFixed(1)} | ${MARK[s.outcome]} | ${cell(s.detail)} |`
    ),
    '',
    ...stages.flatMap((s, i) =>
      s.summary ? [`## ${i + 1}. ${s.name}`, '', s.summary.trim(), ''] : []
    )
  ].join('\n')
}

const CSS = `
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1f2328}
h1{font-size:1.6rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #d1d9e0;padding-bottom:.3rem}
h3{font-size:1rem}table{border-collapse:collapse;margin:.5rem 0;width:100%}
th,td{border:1px solid #d1d9e0;padding:.3rem .6rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}td.n{text-align:right;white-space:nowrap}
code,pre{font:13px ui-monospace,SFMono-Regular,Menlo,monospace;word-break:break-all}
pre{background:#f6f8fa;padding:.6rem;overflow:auto;white-space:pre-wrap}
.passed{color:#1a7f37}.expected{color:#9a6700}.failed{color:#cf222e;font-weight:600}
.summary{border:1px solid #d1d9e0;border-radius:6px;padding:0 1rem;margin:.5rem 0}
`

const CLASS: Record<StageRecord['outcome'], string> = {
  passed: 'passed',
  'failed as expected': 'expected',
  failed: 'failed'
}

/** The HTML page. */
export function htmlReport(stages: readonly StageRecord[], context: ReportContext): string {
  const rows = stages.map(
    (s, i) =>
      `<tr><td class="n">${i + 1}</td><td>${escapeHtml(s.name)}</td>` +
      `<td class="n">${s.seconds.toFixed(1)}</td>` +
      `<td class="${CLASS[s.outcome]}">${escapeHtml(MARK[s.outcome])}</td>` +
      `<td><code>${escapeHtml(s.detail)}</code></td></tr>`
  )
  const summaries = stages.flatMap((s, i) =>
    s.summary
      ? [
          `<h2 id="stage-${i + 1}">${i + 1}. ${escapeHtml(s.name)}</h2>`,
          `<div class="summary">${s.summary}</div>`
        ]
      : []
  )
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeHtml(context.title)}</title>`,
    `<style>${CSS}</style></head><body>`,
    `<h1>${escapeHtml(context.title)}</h1>`,
    `<p>${escapeHtml(context.flow)}</p>`,
    `<p class="${context.passed ? 'passed' : 'failed'}"><strong>${context.passed ? 'passed' : 'FAILED'}</strong> in ${context.totalSeconds.toFixed(1)} s.</p>`,
    `<ul>${context.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>`,
    '<table><thead><tr><th>#</th><th>stage</th><th>seconds</th><th>outcome</th><th>result</th></tr></thead>',
    `<tbody>${rows.join('\n')}</tbody></table>`,
    ...summaries,
    '</body></html>',
    ''
  ].join('\n')
}
