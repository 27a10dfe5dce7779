import { fileURLToPath } from 'node:url'
import { type ServiceProcess, startService } from '@opstream/runtime/testing/service-process'

const main = fileURLToPath(new URL('../../src/main.ts', import.meta.url))

export type AggregateProcess = ServiceProcess

/** Runs the real aggregate service (main.ts) as a child process and waits until it is ready. */
export function startAggregate(env: Record<string, string>): Promise<AggregateProcess> {
  return startService({ name: 'aggregate', main, portVar: 'AGGREGATE_HTTP_PORT', env })
}
