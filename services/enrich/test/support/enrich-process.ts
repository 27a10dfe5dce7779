import { fileURLToPath } from 'node:url'
import { type ServiceProcess, startService } from '@opstream/runtime/testing/service-process'

const main = fileURLToPath(new URL('../../src/main.ts', import.meta.url))

export type EnrichProcess = ServiceProcess

/** Runs the real enrich service (main.ts) as a child process and waits until it is ready. */
export function startEnrich(env: Record<string, string>): Promise<EnrichProcess> {
  return startService({ name: 'enrich', main, portVar: 'ENRICH_HTTP_PORT', env })
}
