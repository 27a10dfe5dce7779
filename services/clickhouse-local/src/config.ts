import { baseEnvSchema } from '@opstream/runtime/config'
import { z } from 'zod'
import { parseUsers, sha256Hex } from './core/users.ts'

const positiveInt = z.coerce.number().int().positive()

/** Development users: the services' writer `opstream` and the read-only `reader` (see .env.example). */
export const DEV_USERS = `opstream:writer:${sha256Hex('opstream')},reader:reader:${sha256Hex('reader')}`

export const clickhouseLocalEnvSchema = baseEnvSchema.extend({
  CLICKHOUSE_LOCAL_HOST: z.string().default('127.0.0.1'),
  CLICKHOUSE_LOCAL_PORT: z.coerce.number().int().min(0).max(65535).default(8123),
  /** The engine's data directory; one process owns it at a time. */
  CHDB_PATH: z.string().default('.data/chdb'),
  CLICKHOUSE_LOCAL_USERS: z
    .string()
    .default(DEV_USERS)
    .transform((s, ctx) => {
      try {
        return parseUsers(s)
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message })
        return z.NEVER
      }
    }),
  /** Largest request body accepted, after decompression. */
  CLICKHOUSE_LOCAL_MAX_BODY_BYTES: positiveInt.default(1024 * 1024 * 1024),
  /** Queries running at once; more get 503. Some of them are kept for writers. */
  CLICKHOUSE_LOCAL_MAX_CONCURRENT_QUERIES: positiveInt.max(256).default(16),
  CLICKHOUSE_LOCAL_WRITER_RESERVED: z.coerce.number().int().min(0).default(4),
  /** max_execution_time of readers' queries, in seconds (0: none). */
  CLICKHOUSE_LOCAL_READER_MAX_EXECUTION_TIME: z.coerce.number().int().min(0).default(60),
  /**
   * libuv's worker threads (Node's own variable, read at launch): every engine call holds one, so
   * it must exceed CLICKHOUSE_LOCAL_MAX_CONCURRENT_QUERIES. Unset, Node has 4; the launchers
   * set it to the query limit + 4.
   */
  UV_THREADPOOL_SIZE: positiveInt.max(1024).optional(),
  /** Set by the process that started this server: the server shuts down when that one is gone. */
  CLICKHOUSE_LOCAL_PARENT_PID: z.coerce.number().int().positive().optional(),
})

/** Worker threads the server wants: one for each query allowed at once, and spare for its own KILLs. */
export const threadsFor = (maxConcurrentQueries: number): number => maxConcurrentQueries + 4

/** The UV_THREADPOOL_SIZE a launcher gives the server (the one set already, else `threadsFor`). */
export function threadPoolSizeFor(env: Readonly<Record<string, string | undefined>>): string {
  if (env.UV_THREADPOOL_SIZE) return env.UV_THREADPOOL_SIZE
  const limit = clickhouseLocalEnvSchema.shape.CLICKHOUSE_LOCAL_MAX_CONCURRENT_QUERIES
  // A bad value is the server's to report at start-up; the default sizes the pool meanwhile.
  const max = limit.safeParse(env.CLICKHOUSE_LOCAL_MAX_CONCURRENT_QUERIES).data ?? limit.parse(undefined)
  return String(threadsFor(max))
}

export type ClickHouseLocalConfig = z.infer<typeof clickhouseLocalEnvSchema>
