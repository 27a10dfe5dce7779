import { type ChildProcess, spawn } from 'node:child_process'
import { readdir } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { prefixedTopicNames } from '@opstream/runtime/config'
import { runMigrations } from '@opstream/runtime/migrations'
import {
  brokers,
  clickhouseEnv,
  testClickHouse,
  testKafka,
  testLogger,
  uniqueName,
  waitFor,
} from '@opstream/runtime/testing/stack'
import { ensureTopics, pipelineTopics } from '@opstream/runtime/topics'
import { afterAll, describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../../', import.meta.url))

interface Running {
  child: ChildProcess
  lines: Array<Record<string, unknown>>
  stderr: string[]
  exit: Promise<number | null>
}

function startService(service: string, env: Record<string, string>): Running {
  const child = spawn(process.execPath, ['--import', 'tsx', `${root}services/${service}/src/main.ts`], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const run: Running = {
    child,
    lines: [],
    stderr: [],
    exit: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
  }
  let buffered = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString()
    const parts = buffered.split('\n')
    buffered = parts.pop() ?? ''
    for (const p of parts) if (p.startsWith('{')) run.lines.push(JSON.parse(p) as Record<string, unknown>)
  })
  child.stderr?.on('data', (chunk: Buffer) => run.stderr.push(chunk.toString()))
  return run
}

describe('service skeletons', () => {
  const running: Running[] = []
  afterAll(() => {
    for (const r of running) if (r.child.exitCode === null) r.child.kill('SIGKILL')
  })

  it.each(['ingest', 'enrich', 'aggregate', 'alerts', 'console'])(
    '%s starts, serves health and metrics, and shuts down gracefully on SIGTERM',
    async (service) => {
      const env: Record<string, string> = {
        KAFKA_BROKERS: brokers().join(','),
        [`${service.toUpperCase()}_HTTP_PORT`]: '0',
        KAFKA_TOPIC_PREFIX: `${uniqueName('svc')}.`,
        ...clickhouseEnv(uniqueName('svc')),
        LOG_LEVEL: 'info',
      }
      // The services expect the pipeline's topics, as `npm start` creates them.
      if (service === 'alerts' || service === 'console') {
        // alerts and the console read the tables the aggregate creates: the schema is there first.
        const ch = await testClickHouse(env.CLICKHOUSE_DATABASE)
        await runMigrations(ch.client, `${root}infra/clickhouse`, testLogger())
        await ch.close()
      }
      const admin = await testKafka().admin()
      await ensureTopics(admin, pipelineTopics(prefixedTopicNames(env.KAFKA_TOPIC_PREFIX as string), 2))
      await admin.disconnect()
      const r = startService(service, env)
      running.push(r)
      const ready = await waitFor(() => r.lines.find((l) => l.msg === 'ready'), {
        what: `${service} ready`,
        timeoutMs: 60_000,
      })
      const base = `http://127.0.0.1:${ready.port}`
      expect((await fetch(`${base}/healthz/live`)).status).toBe(200)
      const readiness = await fetch(`${base}/healthz/ready`)
      expect(readiness.status).toBe(200)
      expect(await readiness.json()).toEqual({ status: 'ready' })
      const metrics = await (await fetch(`${base}/metrics`)).text()
      expect(metrics).toContain('# HELP')
      expect(metrics).toContain(`${service}_process_cpu_seconds_total`)
      expect((await fetch(`${base}/nope`)).status).toBe(404)

      if (service === 'ingest') {
        // ingest serves the built-in registry's read API on the same port.
        const subjects = (await (await fetch(`${base}/subjects`)).json()) as string[]
        expect(subjects).toContain('opstream.Event')
      }

      r.child.kill('SIGTERM')
      expect(await r.exit).toBe(0)
      expect(r.lines.map((l) => l.msg)).toEqual(
        expect.arrayContaining(['shutting down', 'shutdown complete']),
      )
      if (service === 'aggregate') {
        // A fresh database gets every numbered migration file, in order.
        const files = (await readdir(`${root}infra/clickhouse`)).filter((f) => /^\d{4}_.+\.sql$/.test(f))
        const numbers = files.map((f) => Number(f.slice(0, 4))).sort((a, b) => a - b)
        expect(numbers.length).toBeGreaterThanOrEqual(7)
        expect(r.lines.find((l) => l.msg === 'ClickHouse ready')).toMatchObject({ applied: numbers })
      }
    },
  )

  it('refuses to start with bad configuration, listing every problem', async () => {
    const r = startService('aggregate', {
      LOG_LEVEL: 'loud',
      KAFKA_BROKERS: 'nohost',
      AGGREGATE_HTTP_PORT: '-1',
    })
    running.push(r)
    expect(await r.exit).toBe(1)
    const err = r.stderr.join('')
    expect(err).toContain('aggregate: start-up failed: invalid configuration')
    expect(err).toContain('LOG_LEVEL="loud"')
    expect(err).toContain('KAFKA_BROKERS')
    expect(err).toContain('AGGREGATE_HTTP_PORT="-1"')
  })
})
