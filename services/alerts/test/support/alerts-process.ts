import { fileURLToPath } from 'node:url'
import { type ServiceProcess, startService } from '@opstream/runtime/testing/service-process'

const main = fileURLToPath(new URL('../../src/main.ts', import.meta.url))

/** Runs the real alerts service (main.ts) as a child process and waits until it is ready. */
export function startAlerts(env: Record<string, string>): Promise<ServiceProcess> {
  return startService({ name: 'alerts', main, portVar: 'ALERTS_HTTP_PORT', env })
}
