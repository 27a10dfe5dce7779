/**
 * The Pipeline page: each consumer group's lag, the messages sent to the DLQ and the events
 * written to ClickHouse, minute by minute over the last hours, and each series' latest value —
 * from `pipeline_health` (the aggregate samples lag and the DLQ total every 15 s) and
 * `metric_points`.
 */
import { type ClickHouseClient, queryRows } from '@opstream/runtime/clickhouse-client'

export interface PipelinePoint {
  minute: string
  /** The consumer group (lag), or the topic (DLQ, delay). */
  series: string
  value: number
}

export interface Pipeline {
  lag: PipelinePoint[]
  dlq: PipelinePoint[]
  written: PipelinePoint[]
  delay: PipelinePoint[]
  /** Messages on the DLQ topic, all time (its latest sample). */
  dlqTotal: number | null
}

/** Rows are filtered in a subquery: an output alias named like a column would shadow it in a WHERE beside it. */
const HEALTH_SQL = `
SELECT toString(minute) AS at, if(metric = 'consumer_lag', group_name, topic) AS series, value
FROM (SELECT minute, metric, group_name, topic, value FROM pipeline_health FINAL
      WHERE metric = {metric:String} AND minute > now() - INTERVAL {hours:UInt32} HOUR)
ORDER BY at, series`

const DLQ_SQL = `
SELECT toString(minute) AS at, channel_group AS series, value
FROM (SELECT minute, channel_group, value FROM metric_series
      WHERE metric = 'dlq_messages' AND minute > now() - INTERVAL {hours:UInt32} HOUR)
ORDER BY at`

const WRITTEN_SQL = `
SELECT toString(minute) AS at, 'events' AS series, sum(value) AS value
FROM (SELECT minute, value FROM metric_points WHERE metric = 'events' AND minute > now() - INTERVAL {hours:UInt32} HOUR)
GROUP BY at ORDER BY at`

const TOTAL_SQL = `SELECT argMax(value, minute) AS total FROM pipeline_health FINAL WHERE metric = 'dlq_total'`

type Row = { at: string; series: string; value: number }
const points = (rows: Row[]): PipelinePoint[] =>
  rows.map((r) => ({ minute: r.at, series: r.series, value: Number(r.value) }))

export async function pipeline(client: ClickHouseClient, hours: number): Promise<Pipeline> {
  const [lag, delay, dlq, written, total] = await Promise.all([
    queryRows<Row>(client, HEALTH_SQL, { metric: 'consumer_lag', hours }),
    queryRows<Row>(client, HEALTH_SQL, { metric: 'event_delay_seconds', hours }),
    queryRows<Row>(client, DLQ_SQL, { hours }),
    queryRows<Row>(client, WRITTEN_SQL, { hours }),
    queryRows<{ total: number | null }>(client, TOTAL_SQL),
  ])
  return {
    lag: points(lag),
    delay: points(delay),
    dlq: points(dlq),
    written: points(written),
    dlqTotal: total[0]?.total ?? null,
  }
}
