/**
 * `npm run report -- --period day|week [--date YYYY-MM-DD] [--lang zh|en] [--out DIR] [--send]`:
 * renders the report of the period holding the date (by default yesterday: the day just ended, or
 * the week that ended with it) as HTML, PNG and Markdown files, from ClickHouse as the read-only
 * user; with --send, delivers it to the configured receivers (exit 1 when one of them failed).
 */
import { parseArgs } from 'node:util'
import { loadConfig } from '@opstream/runtime/config'
import { createLogger } from '@opstream/runtime/logger'
import { connectReader } from './adapters/reader.ts'
import { consoleEnvSchema, reportReceivers } from './config.ts'
import { shiftDay } from './queries/overview.ts'
import type { Period } from './report/report-data.ts'
import { runReport } from './report/report-job.ts'
import type { Lang } from './report/report-labels.ts'

function usage(problem: string): never {
  process.stderr.write(
    `report: ${problem}\nusage: npm run report -- --period day|week [--date YYYY-MM-DD] [--lang zh|en] [--out DIR] [--send]\n`,
  )
  process.exit(2)
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      period: { type: 'string', default: 'day' },
      date: { type: 'string' },
      lang: { type: 'string' },
      out: { type: 'string' },
      send: { type: 'boolean', default: false },
    },
  })
  if (values.period !== 'day' && values.period !== 'week')
    usage(`--period must be day or week, not ${values.period}`)
  if (values.lang !== undefined && values.lang !== 'zh' && values.lang !== 'en')
    usage(`--lang must be zh or en, not ${values.lang}`)
  const date = values.date ?? shiftDay(new Date().toISOString().slice(0, 10), -1)
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) usage(`--date must be YYYY-MM-DD, not ${date}`)
  const config = loadConfig(consoleEnvSchema, process.env)
  const log = createLogger({ service: 'report', level: config.LOG_LEVEL })
  const reader = await connectReader(config, log)
  try {
    const run = await runReport(reader.client, {
      period: values.period as Period,
      date,
      lang: (values.lang as Lang | undefined) ?? config.REPORT_LANG,
      dir: values.out ?? config.REPORT_DIR,
      receivers: values.send ? reportReceivers(config) : [],
      log,
    })
    process.stdout.write(`${run.files.html}\n${run.files.png}\n${run.files.md}\n`)
    const failed = run.results.filter((r) => !r.ok)
    for (const r of run.results)
      process.stderr.write(
        `report: ${r.receiver} ${r.ok ? 'delivered' : `FAILED after ${r.attempts} attempts: ${r.error}`}\n`,
      )
    if (failed.length > 0) process.exitCode = 1
  } finally {
    await reader.close()
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`report: ${err instanceof Error ? err.message : String(err)}\n`)
  process.exit(1)
})
