/**
 * One report run, as the CLI and the console's schedule both make it: gather the numbers, write
 * the HTML, PNG and Markdown files, and deliver them to the receivers. The files stay on disk
 * whatever the deliveries do, so a report that could not be sent is still there to send by hand.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { ClickHouseClient } from '@opstream/runtime/clickhouse-client'
import type { Logger } from '@opstream/runtime/logger'
import { renderPng } from './render-png.ts'
import { renderHtml, renderMarkdown, reportTitle } from './render-report.ts'
import { gatherReport, type Period } from './report-data.ts'
import { type DeliveryResult, deliverReport, type ReportReceiver } from './report-delivery.ts'
import type { Lang } from './report-labels.ts'

export interface ReportRun {
  files: { html: string; png: string; md: string }
  results: DeliveryResult[]
  renderMs: number
}

export async function runReport(
  reader: ClickHouseClient,
  opts: {
    period: Period
    date: string
    lang: Lang
    dir: string
    receivers: readonly ReportReceiver[]
    log: Logger
    backoffBaseMs?: number
  },
): Promise<ReportRun> {
  const started = Date.now()
  const data = await gatherReport(reader, opts.period, opts.date)
  const report = {
    title: reportTitle(data, opts.lang),
    html: renderHtml(data, opts.lang),
    markdown: renderMarkdown(data, opts.lang),
    png: renderPng(data, opts.lang),
    period: opts.period,
    ...data.range,
  }
  const dir = resolve(opts.dir)
  mkdirSync(dir, { recursive: true })
  const base = join(dir, `opstream-${opts.period}-${data.range.from}-${opts.lang}`)
  const files = { html: `${base}.html`, png: `${base}.png`, md: `${base}.md` }
  writeFileSync(files.html, report.html)
  writeFileSync(files.png, report.png)
  writeFileSync(files.md, report.markdown)
  const renderMs = Date.now() - started
  opts.log.info(
    { period: opts.period, from: data.range.from, to: data.range.to, renderMs },
    'report rendered',
  )
  const results = await deliverReport(report, opts.receivers, {
    log: opts.log,
    ...(opts.backoffBaseMs === undefined ? {} : { backoffBaseMs: opts.backoffBaseMs }),
  })
  return { files, results, renderMs }
}
