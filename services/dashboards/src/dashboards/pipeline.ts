import { dashboard, layout, promPanel } from '../core/panels.ts'

/** Per-minute health samples the aggregate writes (lag per consumer group, DLQ total, delay). */
const health = (metric: string) =>
  `(SELECT minute, group_name, topic, value FROM pipeline_health FINAL WHERE metric = '${metric}' AND $__timeFilter(minute))`

const sqlPanels = layout([
  {
    title: '入库事件 · Events per minute (by event time)',
    shape: 'timeseries',
    w: 12,
    sql: `SELECT $__timeInterval(minute) AS time, platform, sum(value) / ($__interval_s / 60) AS events_per_minute
FROM metric_points
WHERE metric = 'events' AND $__timeFilter(minute)
GROUP BY time, platform
ORDER BY time`,
  },
  {
    title: '消费延迟 · Consumer lag (messages) by stage',
    shape: 'timeseries',
    w: 12,
    sql: `SELECT $__timeInterval(minute) AS time, group_name AS consumer_group, max(value) AS lag
FROM ${health('consumer_lag')}
GROUP BY time, consumer_group
ORDER BY time`,
  },
  {
    title: '死信 · DLQ messages per minute',
    shape: 'timeseries',
    w: 12,
    sql: `SELECT $__timeInterval(minute) AS time, sum(value) AS dlq_messages
FROM metric_series
WHERE metric = 'dlq_messages' AND $__timeFilter(minute)
GROUP BY time
ORDER BY time`,
  },
  {
    title: '入库时延 · Event-to-table delay (seconds from receipt to the row)',
    shape: 'timeseries',
    w: 12,
    unit: 's',
    sql: `SELECT $__timeInterval(minute) AS time, max(value) AS delay_seconds
FROM ${health('event_delay_seconds')}
GROUP BY time
ORDER BY time`,
  },
])

const bottom = Math.max(...sqlPanels.map((p) => (p.gridPos?.y ?? 0) + (p.gridPos?.h ?? 0)))

/**
 * Each stage's own counters, from Prometheus (the compose stack scrapes every service's
 * /metrics): messages by outcome per second, and ingest's accepted events.
 */
const promPanels = [
  promPanel(
    '采集 · Ingest: events accepted per second',
    'sum by (outcome) (rate(ingest_events_total[1m]))',
    '{{outcome}}',
    { x: 0, y: bottom, w: 8, h: 8 },
  ),
  promPanel(
    '补全 · Enrich: messages per second by outcome',
    'sum by (outcome) (rate(enrich_consumer_messages_total[1m]))',
    '{{outcome}}',
    { x: 8, y: bottom, w: 8, h: 8 },
  ),
  promPanel(
    '聚合 · Aggregate: messages per second by outcome',
    'sum by (outcome) (rate(aggregate_consumer_messages_total[1m]))',
    '{{outcome}}',
    { x: 16, y: bottom, w: 8, h: 8 },
  ),
].map((p, i) => ({ ...p, id: sqlPanels.length + i + 1 }))

export const pipeline = dashboard({
  uid: 'opstream-pipeline',
  title: '数据管道 · Pipeline',
  description:
    'Events per minute, consumer lag by stage, DLQ rate and event-to-table delay; each stage’s rates from Prometheus.',
  tags: ['pipeline'],
  variables: [],
  refresh: '30s',
  time: { from: 'now-6h', to: 'now' },
  panels: [...sqlPanels, ...promPanels],
})
