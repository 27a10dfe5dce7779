/**
 * `npm start`: the whole pipeline on one machine. Starts a local Apache Kafka broker (unless
 * KAFKA_BROKERS is set) and the local ClickHouse server (unless CLICKHOUSE_URL is set), creates
 * the topics, then runs ingest, enrich, aggregate, alerts and the console as separate processes
 * (their logs in .data/logs/<service>.log, or here with --logs), the simulated platform's
 * traffic (unless --no-demo) and a live view of the numbers. Ctrl-C (or SIGTERM) stops the
 * simulator, shuts the services down gracefully, then the ClickHouse server and the broker it
 * started.
 *
 *   npm start -- [--history 28d] [--rate 50] [--daily 3000] [--seed 1] [--model finance|ecommerce]
 *                [--incident KIND:ARGS ...]
 *                [--no-demo] [--logs]
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { createWriteStream, existsSync, mkdirSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { type LocalClickHouse, startLocalClickHouse } from '@opstream/clickhouse-local/server-process'
import { hashPassword } from '@opstream/console/core/password'
import { startTerminalView } from '@opstream/console/terminal/terminal-view'
import { createClickHouse } from '@opstream/runtime/clickhouse-client'
import { kafkaEnvSchema, loadConfig } from '@opstream/runtime/config'
import { createLogger } from '@opstream/runtime/logger'
import { type Progress, startSimulation } from '@opstream/simulator/simulation'
import { TRAFFIC_OPTIONS, TRAFFIC_USAGE, trafficOf } from '@opstream/simulator/traffic-options'
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

const { values: args } = parseArgs({
  options: {
    ...TRAFFIC_OPTIONS,
    'no-demo': { type: 'boolean', default: false },
    logs: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
})
if (args.help) {
  process.stdout.write(`npm start -- [flags]: the whole pipeline on this machine, with simulated traffic and a live view.

${TRAFFIC_USAGE}

Pipeline:
  --no-demo          no simulated traffic: the pipeline waits for your events
  --logs             the services' log lines here instead of the view (else in .data/logs/)

Environment: KAFKA_BROKERS and CLICKHOUSE_URL use servers of your own; every variable is in
.env.example (copy it to .env).
`)
  process.exit(0)
}

async function main(): Promise<void> {
  // Bad traffic flags are refused before anything starts.
  const traffic = trafficOf(args)
  if (existsSync(`${root}.env`)) process.loadEnvFile(`${root}.env`)
  mkdirSync(`${root}.data/logs`, { recursive: true })
  const config = loadConfig(kafkaEnvSchema, process.env)
  warnStateMismatch()
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
  let sim: ReturnType<typeof startSimulation> | undefined
  let view: { stop(): Promise<void> } | undefined
  let reader: Awaited<ReturnType<typeof createClickHouse>> | undefined
  let hungUp = false
  const stopAll = async (code: number) => {
    if (stopping) return
    stopping = true
    await view?.stop()
    await reader?.close()
    if (sim) {
      say('stopping the simulator')
      await sim.stop().catch(() => undefined)
    }
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
    if (startBroker) {
      try {
        // With the terminal gone the script's lines have nowhere to go (and a failed write ends it).
        execFileSync('bash', [`${root}infra/kafka/kafka.sh`, 'stop'], {
          stdio: hungUp ? 'ignore' : 'inherit',
        })
      } catch (err) {
        say(`the broker did not stop: ${String(err)}`)
        code = code || 1
      }
    }
    say('stopped')
    process.exit(code)
  }
  // Every Ctrl-C is handled (npm passes it on too, so the process gets it twice): a second one
  // while stopping changes nothing, and the exit status stays 0. npm runs this file in node
  // itself, with no tsx CLI in between: that wrapper SIGKILLs a child which does not tell it
  // within 30 ms that a signal arrived (a loaded machine is that slow), and exits 130.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void stopAll(0))
  // A closed terminal (SIGHUP), or output to a terminal or pipe that is gone (EIO, EPIPE), stops
  // everything too, the broker included, which runs detached; what is said meanwhile goes nowhere.
  const lostOutput = () => {
    hungUp = true
    void stopAll(0)
  }
  for (const out of [process.stdout, process.stderr]) out.on('error', lostOutput)
  process.on('SIGHUP', lostOutput)
  const host = process.env.HTTP_HOST ?? '127.0.0.1'
  const local = host === '0.0.0.0' ? '127.0.0.1' : host
  const port = (name: string, fallback: number) => Number(process.env[`${name}_HTTP_PORT`] ?? fallback)
  // Without a configured console password, one for this run, shown on the view.
  const password = process.env.CONSOLE_PASSWORD_HASH ? undefined : randomBytes(9).toString('base64url')
  const consoleEnv = password ? { CONSOLE_PASSWORD_HASH: await hashPassword(password) } : {}
  const start = (service: (typeof SERVICES)[number]) => {
    // Each service's log lines go to its file (or here, with --logs).
    const log = args.logs ? undefined : createWriteStream(`${root}.data/logs/${service}.log`, { flags: 'a' })
    const child = spawn(
      process.execPath,
      [...SERVICE_NODE_FLAGS, '--import', 'tsx', `${root}services/${service}/src/main.ts`],
      {
        stdio: log ? ['ignore', 'pipe', 'pipe'] : 'inherit',
        env: { ...process.env, CLICKHOUSE_URL: clickhouseUrl, ...(service === 'console' ? consoleEnv : {}) },
      },
    )
    if (log) {
      child.stdout?.pipe(log)
      child.stderr?.pipe(log)
    }
    child.once('exit', (code, signal) => {
      if (stopping) return
      say(
        `${service} exited (code ${code}, signal ${signal}); its log: .data/logs/${service}.log; stopping the pipeline`,
      )
      void stopAll(1)
    })
    children.set(service, child)
  }
  // The readers (alerts, the console) start once the aggregate has applied the migrations: on a
  // fresh ClickHouse the database does not exist before.
  for (const service of ['ingest', 'enrich', 'aggregate'] as const) start(service)
  await waitReady(`http://${local}:${port('AGGREGATE', 9402)}/healthz/ready`, () => stopping)
  for (const service of ['alerts', 'console'] as const) start(service)
  const ingestUrl = `http://${local}:${port('INGEST', 8080)}`
  say(
    `running ${SERVICES.join(', ')} against Kafka ${config.KAFKA_BROKERS.join(',')}; logs in .data/logs/; Ctrl-C stops`,
  )
  await waitReady(`${ingestUrl}/healthz/ready`, () => stopping)
  let progress: Progress | undefined
  if (!args['no-demo']) {
    sim = startSimulation({
      ...traffic,
      url: ingestUrl,
      writeKey: 'dev-write-key',
      brokers: config.KAFKA_BROKERS,
      env: process.env,
      truthFile: `${root}.data/simulator-truth.json`,
      progress: (p) => {
        progress = p
      },
    })
    sim.done.catch((err: unknown) =>
      say(`simulator failed: ${err instanceof Error ? err.message : String(err)}`),
    )
  }
  reader = await createClickHouse({
    url: clickhouseUrl,
    user: process.env.CLICKHOUSE_READER_USER ?? 'reader',
    password: process.env.CLICKHOUSE_READER_PASSWORD ?? 'reader',
    database: process.env.CLICKHOUSE_DATABASE ?? 'opstream',
    createDatabase: false,
    // The view's queries one or two at a time: the local server serves readers a bounded share.
    maxOpenConnections: 2,
    log: createLogger({ service: 'start', level: 'silent' }),
  })
  view = startTerminalView({
    reader: reader.client,
    prefix: config.KAFKA_TOPIC_PREFIX,
    out: process.stdout,
    addresses: [
      ['console', `http://${local}:${port('CONSOLE', 3000)}/${password ? `  (password: ${password})` : ''}`],
      ['ClickHouse', clickhouseUrl],
      ['collector', `${ingestUrl}/v1/batch`],
      ['metrics', `http://${host}:${port('AGGREGATE', 9402)}/metrics (and each service's port)`],
      ['logs', `${root}.data/logs/`],
    ],
    simulator: () =>
      progress
        ? {
            phase: progress.phase,
            sent: progress.sent,
            failed: progress.failed,
            clock: new Date(progress.clock).toISOString().slice(0, 16).replace('T', ' '),
          }
        : null,
  })
}

/** Polls a readiness URL until it answers 200. */
async function waitReady(url: string, gaveUp: () => boolean): Promise<void> {
  for (let i = 0; !gaveUp(); i++) {
    const ok = await fetch(url)
      .then((r) => r.ok)
      .catch(() => false)
    if (ok) return
    if (i === 120) say(`still waiting for ${url}`)
    await new Promise((r) => setTimeout(r, 500))
  }
}

/**
 * The local broker and the local ClickHouse keep their data apart (infra/kafka/.state and
 * .data/chdb): with one of them removed, the consumer groups' offsets and the tables no longer
 * agree, and the numbers miss what was consumed before (or hold what the topics no longer do).
 */
function warnStateMismatch(): void {
  if (process.env.KAFKA_BROKERS || process.env.CLICKHOUSE_URL) return
  const kafka = resolve(root, process.env.OPSTREAM_KAFKA_DIR ?? 'infra/kafka/.state', 'data')
  const chdb = resolve(root, process.env.CHDB_PATH ?? '.data/chdb')
  if (existsSync(kafka) === existsSync(chdb)) return
  say(
    existsSync(kafka)
      ? `warning: the broker keeps the topics and consumer offsets of an earlier run (${kafka}) but ClickHouse starts empty (${chdb}): what was consumed before will not be in its tables. npm run reset clears both.`
      : `warning: ClickHouse keeps the tables of an earlier run (${chdb}) but the broker starts empty (${kafka}). npm run reset clears both.`,
  )
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
