import type { ClickHouseClient } from '@opstream/runtime/clickhouse-client'
import { expect } from 'vitest'
import { loadFunnels } from '../../src/adapters/funnels-file.ts'
import { funnelCheckQueries, REFRESH_FUNNEL_ROLLUPS } from './funnel-sql.ts'
import { queryTables, runQuery } from './query-tables.ts'

/**
 * Every configured funnel: each person's level in funnel_progress, and the funnel_daily rollup's
 * counts per step × channel × campaign × platform, against windowFunnel over the raw events of
 * each person's stitched timeline (a device's activity before sign-in is the user's).
 */
export async function expectFunnelsExact(
  target: Parameters<typeof queryTables>[0] | ClickHouseClient,
  log: (line: string) => void,
): Promise<void> {
  const funnels = loadFunnels().funnels
  const queries = [...REFRESH_FUNNEL_ROLLUPS, ...funnels.flatMap((f) => funnelCheckQueries(f))]
  // A client: the database is this process's own; else the one an aggregate process wrote.
  let all: Record<string, unknown>[][]
  if ('query' in target) {
    all = []
    for (const q of queries) all.push(await runQuery<Record<string, unknown>>(target, q))
  } else all = await queryTables(target, queries)
  const results = all.slice(REFRESH_FUNNEL_ROLLUPS.length)
  funnels.forEach((f, i) => {
    const [levels, differingCounts] = [results[2 * i], results[2 * i + 1]]
    log(`funnel ${f.name}: ${JSON.stringify(levels)}; differing counts ${JSON.stringify(differingCounts)}`)
    expect(levels?.[0]?.differing).toBe(0)
    expect((levels?.[0]?.converting as number) > 0).toBe(true)
    expect(differingCounts).toEqual([])
  })
}
