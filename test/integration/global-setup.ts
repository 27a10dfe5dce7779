import { execFile } from 'node:child_process'
import { mkdir, readFile, rm } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
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
 *   own (so a broker from `npm start` is left alone), and embedded chDB in each test process.
 */
export async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (process.env.OPSTREAM_TEST_STACK === 'containers') {
    const stack = await startContainerStack()
    project.provide('kafkaBrokers', stack.brokers)
    project.provide('clickhouseUrl', stack.clickhouseUrl)
    project.provide('stackDescription', stack.description)
    log(stack.description)
    return stack.stop
  }

  const clickhouseUrl = process.env.CLICKHOUSE_URL || undefined
  project.provide('clickhouseUrl', clickhouseUrl)
  const chDescription = clickhouseUrl ? `ClickHouse server at ${clickhouseUrl}` : 'embedded ClickHouse (chDB)'

  if (process.env.KAFKA_BROKERS) {
    const brokers = process.env.KAFKA_BROKERS.split(',')
    project.provide('kafkaBrokers', brokers)
    project.provide('stackDescription', `Kafka at ${brokers.join(',')} (KAFKA_BROKERS); ${chDescription}`)
    log(`using Kafka at ${brokers.join(',')} from KAFKA_BROKERS; ${chDescription}`)
    return async () => {}
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
  }
}

function log(line: string): void {
  process.stdout.write(`[test stack] ${line}\n`)
}
