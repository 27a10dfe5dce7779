/**
 * alerts: evaluates the alert rules against `metric_series` every interval of the rules file
 * and notifies the receivers. A reader of ClickHouse like any other — `metric_series` and the
 * alerts history as the read-only user; only the `alerts` table is written, as a writer. The
 * aggregate applies the migrations; this service waits for them at start.
 */
import { fileURLToPath } from 'node:url'
import { createClickHouse } from '@opstream/runtime/clickhouse-client'
import { loadConfig } from '@opstream/runtime/config'
import { waitForMigrations } from '@opstream/runtime/migrations'
import { exitOnStartupError, startServiceKit } from '@opstream/runtime/service-kit'
import { alertsServiceEnvSchema } from './config.ts'
import { prepareAlerts } from './start-alerts.ts'

const SERVICE = 'alerts'
const MIGRATIONS_DIR = fileURLToPath(new URL('../../../infra/clickhouse/', import.meta.url))

async function main(): Promise<void> {
  const config = loadConfig(alertsServiceEnvSchema, process.env)
  const kit = await startServiceKit({ service: SERVICE, config, httpPort: config.ALERTS_HTTP_PORT })
  const common = { url: config.CLICKHOUSE_URL, database: config.CLICKHOUSE_DATABASE, log: kit.log }
  const writer = await createClickHouse({
    ...common,
    user: config.CLICKHOUSE_USER,
    password: config.CLICKHOUSE_PASSWORD,
    createDatabase: false,
  })
  const reader = await createClickHouse({
    ...common,
    user: config.CLICKHOUSE_READER_USER,
    password: config.CLICKHOUSE_READER_PASSWORD,
    createDatabase: false,
  })
  await waitForMigrations(reader.client, MIGRATIONS_DIR, {
    log: kit.log,
    timeoutMs: config.ALERTS_SCHEMA_WAIT_MS,
    stopped: () => kit.shutdown.started,
  })
  const alerts = prepareAlerts({ kit, reader: reader.client, writer: writer.client, config })
  kit.shutdown.add({
    name: 'clickhouse',
    run: async () => void (await Promise.all([reader.close(), writer.close()])),
  })
  kit.shutdown.add({ name: 'http', run: () => kit.http.close() })
  await alerts.start()
  kit.setReady(true)
}

main().catch(exitOnStartupError(SERVICE))
