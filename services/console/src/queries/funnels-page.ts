/**
 * The Funnels page's own numbers beside the aggregate's funnel queries: the funnels there are,
 * and a funnel's daily conversion from its first step to its last, from `funnel_daily`.
 */
import { type ClickHouseClient, queryRows } from '@opstream/runtime/clickhouse-client'

export interface FunnelTrendRow {
  day: string
  entered: number
  completed: number
  /** completed ÷ entered, 4 places; null on a day nobody entered. */
  conversion: number | null
}

const NAMES_SQL = `SELECT groupUniqArray(funnel) AS names FROM funnel_daily WHERE day >= {from:Date}`

const TREND_SQL = `
SELECT toString(day) AS on_day, toUInt32(sumIf(users, step = 1)) AS entered,
  toUInt32(sumIf(users, step = last_step)) AS completed,
  if(entered > 0, round(completed / entered, 4), NULL) AS conversion
FROM funnel_daily
CROSS JOIN (SELECT max(step) AS last_step FROM funnel_daily WHERE funnel = {funnel:String}) AS s
WHERE funnel = {funnel:String} AND day BETWEEN {from:Date} AND {to:Date}
  AND ({group:String} = '' OR channel_group = {group:String})
GROUP BY on_day
ORDER BY on_day`

export async function funnelNames(client: ClickHouseClient, from: string): Promise<string[]> {
  const [row] = await queryRows<{ names: string[] }>(client, NAMES_SQL, { from })
  return (row?.names ?? []).sort()
}

export async function funnelTrend(
  client: ClickHouseClient,
  p: { funnel: string; from: string; to: string; group: string },
): Promise<FunnelTrendRow[]> {
  const rows = await queryRows<FunnelTrendRow & { on_day: string }>(client, TREND_SQL, p)
  return rows.map(({ on_day, ...r }) => ({ ...r, day: on_day }))
}
