/**
 * ClickHouse as the read-only user: the only ClickHouse credentials the console and the reports
 * hold. At most READER_QUERIES of its queries run at once (a page or a report fans out into a
 * dozen; the rest wait), well within a server's concurrent-query limit for one user.
 */
import { createClickHouse } from '@opstream/runtime/clickhouse-client'
import type { Logger } from '@opstream/runtime/logger'
import type { ConsoleConfig } from '../config.ts'

const READER_QUERIES = 4

export function connectReader(config: ConsoleConfig, log: Logger) {
  return createClickHouse({
    url: config.CLICKHOUSE_URL,
    database: config.CLICKHOUSE_DATABASE,
    user: config.CLICKHOUSE_READER_USER,
    password: config.CLICKHOUSE_READER_PASSWORD,
    createDatabase: false,
    maxOpenConnections: READER_QUERIES,
    log,
  })
}
