/**
 * The Pipeline page: each stage's rate (messages per second: ingest's intake, then what each
 * consumer group committed), each group's lag, the messages sent to the DLQ and the events
 * written to ClickHouse, minute by minute over the last hours — from `pipeline_health` (the
 * aggregate samples the topics' and groups' offsets every 15 s) and `metric_points` — and the
 * DLQ's latest records and commonest reasons, from `dead_letters`.
 */
import { type ClickHouseClient, queryRows } from '@opstream/runtime/clickhouse-client'

export interface PipelinePoint {
  minute: string
  /** The consumer group (lag), or the topic (DLQ, delay). */
  series: string
  value: number
}

export interface DeadLetter {
  at: string
  service: string
  error_kind: string
  reason: string
  source_topic: string
  source_partition: number
  /** Decimal (an Int64). */
  source_offset: string
  value_bytes: number
}

export interface DlqReason {
  service: string
  error_kind: string
  /** The reason of the kind's latest record. */
  latest_reason: string
  records: number
  last_at: string
}

export interface Pipeline {
  /** Messages per second by stage: `ingest` (written to the raw topic), then each consumer group. */
  rates: PipelinePoint[]
  lag: PipelinePoint[]
  dlq: PipelinePoint[]
  written: PipelinePoint[]
  delay: PipelinePoint[]
  /** Messages on the DLQ topic, all time (its latest sample). */
  dlqTotal: number | null
  /** The newest records on the DLQ, newest first. */
  deadLetters: DeadLetter[]
  /** Within the hours shown, by service and kind, most first. */
  reasons: DlqReason[]
}

/** Rows are filtered in a subquery: an output alias named like a column would shadow it in a WHERE beside it. */
const HEALTH_SQL = `
SELECT toString(minute) AS at, if(metric = 'consumer_lag', group_name, topic) AS series, value
FROM (SELECT minute, metric, group_name, topic, value FROM pipeline_health FINAL
      WHERE metric = {metric:String} AND minute > now() - INTERVAL {hours:UInt32} HOUR)
ORDER BY at, series`

/**
 * A stage's rate: the increase of its message total from one sampled minute to the next, over
 * the seconds between them (a minute without a sample, when the aggregate was down, is spread
 * over the gap). The hour before the window gives its first minute a predecessor; a series'
 * first sampled minute counts everything before it (as `metric_series` counts the DLQ).
 */
const RATES_SQL = `
SELECT at, series, value FROM (
  SELECT toString(minute) AS at, minute AS on_minute, series,
         greatest(total - lagInFrame(total, 1, 0) OVER w, 0)
           / greatest(dateDiff('second', lagInFrame(minute, 1, minute - 60) OVER w, minute), 1) AS value
  FROM (SELECT minute, if(metric = 'produced_total', 'ingest', group_name) AS series, value AS total
        FROM pipeline_health FINAL
        WHERE metric IN ('produced_total', 'consumed_total') AND minute > now() - INTERVAL ({hours:UInt32} + 1) HOUR)
  WINDOW w AS (PARTITION BY series ORDER BY minute ROWS BETWEEN 1 PRECEDING AND CURRENT ROW))
WHERE on_minute > now() - INTERVAL {hours:UInt32} HOUR
ORDER BY at, series`

const DEAD_LETTERS_SQL = `
SELECT toString(failed_at) AS at, service, error_kind, reason, source_topic, source_partition, source_offset, value_bytes
FROM dead_letters FINAL ORDER BY failed_at DESC, src_partition, src_offset DESC LIMIT 20`

const REASONS_SQL = `
SELECT service, error_kind, argMax(reason, failed_at) AS latest_reason, toUInt32(count()) AS records,
       toString(max(failed_at)) AS last_at
FROM dead_letters FINAL WHERE failed_at > now() - INTERVAL {hours:UInt32} HOUR
GROUP BY service, error_kind ORDER BY records DESC, service, error_kind LIMIT 20`

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
  const [rates, lag, delay, dlq, written, total, deadLetters, reasons] = await Promise.all([
    queryRows<Row>(client, RATES_SQL, { hours }),
    queryRows<Row>(client, HEALTH_SQL, { metric: 'consumer_lag', hours }),
    queryRows<Row>(client, HEALTH_SQL, { metric: 'event_delay_seconds', hours }),
    queryRows<Row>(client, DLQ_SQL, { hours }),
    queryRows<Row>(client, WRITTEN_SQL, { hours }),
    queryRows<{ total: number | null }>(client, TOTAL_SQL),
    queryRows<DeadLetter>(client, DEAD_LETTERS_SQL),
    queryRows<DlqReason>(client, REASONS_SQL, { hours }),
  ])
  return {
    rates: points(rates),
    lag: points(lag),
    delay: points(delay),
    dlq: points(dlq),
    written: points(written),
    dlqTotal: total[0]?.total ?? null,
    deadLetters,
    reasons,
  }
}
