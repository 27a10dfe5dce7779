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
 * That takes a row in the table for a row in every view, which holds because an INSERT once
 * sent runs to its end even when its writer dies (ClickHouse does not cancel a write whose
 * client went away, and neither does the local server); only a ClickHouse that dies inside an
 * INSERT could leave a view short. Such an INSERT of a writer that is gone may still be running
 * when its successor replays the range, so a replay first waits for it to end.
 */
import { sleep } from '@opstream/runtime/backoff'
import type { ClickHouseClient } from '@opstream/runtime/clickhouse-client'
import { queryRows } from '@opstream/runtime/clickhouse-client'
import { insertRows } from '@opstream/runtime/clickhouse-insert'
import { type BatchHandler, OK, type Outcome, outcomeForError } from '@opstream/runtime/consumer-runner'
import type { Decoded } from '@opstream/runtime/contract/codec'
import { RetriableError } from '@opstream/runtime/errors'
import type { InboundMessage } from '@opstream/runtime/kafka-types'

export interface SinkTable<T> {
  /** null: the topic's messages only feed a Deriver. */
  table: string | null
  decode(messages: readonly InboundMessage[]): Promise<Decoded<T | null>[]>
  /** The rows one message becomes (none, one, or several). */
  toRows(value: T | null, message: InboundMessage): object[]
}

/**
 * Rows for further tables derived from keyed state as the messages are applied (funnel
 * progress, for one). They are inserted after the main rows, and then `commit` makes the state
 * durable; so a replay after a crash finds either the state that produced the rows (and
 * derives nothing again) or no trace of them (and derives them again). They are inserted
 * without a deduplication token: they are upserts (the latest version wins, in a
 * ReplacingMergeTree keyed so that a repeat collapses), and a replay may derive them
 * differently, so they must land every time.
 */
export interface Deriver<T> {
  derive(
    partition: number,
    messages: readonly InboundMessage[],
    values: ReadonlyArray<T | null | undefined>,
  ): Promise<DerivedRows[]>
  commit(partition: number, lastOffset: bigint): Promise<void>
  /** Undoes what `derive` changed since the last commit: the batch failed and is retried. */
  rollback(partition: number): Promise<void>
}

export interface DerivedRows {
  table: string
  rows: object[]
}

interface Converted<T> {
  rows: object[]
  outcomes: Outcome[]
  values: Array<T | null | undefined>
}

/** How long a replay waits for an earlier writer's INSERT before the chunk is retried. */
const PREVIOUS_WRITE_WAIT_MS = 120_000

interface Intent {
  from: bigint
  to: bigint
}

