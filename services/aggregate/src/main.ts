import { fileURLToPath } from 'node:url'
import { createClickHouse, queryRows } from '@opstream/runtime/clickhouse-client'
import { loadConfig } from '@opstream/runtime/config'
import { runMigrations } from '@opstream/runtime/migrations'
import { exitOnStartupError, startServiceKit } from '@opstream/runtime/service-kit'
import { aggregateEnvSchema } from './config.ts'

const SERVICE = 'aggregate'
const MIGRATIONS_DIR = fileURLToPath(new URL('../../../infra/clickhouse/', import.meta.url))

/**
 * aggregate: owns ClickHouse (embedded chDB by default: one process per data directory).
 * At this stage it opens ClickHouse, applies the migrations, verifies the broker and serves
 * health and metrics; the sink and the rollups are wired here when they land.
 */
async function main(): Promise<void> {
  const config = loadConfig(aggregateEnvSchema, process.env)
  const kit = await startServiceKit({ service: SERVICE, config, httpPort: config.AGGREGATE_HTTP_PORT })
  const ch = await createClickHouse({
    url: config.CLICKHOUSE_URL,
    user: config.CLICKHOUSE_USER,
    password: config.CLICKHOUSE_PASSWORD,
    database: config.CLICKHOUSE_DATABASE,
    chdbPath: config.CHDB_PATH,
    log: kit.log,
  })
  const migrations = await runMigrations(ch.client, MIGRATIONS_DIR, kit.log)
  const [version] = await queryRows<{ v: string }>(ch.client, 'SELECT version() AS v')
  kit.log.info({ mode: ch.mode, version: version?.v, ...migrations }, 'ClickHouse ready')

  const admin = await kit.kafka.admin()
  kit.shutdown.add({ name: 'kafka admin', run: () => admin.disconnect() })
  kit.shutdown.add({ name: 'clickhouse', run: () => ch.close() })
  kit.shutdown.add({ name: 'http', run: () => kit.http.close() })
  const cluster = await admin.describeCluster()
  kit.log.info({ clusterId: cluster.clusterId }, 'broker reachable')
  kit.setReady(true)
}

main().catch(exitOnStartupError(SERVICE))
