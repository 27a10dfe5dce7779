/**
 * `npm run report -- --period day|week [--date YYYY-MM-DD] [--lang zh|en] [--out DIR]`: renders the
 * report of the period holding the date (by default yesterday: the day just ended, or the week
 * that ended with it) as HTML, PNG and Markdown files, from ClickHouse as the read-only user.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { loadConfig } from '@opstream/runtime/config'
import { createLogger } from '@opstream/runtime/logger'
import { connectReader } from './adapters/reader.ts'
import { consoleEnvSchema } from './config.ts'
import { shiftDay } from './queries/overview.ts'
import { renderPng } from './report/render-png.ts'
import { renderHtml, renderMarkdown } from './report/render-report.ts'
import { gatherReport, type Period } from './report/report-data.ts'
import type { Lang } from './report/report-labels.ts'

function usage(problem: string): never {
  process.stderr.write(
    `report: ${problem}\nusage: npm run report -- --period day|week [--date YYYY-MM-DD] [--lang zh|en] [--out DIR]\n`,
  )
  process.exit(2)
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      period: { type: 'string', default: 'day' },
      date: { type: 'string' },
      lang: { type: 'string', default: 'zh' },
      out: { type: 'string', default: '.data/reports' },
    },
  })
  if (values.period !== 'day' && values.period !== 'week')
    usage(`--period must be day or week, not ${values.period}`)
  if (values.lang !== 'zh' && values.lang !== 'en') usage(`--lang must be zh or en, not ${values.lang}`)
  const date = values.date ?? shiftDay(new Date().toISOString().slice(0, 10), -1)
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) usage(`--date must be YYYY-MM-DD, not ${date}`)
  const config = loadConfig(consoleEnvSchema, process.env)
  const log = createLogger({ service: 'report', level: config.LOG_LEVEL })
  const reader = await connectReader(config, log)
  try {
    const started = Date.now()
    const data = await gatherReport(reader.client, values.period as Period, date)
    const lang = values.lang as Lang
    const dir = resolve(values.out)
    mkdirSync(dir, { recursive: true })
    const base = join(dir, `opstream-${values.period}-${data.range.from}-${lang}`)
    writeFileSync(`${base}.html`, renderHtml(data, lang))
    writeFileSync(`${base}.md`, renderMarkdown(data, lang))
    writeFileSync(`${base}.png`, renderPng(data, lang))
    process.stdout.write(`${base}.html\n${base}.png\n${base}.md\n`)
    log.info(
      { period: values.period, from: data.range.from, to: data.range.to, ms: Date.now() - started },
      'report written',
    )
  } finally {
    await reader.close()
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`report: ${err instanceof Error ? err.message : String(err)}\n`)
  process.exit(1)
})
