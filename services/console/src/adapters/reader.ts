/** ClickHouse as the read-only user: the only ClickHouse credentials the console and the reports hold. */
import { createClickHouse } from '@opstream/runtime/clickhouse-client'
import type { Logger } from '@opstream/runtime/logger'
import type { ConsoleConfig } from '../config.ts'

export function connectReader(config: ConsoleConfig, log: Logger) {
  return createClickHouse({
    url: config.CLICKHOUSE_URL,
    database: config.CLICKHOUSE_DATABASE,
    user: config.CLICKHOUSE_READER_USER,
    password: config.CLICKHOUSE_READER_PASSWORD,
    createDatabase: false,
    log,
  })
}
