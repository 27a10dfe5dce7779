/**
 * The Alerts page: each alert's latest state (firing, pending or resolved) with its explanation,
 * and the state changes of a range, newest first — from `alerts`, where the alerts service writes
 * every change.
 */
import { type ClickHouseClient, queryRows } from '@opstream/runtime/clickhouse-client'

export interface AlertRow {
  at: string
  rule: string
  series: string
  state: string
  severity: string
  value: number | null
  baseline: number | null
  threshold: number | null
  started_at: string
  resolved_at: string | null
  explanation: string
}

const COLUMNS = `toString(at) AS at_text, rule, series, state, severity, value, baseline, threshold,
  toString(started_at) AS started, if(resolved_at IS NULL, NULL, toString(resolved_at)) AS resolved, explanation`

/** State changes of the range, newest first; `latest` keeps each (rule, series)'s newest only. */
const changesSql = (latest: boolean) => `
SELECT ${COLUMNS} FROM alerts
WHERE toDate(at) BETWEEN {from:Date} AND {to:Date} AND ({state:String} = '' OR state = {state:String})
ORDER BY at DESC
${latest ? 'LIMIT 1 BY rule, series' : ''}
LIMIT 200`

type Raw = Omit<AlertRow, 'at' | 'started_at' | 'resolved_at'> & {
  at_text: string
  started: string
  resolved: string | null
}
const row = ({ at_text, started, resolved, ...r }: Raw): AlertRow => ({
  ...r,
  at: at_text,
  started_at: started,
  resolved_at: resolved,
})

export async function alertHistory(
  client: ClickHouseClient,
  p: { from: string; to: string; state: string },
): Promise<AlertRow[]> {
  return (await queryRows<Raw>(client, changesSql(false), p)).map(row)
}

/** Each (rule, series)'s newest state change of the range: what is firing, pending or resolved now. */
export async function alertsNow(
  client: ClickHouseClient,
  p: { from: string; to: string },
): Promise<AlertRow[]> {
  return (await queryRows<Raw>(client, changesSql(true), { ...p, state: '' })).map(row)
}
