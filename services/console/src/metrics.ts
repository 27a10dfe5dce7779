/** The console's own metrics. */
import { Counter, type Registry } from 'prom-client'

export interface ConsoleMetrics {
  deliveries: Counter<'period' | 'receiver' | 'outcome'>
}

export function createConsoleMetrics(registry: Registry): ConsoleMetrics {
  return {
    deliveries: new Counter({
      name: 'console_report_deliveries_total',
      help: 'Reports sent to a receiver, by period, receiver kind and outcome (ok, failed after its retries). Healthy: no failed.',
      labelNames: ['period', 'receiver', 'outcome'],
      registers: [registry],
    }),
  }
}
