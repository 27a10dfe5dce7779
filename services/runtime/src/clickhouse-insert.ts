import type { ClickHouseClient } from '@clickhouse/client'

/** How an INSERT deduplicates: under a token (a re-sent block is dropped), or not at all. */
export type Dedup = { token: string } | 'none'

/**
 * Inserts rows as JSONCompactEachRow text built here, with the INSERT's settings in its own
 * SETTINGS clause. Every write to ClickHouse goes through this function, for two reasons:
 *
 * - Settings stay with their statement. `client.insert`'s `clickhouse_settings` reach embedded
 *   chDB as session-wide `SET` statements that outlive the query, so a deduplication token (or
 *   a date format) would carry over to the next INSERT that names none, and ClickHouse would drop
 *   that INSERT's rows as a repeat of the last token's block. Here every INSERT states whether and
 *   under which token it deduplicates, in both engines.
 * - Speed. `client.insert` serializes row by row into a stream that chDB then concatenates back
 *   into one string; building the text at once halves the INSERT's time on the Node side.
 *
 * Rows come from one builder, so the first row's keys name every row's columns.
 */
export async function insertRows(
  client: ClickHouseClient,
  table: string,
  rows: readonly object[],
  dedup: Dedup,
  extra: Readonly<Record<string, string | number>> = {},
): Promise<void> {
  if (rows.length === 0) return
  const columns = Object.keys(rows[0] as object)
  const lines = new Array<string>(rows.length)
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i] as Record<string, unknown>
    lines[i] = JSON.stringify(columns.map((c) => r[c]))
  }
  await client.command({
    query: `INSERT INTO ${identifier(table)} (${columns.map(identifier).join(', ')}) SETTINGS ${settingsClause({ ...insertSettings(dedup), ...extra })} FORMAT JSONCompactEachRow\n${lines.join('\n')}`,
  })
}

/** An INSERT's settings for its deduplication, synchronous (no async insert queue). */
export function insertSettings(dedup: Dedup): Record<string, string | number> {
  return dedup === 'none'
    ? { async_insert: 0, insert_deduplicate: 0 }
    : {
        async_insert: 0,
        insert_deduplicate: 1,
        insert_deduplication_token: dedup.token,
        deduplicate_blocks_in_dependent_materialized_views: 1,
      }
}

function identifier(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`invalid ClickHouse identifier ${name}`)
  return name
}

export function settingsClause(settings: Readonly<Record<string, string | number>>): string {
  return Object.entries(settings)
    .map(([k, v]) => `${identifier(k)} = ${typeof v === 'number' ? v : stringLiteral(v)}`)
    .join(', ')
}

/** A ClickHouse string literal: backslash and quote escaped. */
export function stringLiteral(s: string): string {
  return `'${s.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`
}
