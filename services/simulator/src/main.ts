/**
 * `npm run simulate`: the simulated internet-finance platform against any opstream deployment.
 *
 *   npm run simulate -- [--history 28d] [--rate 50] [--daily 3000] [--seed 1] [--model finance|ecommerce]
 *                       [--url http://127.0.0.1:8080] [--write-key dev-write-key] [--brokers host:9092]
 *                       [--incident conversion:toutiao_feed:ios ...] [--truth FILE] [--duration 10m]
 *
 * History first (as fast as ingest takes it), then live traffic at --rate events a second until
 * Ctrl-C or --duration; --rate 0 stops after the history. Prints what it sent as it goes, and
 * writes the truth of what was sent to --truth (.data/simulator-truth.json).
 */
import { mkdirSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { parseSpan } from './core/span.ts'
import { type Progress, startSimulation } from './simulation.ts'
import { TRAFFIC_OPTIONS, TRAFFIC_USAGE, trafficOf } from './traffic-options.ts'

const root = fileURLToPath(new URL('../../../', import.meta.url))

const USAGE = `npm run simulate -- [flags]: the simulated platform's traffic against an opstream deployment.

${TRAFFIC_USAGE}

Where it goes:
  --url URL          ingest's collector (default http://127.0.0.1:8080)
  --write-key KEY    the collector's write key (default dev-write-key)
  --brokers LIST     Kafka brokers for the investments' producer (default KAFKA_BROKERS;
                     without, they go through the collector's POST /v1/events)
  --truth FILE       where the truth of what was acknowledged is written (.data/simulator-truth.json)
  --duration SPAN    stop after this long (10m, 2h); otherwise Ctrl-C stops it
  --quiet            no progress lines`

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      ...TRAFFIC_OPTIONS,
      url: { type: 'string', default: 'http://127.0.0.1:8080' },
      'write-key': { type: 'string', default: 'dev-write-key' },
      brokers: { type: 'string', default: process.env.KAFKA_BROKERS },
      truth: { type: 'string', default: `${root}.data/simulator-truth.json` },
      duration: { type: 'string' },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  })
  if (values.help) {
    process.stdout.write(`${USAGE}\n`)
    return
  }
  const traffic = trafficOf(values)
  const truthFile = resolve(values.truth)
  mkdirSync(dirname(truthFile), { recursive: true })
  const started = Date.now()
  let last: Progress | undefined
  const line = (p: Progress) =>
    `[simulate] ${p.phase} ${new Date(p.clock).toISOString().slice(0, 16).replace('T', ' ')} UTC: ${p.sent.toLocaleString('en')} sent, ` +
    `${p.failed.toLocaleString('en')} failed${p.lastError ? ` (last: ${p.lastError})` : ''}, ${p.queued.toLocaleString('en')} scheduled ahead`
  const sim = startSimulation({
    ...traffic,
    url: values.url,
    writeKey: values['write-key'],
    ...(values.brokers ? { brokers: values.brokers.split(',') } : {}),
    truthFile,
    progress: (p) => {
      last = p
    },
  })
  const ticker = setInterval(() => {
    if (last && !values.quiet) process.stdout.write(`${line(last)}\n`)
  }, 5_000)
  if (values.duration) setTimeout(() => void sim.stop(), parseSpan(values.duration, 's')).unref()
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void sim.stop())
  const truth = await sim.done
  clearInterval(ticker)
  if (last) process.stdout.write(`${line(last)}\n`)
  const registrations = truth.channels.reduce((n, c) => n + c.registrations, 0)
  const first = truth.channels.reduce((n, c) => n + c.first_investments, 0)
  process.stdout.write(
    `[simulate] sent ${truth.events.toLocaleString('en')} events (${truth.retries} client retries, ${truth.late} late) from ${truth.from} to ${truth.to}: ` +
      `${registrations.toLocaleString('en')} registrations, ${first.toLocaleString('en')} first investments, in ${((Date.now() - started) / 1000).toFixed(0)} s; truth in ${truthFile}\n`,
  )
  process.exit(last && last.failed > 0 ? 1 : 0)
}

main().catch((err: unknown) => {
  process.stderr.write(`[simulate] ${err instanceof Error ? err.message : String(err)}\n`)
  process.exit(2)
})
