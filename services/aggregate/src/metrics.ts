/** The aggregate's own metrics (the consumer's come from the runtime's createConsumerMetrics). */
import { Counter, type Registry } from 'prom-client'

export interface AggregateMetrics {
  rows: Counter<'table'>
  late: Counter<'funnel'>
  rebuilt: Counter
  invalidTriggers: Counter<'rule'>
}

export function createAggregateMetrics(registry: Registry): AggregateMetrics {
  const registers = [registry]
  return {
    rows: new Counter({
      name: 'aggregate_sink_rows_total',
      help: 'Rows written to ClickHouse by table; grows with the input rate.',
      labelNames: ['table'],
      registers,
    }),
    late: new Counter({
      name: 'aggregate_funnel_late_events_total',
      help: 'Events older than the allowed lateness behind the person’s newest funnel event; not counted in funnels. Zero when clients send promptly.',
      labelNames: ['funnel'],
      registers,
    }),
    rebuilt: new Counter({
      name: 'aggregate_funnel_rebuilds_total',
      help: 'Users whose funnels were rebuilt from ClickHouse: once per device linked to them, and again when a linked device’s events arrived after the user had moved on. Grows with sign-ins on new devices.',
      registers,
    }),
    invalidTriggers: new Counter({
      name: 'aggregate_trigger_invalid_starts_total',
      help: 'Start events of a deadline trigger without a readable deadline property; no timer was set. Zero when apps send the property.',
      labelNames: ['rule'],
      registers,
    }),
  }
}
