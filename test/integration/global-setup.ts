import { execFile } from 'node:child_process'
import { mkdir, readFile, rm } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { type LocalClickHouse, startLocalClickHouse } from '@opstream/clickhouse-local/server-process'
import type { TestProject } from 'vitest/node'
import { startContainerStack } from './container-stack.ts'
import '@opstream/runtime/testing/stack'

const run = promisify(execFile)
const root = fileURLToPath(new URL('../../', import.meta.url))
const kafkaScript = `${root}infra/kafka/kafka.sh`

/**
 * The integration stack, decided once per run:
 * - KAFKA_BROKERS / CLICKHOUSE_URL set: use them as they are;
 * - OPSTREAM_TEST_STACK=containers: Kafka and ClickHouse server in containers (needs a Docker engine);
 * - otherwise: a real Apache Kafka broker started from the Maven-resolved jars on a port of its
 *   own (so a broker from `npm start` is left alone), and one local ClickHouse server
 *   (services/clickhouse-local) for the run, which every test process reaches over HTTP; each
 *   test file keeps its own database there.
 */
export async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (process.env.OPSTREAM_TEST_STACK === 'containers') {
    const stack = await startContainerStack()
    project.provide('kafkaBrokers', stack.brokers)
    project.provide('clickhouseUrl', stack.clickhouseUrl)
    project.provide('clickhouseAuth', {
      user: 'default',
      password: '',
      readerUser: 'default',
      readerPassword: '',
    })
    project.provide('stackDescription', stack.description)
    log(stack.description)
    return stack.stop
  }

  const local = process.env.CLICKHOUSE_URL ? undefined : await startTestClickHouse()
  const clickhouseUrl = process.env.CLICKHOUSE_URL || (local as LocalClickHouse).url
  project.provide('clickhouseUrl', clickhouseUrl)
  project.provide('clickhouseAuth', {
    user: process.env.CLICKHOUSE_USER ?? 'opstream',
    password: process.env.CLICKHOUSE_PASSWORD ?? 'opstream',
    readerUser: process.env.CLICKHOUSE_READER_USER ?? 'reader',
    readerPassword: process.env.CLICKHOUSE_READER_PASSWORD ?? 'reader',
  })
  const chDescription = local
    ? `local ClickHouse server (chDB) at ${clickhouseUrl}`
    : `ClickHouse at ${clickhouseUrl} (CLICKHOUSE_URL)`
  const stopClickHouse = async () => {
    await local?.stop()
  }

  if (process.env.KAFKA_BROKERS) {
    const brokers = process.env.KAFKA_BROKERS.split(',')
    project.provide('kafkaBrokers', brokers)
    project.provide('stackDescription', `Kafka at ${brokers.join(',')} (KAFKA_BROKERS); ${chDescription}`)
    log(`using Kafka at ${brokers.join(',')} from KAFKA_BROKERS; ${chDescription}`)
    return stopClickHouse
  }

  const port = process.env.OPSTREAM_TEST_KAFKA_PORT ?? '19092'
  const state = `${root}.test-stack/kafka`
  const env = { ...process.env, OPSTREAM_KAFKA_DIR: state, OPSTREAM_KAFKA_PORT: port }
  await run('bash', [kafkaScript, 'stop'], { env }).catch(() => undefined)
  await rm(state, { recursive: true, force: true })
  await mkdir(state, { recursive: true })
  const started = Date.now()
  const out = await run('bash', [kafkaScript, 'start'], { env, maxBuffer: 16 * 1024 * 1024 })
  process.stdout.write(out.stdout)
  const serverLog = await readFile(`${state}/server.log`, 'utf8')
  const version = /Kafka version: (\S+)/.exec(serverLog)?.[1] ?? 'unknown'
  const description = `Apache Kafka ${version} from Maven jars at 127.0.0.1:${port}; ${chDescription}`
  log(`${description} (broker up in ${Date.now() - started} ms)`)
  project.provide('kafkaBrokers', [`127.0.0.1:${port}`])
  project.provide('stackDescription', description)
  return async () => {
    const stopped = await run('bash', [kafkaScript, 'stop'], { env })
    process.stdout.write(stopped.stdout)
    await stopClickHouse()
  }
}

/** The run's ClickHouse: a fresh data directory, a free port, its log kept beside the data. */
async function startTestClickHouse(): Promise<LocalClickHouse> {
  const dir = `${root}.test-stack/clickhouse`
  await rm(dir, { recursive: true, force: true })
  await mkdir(`${dir}/data`, { recursive: true })
  const started = Date.now()
  const server = await startLocalClickHouse({ dataDir: `${dir}/data`, port: 0, logFile: `${dir}/server.log` })
  log(`local ClickHouse server at ${server.url} (up in ${Date.now() - started} ms)`)
  return server
}

function log(line: string): void {
  process.stdout.write(`[test stack] ${line}\n`)
}
