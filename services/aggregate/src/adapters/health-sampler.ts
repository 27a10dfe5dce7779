import type { ClickHouseClient } from '@opstream/runtime/clickhouse-client'
import { insertRows } from '@opstream/runtime/clickhouse-insert'
import type { AdminHandle, KafkaClient } from '@opstream/runtime/kafka-types'
import type { Logger } from 'pino'
import { chTime } from '../core/event-row.ts'

/** A consumer group of the pipeline and the topic it reads. */
export interface WatchedGroup {
  group: string
  topic: string
}

/**
 * Samples pipeline health into `pipeline_health` for alert rules and the views: each consumer
 * group's lag (high watermark minus committed offset, over the topic's partitions) and the
 * messages it has committed (`consumed_total`: a stage's rate is its increase), the message
 * totals of the dead-letter topic and of the intake topics, and the gauges the caller adds
 * (the event-to-table delay). A sample is an upsert for its minute, so the minute keeps its
 * latest value; a failed sample is logged and the next one tries again.
 */
export function createHealthSampler(deps: {
  kafka: KafkaClient
  client: ClickHouseClient
  dlqTopic: string
  groups: readonly WatchedGroup[]
  /** Topics whose message total is sampled (`produced_total`): the pipeline's intake. */
  produced?: readonly string[]
  intervalMs: number
  /** Further values to sample (taken once per sample), such as the event-to-table delay. */
  gauges?: () => Array<{ metric: string; topic: string; value: number }>
  log: Logger
}) {
  let admin: AdminHandle | undefined
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> = Promise.resolve()

  const total = async (a: AdminHandle, topic: string) =>
    (await a.fetchTopicOffsets(topic)).reduce((n, o) => n + Number(o.high), 0)
  /** Lag: the high watermark minus the committed offset; consumed: the committed offsets' sum. */
  const progress = async (a: AdminHandle, w: WatchedGroup) => {
    const high = new Map((await a.fetchTopicOffsets(w.topic)).map((o) => [o.partition, Number(o.high)]))
    let lag = 0
    let consumed = 0
    for (const c of await a.fetchCommitted(w.group, w.topic)) {
      const offset = Math.max(0, Number(c.offset))
      consumed += offset
      lag += Math.max(0, (high.get(c.partition) ?? 0) - offset)
    }
    return { lag, consumed }
  }

  const sample = async () => {
    admin ??= await deps.kafka.admin()
    const now = new Date()
    const minute = chTime(new Date(Math.floor(now.getTime() / 60_000) * 60_000)).slice(0, 19)
    const row = (metric: string, group: string, topic: string, value: number) => ({
      minute,
      metric,
      group_name: group,
      topic,
      value,
      sampled_at: chTime(now),
    })
    const rows = [row('dlq_total', '', deps.dlqTopic, await total(admin, deps.dlqTopic))]
    for (const topic of deps.produced ?? [])
      rows.push(row('produced_total', '', topic, await total(admin, topic)))
    for (const w of deps.groups) {
      const p = await progress(admin, w)
      rows.push(
        row('consumer_lag', w.group, w.topic, p.lag),
        row('consumed_total', w.group, w.topic, p.consumed),
      )
    }
    for (const g of deps.gauges?.() ?? []) rows.push(row(g.metric, '', g.topic, g.value))
    await insertRows(deps.client, 'pipeline_health', rows, 'none')
  }
  const tick = () => {
    running = running
      .then(sample)
      .catch((err: unknown) =>
        deps.log.warn({ err }, 'pipeline health sample failed; the next one tries again'),
      )
  }

  return {
    start() {
      tick()
      timer = setInterval(tick, deps.intervalMs)
      timer.unref()
    },
    /** Stops sampling after one last sample (so a graceful stop leaves the latest numbers). */
    async stop() {
      if (timer) clearInterval(timer)
      tick()
      await running
      await admin?.disconnect()
    },
  }
}
