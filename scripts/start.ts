/**
 * `npm start`: the whole pipeline on one machine. Starts a local Apache Kafka broker (unless
 * KAFKA_BROKERS is set) and the local ClickHouse server (unless CLICKHOUSE_URL is set), creates
 * the topics, then runs ingest, enrich, aggregate, alerts and the console as separate processes.
 * Ctrl-C (or SIGTERM) shuts the services down gracefully, then the ClickHouse server and the
 * broker it started.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdirSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type LocalClickHouse, startLocalClickHouse } from '@opstream/clickhouse-local/server-process'
import { kafkaEnvSchema, loadConfig } from '@opstream/runtime/config'
import { createTopics } from './topics.ts'

const root = fileURLToPath(new URL('../', import.meta.url))
const SERVICES = ['ingest', 'enrich', 'aggregate', 'alerts', 'console'] as const
/**
 * A larger young generation: the services allocate many short-lived objects per event, and
 * fewer scavenges raised ingest's throughput by a third in `npm run bench:ingest`.
 */
export const SERVICE_NODE_FLAGS = ['--max-semi-space-size=32']

function say(line: string): void {
  process.stdout.write(`[opstream] ${line}\n`)
}

function brokerRunning(): boolean {
  try {
    execFileSync('bash', [`${root}infra/kafka/kafka.sh`, 'status'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

async function main(): Promise<void> {
  if (existsSync(`${root}.env`)) process.loadEnvFile(`${root}.env`)
  const config = loadConfig(kafkaEnvSchema, process.env)
  // A broker that was already running is left running on exit; one started here is stopped.
  const startBroker = !process.env.KAFKA_BROKERS && !brokerRunning()
  if (!process.env.KAFKA_BROKERS)
    execFileSync('bash', [`${root}infra/kafka/kafka.sh`, 'start'], { stdio: 'inherit' })

  const clickhouse = process.env.CLICKHOUSE_URL ? undefined : await startClickHouse()
  const clickhouseUrl = process.env.CLICKHOUSE_URL ?? (clickhouse as LocalClickHouse).url
  say(
    `ClickHouse: ${clickhouseUrl}${clickhouse ? ` (local server, data in ${process.env.CHDB_PATH ?? '.data/chdb'})` : ''}`,
  )

  const created = await createTopics(process.env)
  say(created.length > 0 ? `created topics: ${created.join(', ')}` : 'topics exist')

  const children = new Map<string, ChildProcess>()
  let stopping = false
  const stopAll = async (code: number) => {
    if (stopping) return
    stopping = true
    say('stopping services')
    await Promise.all(
      [...children.values()].map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exitCode !== null) return resolve()
            c.once('exit', () => resolve())
            c.kill('SIGTERM')
          }),
      ),
    )
    await clickhouse?.stop()
    if (startBroker) execFileSync('bash', [`${root}infra/kafka/kafka.sh`, 'stop'], { stdio: 'inherit' })
    process.exit(code)
  }
  for (const service of SERVICES) {
    const child = spawn(
      process.execPath,
      [...SERVICE_NODE_FLAGS, '--import', 'tsx', `${root}services/${service}/src/main.ts`],
      {
        stdio: 'inherit',
        env: { ...process.env, CLICKHOUSE_URL: clickhouseUrl },
      },
    )
    child.once('exit', (code, signal) => {
      if (stopping) return
      say(`${service} exited (code ${code}, signal ${signal}); stopping the pipeline`)
      void stopAll(1)
    })
    children.set(service, child)
  }
  say(`running ${SERVICES.join(', ')} against Kafka ${config.KAFKA_BROKERS.join(',')}; Ctrl-C stops`)
  say(`console: http://${process.env.HTTP_HOST ?? '127.0.0.1'}:${process.env.CONSOLE_HTTP_PORT ?? 3000}/`)
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stopAll(0))
}

/** The local ClickHouse server on CLICKHOUSE_LOCAL_PORT (8123), its log in .data/logs/. */
async function startClickHouse(): Promise<LocalClickHouse> {
  mkdirSync(`${root}.data/logs`, { recursive: true })
  const dataDir = resolve(root, process.env.CHDB_PATH ?? '.data/chdb')
  mkdirSync(dataDir, { recursive: true })
  return startLocalClickHouse({
    dataDir,
    port: Number(process.env.CLICKHOUSE_LOCAL_PORT ?? 8123),
    logFile: `${root}.data/logs/clickhouse-local.log`,
  })
}

main().catch((err: unknown) => {
  process.stderr.write(`[opstream] start failed: ${err instanceof Error ? err.message : String(err)}\n`)
  process.exit(1)
})
