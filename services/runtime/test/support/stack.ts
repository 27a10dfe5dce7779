import { randomBytes } from 'node:crypto'
import { inject } from 'vitest'
import { type ClickHouse, createClickHouse } from '../../src/clickhouse-client.ts'
import { createKafkaClient } from '../../src/kafka-adapter.ts'
import type { AdminHandle, KafkaClient } from '../../src/kafka-types.ts'
import { createLogger, type Logger } from '../../src/logger.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string[]
    clickhouseUrl: string
    clickhouseAuth: { user: string; password: string; readerUser: string; readerPassword: string }
    stackDescription: string
  }
}

/**
 * Helpers for integration tests. Every test file names its own topics, groups and database
 * with uniqueName(), so files never share or wipe each other's state.
 */
export function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`
}

export function testLogger(service = 'test'): Logger {
  return createLogger({
    service,
    level: process.env.TEST_LOG_LEVEL ?? 'fatal',
    destination: process.stderr,
  })
}

export function brokers(): string[] {
  return inject('kafkaBrokers')
}

export function testKafka(clientId = uniqueName('test')): KafkaClient {
  return createKafkaClient({ brokers: brokers(), clientId, log: testLogger('kafka') })
}

/** The run's ClickHouse and the writer's credentials, as a service's environment names them. */
export function clickhouseEnv(database: string): Record<string, string> {
  const auth = inject('clickhouseAuth')
  return {
    CLICKHOUSE_URL: inject('clickhouseUrl'),
    CLICKHOUSE_USER: auth.user,
    CLICKHOUSE_PASSWORD: auth.password,
    CLICKHOUSE_READER_USER: auth.readerUser,
    CLICKHOUSE_READER_PASSWORD: auth.readerPassword,
    CLICKHOUSE_DATABASE: database,
  }
}

/** A database of its own on the run's ClickHouse, as the writer (or as the read-only user). */
export async function testClickHouse(
  database = uniqueName('db'),
  as: 'writer' | 'reader' = 'writer',
  url = inject('clickhouseUrl'),
): Promise<ClickHouse> {
  const auth = inject('clickhouseAuth')
  return createClickHouse({
    url,
    user: as === 'writer' ? auth.user : auth.readerUser,
    password: as === 'writer' ? auth.password : auth.readerPassword,
    database,
    createDatabase: as === 'writer',
    log: testLogger('clickhouse'),
  })
}

/** Polls until `probe` returns a value other than undefined/false, or fails with `what` after the timeout. */
export async function waitFor<T>(
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  opts: { what: string; timeoutMs?: number; intervalMs?: number },
): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000)
  let lastError: unknown
  for (;;) {
    try {
      const value = await probe()
      if (value !== undefined && value !== false) return value
    } catch (err) {
      lastError = err
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${opts.what}`, { cause: lastError })
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 100))
  }
}

/** True when the group's committed offset reached the end of every non-empty partition. */
export async function committedToEnd(admin: AdminHandle, groupId: string, topic: string): Promise<boolean> {
  const [ends, committed] = await Promise.all([
    admin.fetchTopicOffsets(topic),
    admin.fetchCommitted(groupId, topic),
  ])
  return ends.every(
    (e) => e.high === e.low || committed.find((c) => c.partition === e.partition)?.offset === e.high,
  )
}
