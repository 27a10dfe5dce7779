import { createHash } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Logger } from 'pino'
import { type ClickHouseClient, queryRows } from './clickhouse-client.ts'
import { insertRows } from './clickhouse-insert.ts'

export interface Migration {
  version: number
  name: string
  sql: string
  checksum: string
}

const FILE_PATTERN = /^(\d{4})_([a-z0-9_]+)\.sql$/

/** Reads `NNNN_name.sql` files in version order; a gap or a duplicate version is an error. */
export async function readMigrations(dir: string): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort()
  const migrations: Migration[] = []
  for (const file of files) {
    const match = FILE_PATTERN.exec(file)
    if (!match) throw new Error(`migration file name ${file} does not match NNNN_name.sql`)
    const version = Number(match[1])
    const expected = migrations.length + 1
    if (version !== expected) throw new Error(`migration ${file}: expected version ${expected}`)
    const sql = await readFile(join(dir, file), 'utf8')
    migrations.push({ version, name: match[2] as string, sql, checksum: sha256(sql) })
  }
  return migrations
}

/** Splits a file into statements at semicolons that end a line; `--` comment lines are dropped. */
export function splitStatements(sql: string): string[] {
  return sql
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('--'))
    .join('\n')
    .split(/;\s*$/m)
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
}

export interface MigrationResult {
  applied: number[]
  skipped: number[]
}

/**
 * Applies migrations not yet recorded in `schema_migrations`, in order. Safe to re-run: applied
 * versions are skipped. A recorded migration whose file has changed since is an error — a
 * released migration is never edited; a new one is added instead.
 */
export async function runMigrations(
  client: ClickHouseClient,
  dir: string,
  log: Logger,
): Promise<MigrationResult> {
  await client.command({
    query: `CREATE TABLE IF NOT EXISTS schema_migrations (
      version UInt32, name String, checksum String, applied_at DateTime64(3) DEFAULT now64(3)
    ) ENGINE = MergeTree ORDER BY version`,
  })
  const done = new Map(
    (
      await queryRows<{ version: number; checksum: string }>(
        client,
        'SELECT version, checksum FROM schema_migrations',
      )
    ).map((r) => [Number(r.version), r.checksum]),
  )
  const result: MigrationResult = { applied: [], skipped: [] }
  for (const m of await readMigrations(dir)) {
    const recorded = done.get(m.version)
    if (recorded !== undefined) {
      if (recorded !== m.checksum) {
        throw new Error(
          `migration ${m.version}_${m.name} was changed after it was applied (checksum differs)`,
        )
      }
      result.skipped.push(m.version)
      continue
    }
    for (const statement of splitStatements(m.sql)) await client.command({ query: statement })
    await insertRows(
      client,
      'schema_migrations',
      [{ version: m.version, name: m.name, checksum: m.checksum }],
      'none',
    )
    log.info({ version: m.version, name: m.name }, 'migration applied')
    result.applied.push(m.version)
  }
  return result
}

function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex')
}

/**
 * Waits until every migration in `dir` is recorded in `schema_migrations` — for a service that
 * reads tables another service (the aggregate) creates. Fails after the timeout, naming what
 * is missing.
 */
export async function waitForMigrations(
  client: ClickHouseClient,
  dir: string,
  opts: { log: Logger; timeoutMs: number; stopped?: () => boolean; intervalMs?: number },
): Promise<void> {
  const wanted = (await readMigrations(dir)).length
  const deadline = Date.now() + opts.timeoutMs
  for (let logged = false; ; ) {
    const applied = await queryRows<{ n: number }>(
      client,
      "SELECT toUInt32(count()) AS n FROM system.tables WHERE database = currentDatabase() AND name = 'schema_migrations'",
    ).then(async ([t]) =>
      t?.n
        ? Number(
            (
              await queryRows<{ n: number }>(
                client,
                'SELECT toUInt32(uniqExact(version)) AS n FROM schema_migrations',
              )
            )[0]?.n ?? 0,
          )
        : 0,
    )
    if (applied >= wanted) return
    if (Date.now() > deadline || opts.stopped?.())
      throw new Error(
        `the ClickHouse schema has ${applied} of ${wanted} migrations; is the aggregate running?`,
      )
    if (!logged) opts.log.info({ applied, wanted }, 'waiting for the aggregate to apply the migrations')
    logged = true
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 1_000))
  }
}
