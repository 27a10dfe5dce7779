import type { ClickHouseClient } from '@opstream/runtime/clickhouse-client'
import { queryRows } from '@opstream/runtime/clickhouse-client'
import { type BatchHandler, OK, type Outcome, outcomeForError } from '@opstream/runtime/consumer-runner'
import type { Decoded } from '@opstream/runtime/contract/codec'
import type { InboundMessage } from '@opstream/runtime/kafka-types'

/**
 * Writes a topic into a ClickHouse table exactly once, materialized views included.
 *
 * Each chunk of a partition becomes one INSERT whose `insert_deduplication_token` names the
 * chunk's offset range; ClickHouse drops a block whose token it has seen (the table and every
 * view target keep a deduplication window), so re-sending the same range writes nothing twice,
 * even after a crash in the middle of an INSERT that had written the table but not yet a view.
 * That only works if a replay re-forms the very same range, and after a restart Kafka may hand
 * over a batch of another size. So before inserting, the sink records the range in
 * `sink_offsets` (an intent); a restarted sink reads the partition's last intent and, when it
 * starts at the next offset to consume, cuts its first block at exactly that range again.
 * Offsets are committed only after the INSERT is acknowledged.
 *
 * Should a replayed batch not reach the recorded range's end (Kafka returned less than before),
 * the sink falls back to asking the table which of those offsets it holds and writes the rest.
 */
export interface SinkTable<T> {
  table: string
  decode(messages: readonly InboundMessage[]): Promise<Decoded<T | null>[]>
  /** The rows one message becomes (none, one, or several). */
  toRows(value: T | null, message: InboundMessage): object[]
}

interface Intent {
  from: bigint
  to: bigint
}

export function createClickHouseSink<T>(deps: {
  client: ClickHouseClient
  group: string
  topic: string
  target: SinkTable<T>
  onRows?: (rows: number) => void
  /** Told when a recorded range is written again after a restart (`exact`) or checked row by row. */
  onReplay?: (how: 'exact' | 'row-check', partition: number, from: bigint, to: bigint) => void
}): BatchHandler & { forget(): void } {
  const intents = new Map<number, Intent | null>()
  const lastIntent = async (p: number): Promise<Intent | null> => {
    if (!intents.has(p)) {
      const [row] = await queryRows<{ first_offset: string; last_offset: string }>(
        deps.client,
        `SELECT first_offset, last_offset FROM sink_offsets FINAL
         WHERE consumer_group = {g:String} AND topic = {t:String} AND partition = {p:UInt32}`,
        { g: deps.group, t: deps.topic, p },
      )
      intents.set(p, row ? { from: BigInt(row.first_offset), to: BigInt(row.last_offset) } : null)
    }
    return intents.get(p) ?? null
  }

  const write = async (
    p: number,
    messages: readonly InboundMessage[],
    rows: object[],
    recordIntent: boolean,
  ) => {
    const from = BigInt((messages[0] as InboundMessage).offset)
    const to = BigInt((messages[messages.length - 1] as InboundMessage).offset)
    if (recordIntent) {
      await deps.client.insert({
        table: 'sink_offsets',
        format: 'JSONEachRow',
        values: [
          {
            consumer_group: deps.group,
            topic: deps.topic,
            partition: p,
            first_offset: from.toString(),
            last_offset: to.toString(),
            row_count: rows.length,
          },
        ],
      })
      intents.set(p, { from, to })
    }
    if (rows.length === 0) return
    await deps.client.insert({
      table: deps.target.table,
      format: 'JSONEachRow',
      values: rows,
      clickhouse_settings: {
        insert_deduplicate: 1,
        insert_deduplication_token: `${deps.group}/${deps.topic}/${p}/${from}-${to}`,
        deduplicate_blocks_in_dependent_materialized_views: 1,
        async_insert: 0,
      },
    })
    deps.onRows?.(rows.length)
  }

  const convert = async (messages: readonly InboundMessage[]) => {
    const decoded = await deps.target.decode(messages)
    const rows: object[] = []
    const outcomes = messages.map((m, i): Outcome => {
      const d = decoded[i]
      if (!d?.ok) return outcomeForError(d?.error)
      rows.push(...deps.target.toRows(d.value, m))
      return OK
    })
    return { rows, outcomes }
  }

  const handler = async (messages: readonly InboundMessage[], ctx: { partition: number }) => {
    const p = ctx.partition
    const first = BigInt((messages[0] as InboundMessage).offset)
    const last = BigInt((messages[messages.length - 1] as InboundMessage).offset)
    const intent = await lastIntent(p)
    if (intent && intent.to >= first) {
      if (intent.from === first && intent.to <= last) {
        // A replay: the recorded range first, exactly as it was, then the rest as a new range.
        deps.onReplay?.('exact', p, intent.from, intent.to)
        const cut = messages.findIndex((m) => BigInt(m.offset) > intent.to)
        const head = cut === -1 ? messages : messages.slice(0, cut)
        const tail = cut === -1 ? [] : messages.slice(cut)
        const a = await convert(head)
        await write(p, head, a.rows, false)
        if (tail.length === 0) return a.outcomes
        const b = await convert(tail)
        await write(p, tail, b.rows, true)
        return [...a.outcomes, ...b.outcomes]
      }
      deps.onReplay?.('row-check', p, first, last)
      return writeMissing(p, messages, first, last)
    }
    const { rows, outcomes } = await convert(messages)
    await write(p, messages, rows, true)
    return outcomes
  }

  const writeMissing = async (
    p: number,
    messages: readonly InboundMessage[],
    first: bigint,
    last: bigint,
  ) => {
    const present = new Set(
      (
        await queryRows<{ o: string }>(
          deps.client,
          `SELECT toString(src_offset) AS o FROM ${deps.target.table}
           WHERE src_partition = {p:UInt32} AND src_offset BETWEEN {a:UInt64} AND {b:UInt64}`,
          { p, a: first.toString(), b: last.toString() },
        )
      ).map((r) => r.o),
    )
    const missing = messages.filter((m) => !present.has(m.offset))
    const { outcomes } = await convert(messages)
    const { rows } = await convert(missing)
    // A range of its own, recorded as the partition's latest intent.
    if (missing.length > 0) await write(p, missing, rows, true)
    return outcomes
  }

  return Object.assign(handler, {
    /** Forgets cached intents (after a rebalance another instance may have written). */
    forget: () => intents.clear(),
  })
}
