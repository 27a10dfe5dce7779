import { type ClickHouseClient, queryRows } from '@opstream/runtime/clickhouse-client'
import type { AlertRule } from '../core/alert-rules.ts'
import { neededRanges, type SeriesRow } from '../core/series-frame.ts'

/**
 * Reads what every rule needs at window end `at` from `metric_series` in one query: the rows
 * of the metrics (and events) the rules name, in the minute ranges of their current and
 * baseline windows only.
 */
export async function readSeriesRows(
  client: ClickHouseClient,
  rules: readonly AlertRule[],
  at: number,
): Promise<SeriesRow[]> {
  const params: Record<string, unknown> = {}
  const refs = rules.flatMap((r) => Object.values(r.formula.vars))
  const metrics = [...new Set(refs.map((s) => s.metric))]
  const series = metrics.map((metric, i) => {
    params[`m${i}`] = metric
    // A rule without an event reads the whole metric; otherwise only the events rules name.
    if (refs.some((s) => s.metric === metric && s.event === undefined)) return `metric = {m${i}:String}`
    params[`e${i}`] = [...new Set(refs.filter((s) => s.metric === metric).map((s) => s.event))]
    return `(metric = {m${i}:String} AND event IN {e${i}:Array(String)})`
  })
  const ranges = neededRanges(rules, at).map(([from, to], i) => {
    params[`f${i}`] = from / 1000
    params[`t${i}`] = to / 1000
    return `(minute >= toDateTime({f${i}:UInt32}, 'UTC') AND minute < toDateTime({t${i}:UInt32}, 'UTC'))`
  })
  const rows = await queryRows<Omit<SeriesRow, 'minute'> & { minute_ms: string }>(
    client,
    `SELECT toUnixTimestamp(minute) * 1000 AS minute_ms, metric, event, channel_group, platform, value
     FROM metric_series
     WHERE (${series.join(' OR ')}) AND (${ranges.join(' OR ')})`,
    params,
  )
  // (An alias named `minute` would shadow the column in the WHERE clause.)
  return rows.map(({ minute_ms, ...r }) => ({ ...r, minute: Number(minute_ms) }))
}
