import { fileURLToPath } from 'node:url'
import { type ServiceProcess, startService } from '@opstream/runtime/testing/service-process'

const main = fileURLToPath(new URL('../../src/main.ts', import.meta.url))

export const DEV_KEY = 'dev-write-key'
export const basicAuth = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`

export type IngestProcess = ServiceProcess

/** Runs the real ingest service (main.ts) as a child process and waits until it is ready. */
export function startIngest(env: Record<string, string>): Promise<IngestProcess> {
  return startService({ name: 'ingest', main, portVar: 'INGEST_HTTP_PORT', env })
}
