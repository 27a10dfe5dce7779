/** enrich's own metrics (the consumers' come from the runtime's createConsumerMetrics). */
import { Counter, type Registry } from 'prom-client'

export interface EnrichMetrics {
  late: Counter
  duplicates: Counter
  swept: Counter
}

export function createEnrichMetrics(registry: Registry): EnrichMetrics {
  const registers = [registry]
  return {
    late: new Counter({
      name: 'enrich_late_events_total',
      help: 'Events older than the device’s current session by more than the session timeout; attributed to a session of their own.',
      registers,
    }),
    duplicates: new Counter({
      name: 'enrich_duplicate_events_total',
      help: 'Events whose event_id the person had already seen (client retries); not emitted again. Near zero when clients behave.',
      registers,
    }),
    swept: new Counter({
      name: 'enrich_dedup_windows_emptied_total',
      help: 'Persons whose deduplication window was emptied after a window without events (their state back to its size without ids). Grows with the users who go idle.',
      registers,
    }),
  }
}
