/**
 * console: the operations console — Overview, Channels, Funnels, Retention, Lifecycle, Alerts and Pipeline
 * pages over the rollups, as the read-only ClickHouse user, behind a password login
 * (127.0.0.1:3000 by default). The pages are static files with Apache ECharts; every number
 * comes from a named API of this process.
 */
import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import type { ClickHouseClient } from '@opstream/runtime/clickhouse-client'
import { loadConfig } from '@opstream/runtime/config'
import { waitForMigrations } from '@opstream/runtime/migrations'
import { exitOnStartupError, type ServiceKit, startServiceKit } from '@opstream/runtime/service-kit'
import { createConsoleRoutes } from './adapters/console-routes.ts'
import { connectReader } from './adapters/reader.ts'
import { type ConsoleConfig, consoleEnvSchema, reportReceivers } from './config.ts'
import { hashPassword } from './core/password.ts'
import { createConsoleMetrics } from './metrics.ts'
import { runReport } from './report/report-job.ts'
import { startReportSchedule } from './report/report-schedule.ts'

const SERVICE = 'console'
const MIGRATIONS_DIR = fileURLToPath(new URL('../../../infra/clickhouse/', import.meta.url))

async function main(): Promise<void> {
  const config = loadConfig(consoleEnvSchema, process.env)
  const kit = await startServiceKit({ service: SERVICE, config, httpPort: config.CONSOLE_HTTP_PORT })
  const reader = await connectReader(config, kit.log)
  kit.shutdown.add({ name: 'clickhouse', run: () => reader.close() })
  kit.shutdown.add({ name: 'http', run: () => kit.http.close() })
  await waitForMigrations(reader.client, MIGRATIONS_DIR, {
    log: kit.log,
    timeoutMs: 120_000,
    stopped: () => kit.shutdown.started,
  })
  let passwordHash = config.CONSOLE_PASSWORD_HASH
  if (!passwordHash) {
    const password = randomBytes(9).toString('base64url')
    passwordHash = await hashPassword(password)
    // Printed once, on stderr beside the logs, for the person who started it.
    process.stderr.write(
      `[console] no CONSOLE_PASSWORD_HASH set: sign in with the password ${password} (valid until this process stops)\n`,
    )
  }
  kit.mount(
    createConsoleRoutes({
      reader: reader.client,
      log: kit.log,
      passwordHash,
      sessionSecret: config.CONSOLE_SESSION_SECRET ?? randomBytes(32).toString('base64url'),
      sessionMs: config.CONSOLE_SESSION_HOURS * 3_600_000,
      refreshS: config.CONSOLE_REFRESH_S,
    }),
  )
  scheduleReports(config, reader.client, kit)
  kit.setReady(true)
  kit.log.info({ url: `http://${config.HTTP_HOST}:${kit.http.port}/` }, 'console listening')
}

/** The daily and weekly reports on REPORT_SCHEDULE, each delivery counted by its outcome. */
function scheduleReports(config: ConsoleConfig, reader: ClickHouseClient, kit: ServiceKit): void {
  if (config.REPORT_SCHEDULE === 'off') return
  const { deliveries } = createConsoleMetrics(kit.registry)
  const receivers = reportReceivers(config)
  const schedule = startReportSchedule(
    config.REPORT_SCHEDULE,
    config.REPORT_TIMEZONE,
    async ({ period, date }) => {
      try {
        const run = await runReport(reader, {
          period,
          date,
          lang: config.REPORT_LANG,
          dir: config.REPORT_DIR,
          receivers,
          log: kit.log,
        })
        for (const r of run.results)
          deliveries.inc({ period, receiver: r.receiver, outcome: r.ok ? 'ok' : 'failed' })
      } catch (err) {
        kit.log.error({ err, period, date }, 'report not rendered')
      }
    },
  )
  kit.shutdown.add({ name: 'report schedule', run: async () => schedule.stop() })
  kit.log.info(
    {
      next: schedule.next()?.toISOString(),
      timeZone: config.REPORT_TIMEZONE,
      receivers: receivers.map((r) => r.kind),
    },
    'reports scheduled',
  )
}

main().catch(exitOnStartupError(SERVICE))