export function createClickHouseSink<T>(deps: {
  client: ClickHouseClient
  group: string
  topic: string
  target: SinkTable<T>
  /** Told of the rows of each INSERT into the target table, once written. */
  onRows?: (rows: readonly object[]) => void
  /** Told while an earlier writer's INSERT into this partition's ranges is still running. */
  onWaitForPreviousWrite?: (partition: number, running: number) => void
  /** Told when a recorded range is written again after a restart (`exact`) or checked row by row. */
  onReplay?: (how: 'exact' | 'row-check', partition: number, from: bigint, to: bigint) => void
  derived?: Deriver<T>
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

  /** A partition's ranges' deduplication tokens begin so: the range (`from-to`) follows. */
  const tokenPrefix = (p: number) => `${deps.group}/${deps.topic}/${p}/`

  const insert = (table: string, rows: object[], token: string | null) =>
    insertRows(deps.client, table, rows, token ? { token } : 'none')
  const insertDerived = async (derived: DerivedRows[]) => {
    for (const d of derived) if (d.rows.length > 0) await insert(d.table, d.rows, null)
  }

  const write = async (
    p: number,
    messages: readonly InboundMessage[],
    c: Converted<T>,
    recordIntent: boolean,
    deriveOver: { messages: readonly InboundMessage[]; values: ReadonlyArray<T | null | undefined> } = {
      messages,
      values: c.values,
    },
  ) => {
    const from = BigInt((messages[0] as InboundMessage).offset)
    const to = BigInt((messages[messages.length - 1] as InboundMessage).offset)
    if (recordIntent) {
      await insert(
        'sink_offsets',
        [
          {
            consumer_group: deps.group,
            topic: deps.topic,
            partition: p,
            first_offset: from.toString(),
            last_offset: to.toString(),
            row_count: c.rows.length,
          },
        ],
        null,
      )
      intents.set(p, { from, to })
    }
    const token = `${tokenPrefix(p)}${from}-${to}`
    if (c.rows.length > 0 && deps.target.table) {
      await insert(deps.target.table, c.rows, token)
      deps.onRows?.(c.rows)
    }
    if (!deps.derived) return
    await insertDerived(await deps.derived.derive(p, deriveOver.messages, deriveOver.values))
    await deps.derived.commit(p, to)
  }

  const convert = async (messages: readonly InboundMessage[]): Promise<Converted<T>> => {
    const decoded = await deps.target.decode(messages)
    const rows: object[] = []
    const values: Array<T | null | undefined> = []
    const outcomes = messages.map((m, i): Outcome => {
      const d = decoded[i]
      values.push(d?.ok ? d.value : undefined)
      if (!d?.ok) return outcomeForError(d?.error)
      rows.push(...deps.target.toRows(d.value, m))
      return OK
    })
    return { rows, outcomes, values }
  }

  const handler = async (messages: readonly InboundMessage[], ctx: { partition: number }) => {
    try {
      return await sinkChunk(messages, ctx.partition)
    } catch (err) {
      // Retried in this process: derived state must be as the failed attempt found it.
      await deps.derived?.rollback(ctx.partition)
      throw err
    }
  }

  const sinkChunk = async (messages: readonly InboundMessage[], p: number) => {
    const first = BigInt((messages[0] as InboundMessage).offset)
    const last = BigInt((messages[messages.length - 1] as InboundMessage).offset)
    const intent = await lastIntent(p)
    if (intent && intent.to >= first) {
      await previousWritesEnded(p)
      if (intent.from === first && intent.to <= last) {
        // A replay: the recorded range first, exactly as it was, then the rest as a new range.
        deps.onReplay?.('exact', p, intent.from, intent.to)
        const cut = messages.findIndex((m) => BigInt(m.offset) > intent.to)
        const head = cut === -1 ? messages : messages.slice(0, cut)
        const tail = cut === -1 ? [] : messages.slice(cut)
        const a = await convert(head)
        await write(p, head, a, false)
        if (tail.length === 0) return a.outcomes
        const b = await convert(tail)
        await write(p, tail, b, true)
        return [...a.outcomes, ...b.outcomes]
      }
      deps.onReplay?.('row-check', p, first, last)
      return writeMissing(p, messages, first, last)
    }
    const converted = await convert(messages)
    await write(p, messages, converted, true)
    return converted.outcomes
  }

  /**
   * Waits out the INSERTs of this partition's ranges still running for a writer that is gone —
   * killed, or the partition's previous owner: ClickHouse runs a write whose data has arrived to
   * its end when its client goes away, and until it ends the table does not show its rows. A
   * range checked row by row meanwhile would be written twice. Each such INSERT carries its
   * range's deduplication token, so system.processes names it.
   */
  const previousWritesEnded = async (p: number) => {
    const prefix = tokenPrefix(p)
    const started = Date.now()
    for (;;) {
      const [row] = await queryRows<{ n: number }>(
        deps.client,
        `SELECT toUInt32(count()) AS n FROM system.processes
         WHERE query_kind = 'Insert' AND startsWith(Settings['insert_deduplication_token'], {prefix:String})`,
        { prefix },
      )
      if ((row?.n ?? 0) === 0) return
      if (Date.now() - started > PREVIOUS_WRITE_WAIT_MS)
        throw new RetriableError(
          `an earlier INSERT of ${prefix}… is still running after ${PREVIOUS_WRITE_WAIT_MS} ms`,
        )
      deps.onWaitForPreviousWrite?.(p, row?.n ?? 0)
      await sleep(200)
    }
  }

  const writeMissing = async (
    p: number,
    messages: readonly InboundMessage[],
    first: bigint,
    last: bigint,
  ) => {
    const table = deps.target.table
    const present = new Set(
      !table
        ? messages.map((m) => m.offset)
        : (
            await queryRows<{ o: string }>(
              deps.client,
              `SELECT toString(src_offset) AS o FROM ${table}
           WHERE src_partition = {p:UInt32} AND src_offset BETWEEN {a:UInt64} AND {b:UInt64}`,
              { p, a: first.toString(), b: last.toString() },
            )
          ).map((r) => r.o),
    )
    const missing = messages.filter((m) => !present.has(m.offset))
    const all = await convert(messages)
    // A range of its own, recorded as the partition's latest intent. Derived rows come from the
    // whole batch (the state skips what it already holds); rows of messages already written but
    // not yet in the state are derived again here: their tables are
    // ReplacingMergeTrees keyed so that such a repeat collapses.
    if (missing.length > 0)
      await write(p, missing, await convert(missing), true, { messages, values: all.values })
    else if (deps.derived) {
      await insertDerived(await deps.derived.derive(p, messages, all.values))
      await deps.derived.commit(p, last)
    }
    return all.outcomes
  }

  return Object.assign(handler, {
    /** Forgets cached intents (after a rebalance another instance may have written). */
    forget: () => intents.clear(),
  })
}
