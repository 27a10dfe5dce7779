import { Counter, Gauge, Histogram, type Registry } from 'prom-client'

export interface ServerMetrics {
  queries: Counter<'kind' | 'outcome'>
  duration: Histogram<'kind'>
  running: Gauge
  rejected: Counter<'reason'>
  errors: Counter<'code'>
  cancelled: Counter
  bytesReceived: Counter
  bytesSent: Counter
}

export function createServerMetrics(registry: Registry): ServerMetrics {
  const registers = [registry]
  return {
    queries: new Counter({
      name: 'clickhouse_local_queries_total',
      help: 'Statements run by the engine, by kind (read, insert, set, use, other) and outcome. Healthy: errors stay a small share.',
      labelNames: ['kind', 'outcome'],
      registers,
    }),
    duration: new Histogram({
      name: 'clickhouse_local_query_duration_seconds',
      help: "Time from a statement's start in the engine to its result, by kind. Healthy: reads of rollups well under a second.",
      labelNames: ['kind'],
      buckets: [0.005, 0.02, 0.1, 0.5, 1, 2, 5, 15, 60],
      registers,
    }),
    running: new Gauge({
      name: 'clickhouse_local_queries_running',
      help: 'Requests running now (body read included). Healthy: below CLICKHOUSE_LOCAL_MAX_CONCURRENT_QUERIES.',
      registers,
    }),
    rejected: new Counter({
      name: 'clickhouse_local_requests_rejected_total',
      help: 'Requests refused before the engine saw them: concurrency (503) or body_size (413). Healthy: 0.',
      labelNames: ['reason'],
      registers,
    }),
    errors: new Counter({
      name: 'clickhouse_local_errors_total',
      help: 'Error answers by ClickHouse error code. Healthy: near 0 for writers; a reader typing SQL makes some.',
      labelNames: ['code'],
      registers,
    }),
    cancelled: new Counter({
      name: 'clickhouse_local_queries_cancelled_total',
      help: 'Queries killed because their client went away before the answer. Healthy: rare.',
      registers,
    }),
    bytesReceived: new Counter({
      name: 'clickhouse_local_received_bytes_total',
      help: 'Request body bytes after decompression (INSERT data mostly).',
      registers,
    }),
    bytesSent: new Counter({
      name: 'clickhouse_local_sent_bytes_total',
      help: 'Response body bytes as sent (after compression).',
      registers,
    }),
  }
}
