import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client'

/** One explicit registry per service; metric names start with the service name. */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry()
  registry.setDefaultLabels({ service })
  collectDefaultMetrics({ register: registry, prefix: `${service}_` })
  return registry
}

/** What every consumer reports (STYLE.md). Labels are bounded: topic, partition, outcome. */
export interface ConsumerMetrics {
  messages: Counter<'topic' | 'partition' | 'outcome'>
  batchSize: Histogram<'topic'>
  batchDuration: Histogram<'topic'>
  lag: Gauge<'topic' | 'partition'>
  rebalances: Counter<'event'>
  dlq: Counter<'topic'>
  retries: Counter<'topic'>
  commits: Counter<'topic' | 'partition'>
}

export function createConsumerMetrics(registry: Registry, service: string): ConsumerMetrics {
  const registers = [registry]
  return {
    messages: new Counter({
      name: `${service}_consumer_messages_total`,
      help: 'Messages handled, by final outcome (ok, dlq, drop). Healthy: ok grows with traffic, dlq stays near 0.',
      labelNames: ['topic', 'partition', 'outcome'],
      registers,
    }),
    batchSize: new Histogram({
      name: `${service}_consumer_batch_size`,
      help: 'Messages per fetched batch. Mostly large under load, small when idle.',
      labelNames: ['topic'],
      buckets: [1, 10, 50, 100, 500, 1000, 5000, 10000],
      registers,
    }),
    batchDuration: new Histogram({
      name: `${service}_consumer_batch_duration_seconds`,
      help: 'Time from receiving a batch to committing its offsets. Healthy: well under the session timeout.',
      labelNames: ['topic'],
      buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    lag: new Gauge({
      name: `${service}_consumer_lag_messages`,
      help: 'High watermark minus the last handled offset, per partition. Healthy: near 0 and not growing.',
      labelNames: ['topic', 'partition'],
      registers,
    }),
    rebalances: new Counter({
      name: `${service}_consumer_rebalances_total`,
      help: 'Group membership changes seen by this consumer (join, assign, revoke). Healthy: rare after start-up.',
      labelNames: ['event'],
      registers,
    }),
    dlq: new Counter({
      name: `${service}_consumer_dlq_total`,
      help: 'Messages written to the dead-letter topic. Healthy: 0; any rise deserves a look at the DLQ.',
      labelNames: ['topic'],
      registers,
    }),
    retries: new Counter({
      name: `${service}_consumer_retries_total`,
      help: 'Handler attempts repeated after a retriable failure. Healthy: 0; a rise means a dependency is struggling.',
      labelNames: ['topic'],
      registers,
    }),
    commits: new Counter({
      name: `${service}_consumer_commits_total`,
      help: 'Offset commits made after the handled writes were acknowledged.',
      labelNames: ['topic', 'partition'],
      registers,
    }),
  }
}
