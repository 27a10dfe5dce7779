/**
 * console: the operations console — Overview, Channels, Funnels, Retention, Lifecycle and Alerts
 * pages over the rollups, as the read-only ClickHouse user, behind a password login
 * (127.0.0.1:3000 by default). The pages are static files with Apache ECharts; every number
 * comes from a named API of this process.
 */
import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { loadConfig } from '@opstream/runtime/config'
import { waitForMigrations } from '@opstream/runtime/migrations'
import { exitOnStartupError, startServiceKit } from '@opstream/runtime/service-kit'
import { createConsoleRoutes } from './adapters/console-routes.ts'
import { connectReader } from './adapters/reader.ts'
import { consoleEnvSchema } from './config.ts'
import { hashPassword } from './core/password.ts'

const SERVICE = 'console'
const MIGRATIONS_DIR = fileURLToPath(new URL('../../../infra/clickhouse/', import.meta.url))

async function main(): Promise<void> {
  const config = loadConfig(consoleEnvSchema, process.env)
  const kit = await startServiceKit({ service: SERVICE, config, httpPort: config.CONSOLE_HTTP_PORT })
  const reader = await connectReader(config, kit.log)
  kit.shutdown.add({ name: 'clickhouse', run: () => reader.close() })
  kit.shutdown.add({ name: 'http', run: () => kit.http.close() })
  await waitForMigrations(reader.client, MIGRATIONS_DIR, {
    log: kit.log,
    timeoutMs: 120_000,
    stopped: () => kit.shutdown.started,
  })
  let passwordHash = config.CONSOLE_PASSWORD_HASH
  if (!passwordHash) {
    const password = randomBytes(9).toString('base64url')
    passwordHash = await hashPassword(password)
    // Printed once, on stderr beside the logs, for the person who started it.
    process.stderr.write(
      `[console] no CONSOLE_PASSWORD_HASH set: sign in with the password ${password} (valid until this process stops)\n`,
    )
  }
  kit.mount(
    createConsoleRoutes({
      reader: reader.client,
      log: kit.log,
      passwordHash,
      sessionSecret: config.CONSOLE_SESSION_SECRET ?? randomBytes(32).toString('base64url'),
      sessionMs: config.CONSOLE_SESSION_HOURS * 3_600_000,
      refreshS: config.CONSOLE_REFRESH_S,
    }),
  )
  kit.setReady(true)
  kit.log.info({ url: `http://${config.HTTP_HOST}:${kit.http.port}/` }, 'console listening')
}

main().catch(exitOnStartupError(SERVICE))
