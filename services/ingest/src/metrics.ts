import { Counter, Gauge, Histogram, type Registry } from 'prom-client'

export interface IngestMetrics {
  requests: Counter<'route' | 'status'>
  events: Counter<'outcome' | 'reason'>
  produceSeconds: Histogram<'topic'>
  bufferEvents: Gauge
  bufferCapacity: Gauge
}

export function createIngestMetrics(registry: Registry): IngestMetrics {
  const registers = [registry]
  return {
    requests: new Counter({
      name: 'ingest_http_requests_total',
      help: 'HTTP requests by route and status. Healthy: mostly 200; 401/413/400 point at a client, 429/503 at load.',
      labelNames: ['route', 'status'],
      registers,
    }),
    events: new Counter({
      name: 'ingest_events_total',
      help: 'Events accepted (acknowledged by Kafka) or rejected, by reason. Healthy: rejected near 0.',
      labelNames: ['outcome', 'reason'],
      registers,
    }),
    produceSeconds: new Histogram({
      name: 'ingest_produce_seconds',
      help: 'Time from handing a request’s messages to Kafka to their acknowledgement (acks = all).',
      labelNames: ['topic'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    bufferEvents: new Gauge({
      name: 'ingest_buffer_events',
      help: 'Messages handed to Kafka and not yet acknowledged. Healthy: well below ingest_buffer_capacity_events.',
      registers,
    }),
    bufferCapacity: new Gauge({
      name: 'ingest_buffer_capacity_events',
      help: 'The most unacknowledged messages held before requests get 503.',
      registers,
    }),
  }
}
