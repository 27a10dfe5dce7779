import type { Logger } from 'pino'
import { createRetry, withRetries } from './backoff.ts'
import type { DlqEntry, DlqPublisher } from './dlq.ts'
import { describeError, NonRetriableError, RetriableError } from './errors.ts'
import type { BatchPayload, ConsumerHandle, InboundMessage } from './kafka-types.ts'
import { assignLanes } from './key-lanes.ts'
import type { ConsumerMetrics } from './metrics.ts'
import { OffsetTracker } from './offset-tracker.ts'

/**
 * What a handler decides for each message it was given:
 * - ok: handled, and every write it caused is acknowledged;
 * - drop: deliberately ignored (a duplicate, an event nobody subscribes to); counted, not kept;
 * - dlq: bad input; the original bytes go to the dead-letter topic with the reason;
 * - retry: a transient failure; this message and the ones after it in the same lane are
 *   handed to the handler again after a backoff, so per-key order holds.
 */
export type Outcome =
  | { kind: 'ok' }
  | { kind: 'drop'; reason: string }
  | { kind: 'dlq'; reason: string; errorKind?: string }
  | { kind: 'retry'; reason: string }

export const OK: Outcome = Object.freeze({ kind: 'ok' })

/**
 * The outcome for a message whose handling threw: bad input (a NonRetriableError, such as a
 * WireFormatError from the codec) goes to the DLQ with its kind; anything else is retried.
 */
export function outcomeForError(err: unknown): Outcome {
  const reason = describeError(err)
  if (err instanceof NonRetriableError) {
    const kind = (err as { kind?: unknown }).kind
    return { kind: 'dlq', reason, errorKind: typeof kind === 'string' ? kind : 'rejected' }
  }
  return { kind: 'retry', reason }
}

const DEFAULT_CHUNK_SIZE = 1_000

export interface HandlerContext {
  topic: string
  partition: number
  log: Logger
  heartbeat(): Promise<void>
}

/**
 * Handles one lane: messages in offset order where equal keys never appear in two lanes at
 * once. Must return one outcome per message, in the same order. Throwing counts as `retry`
 * for every message given.
 */
export type BatchHandler = (
  messages: readonly InboundMessage[],
  ctx: HandlerContext,
) => Promise<readonly Outcome[]>

export interface BatchOptions {
  service: string
  handler: BatchHandler
  dlq: DlqPublisher
  log: Logger
  metrics: ConsumerMetrics
  lanes: number
  maxRetries: number
  heartbeatMs: number
  /**
   * Most messages handed to the handler in one call. Smaller chunks let the committed offset
   * advance during a long batch (less to redo after a crash); larger ones let sinks write bigger blocks.
   */
  chunkSize?: number
  backoff?: (attempt: number) => number
}

export interface BatchResult {
  /** The offset committed last (the next offset to read), if any. */
  committed: string | undefined
  handled: number
}

/**
 * Handles one fetched batch: lanes in parallel, outcomes applied, DLQ records acknowledged,
 * then offsets committed — only ever up to the end of the complete prefix of the batch, so a
 * crash at any moment loses nothing that was committed. Heartbeats and intermediate commits
 * run on a timer while lanes work, so slow batches neither lose the group nor redo much.
 */
export async function handleBatch(batch: BatchPayload, opts: BatchOptions): Promise<BatchResult> {
  const { topic, partition, messages } = batch
  if (messages.length === 0) return { committed: undefined, handled: 0 }
  const started = process.hrtime.bigint()
  const log = opts.log.child({ topic, partition })
  const tracker = new OffsetTracker(messages.map((m) => m.offset))
  opts.metrics.batchSize.observe({ topic }, messages.length)

  let committed: string | undefined
  const commitProgress = async (): Promise<void> => {
    if (batch.isStale()) return
    let next = tracker.nextToCommit()
    // A fully handled batch may end in transaction markers: commit past them too.
    if (tracker.allDone && next !== undefined && BigInt(batch.lastOffset) + 1n > BigInt(next)) {
      next = (BigInt(batch.lastOffset) + 1n).toString()
    }
    if (next === undefined || next === committed) return
    await batch.commit(next)
    committed = next
    opts.metrics.commits.inc({ topic, partition })
  }
  let chain: Promise<void> = Promise.resolve()
  const serial = (step: () => Promise<void>) => {
    chain = chain.then(step).catch((err: unknown) => log.warn({ err }, 'heartbeat or interim commit failed'))
    return chain
  }
  const ticker = setInterval(() => {
    void serial(async () => {
      await batch.heartbeat()
      await commitProgress()
    })
  }, opts.heartbeatMs)

  const ctx: HandlerContext = { topic, partition, log, heartbeat: () => batch.heartbeat() }
  let failure: unknown
  try {
    await Promise.all(
      assignLanes(messages, opts.lanes).map((lane) => runLane(lane, batch, tracker, ctx, opts)),
    )
  } catch (err) {
    failure = err
  } finally {
    clearInterval(ticker)
  }
  await chain
  await commitProgress()

  const high = BigInt(batch.highWatermark)
  const last = BigInt(tracker.committable() ?? messages[0]?.offset ?? '0')
  opts.metrics.lag.set({ topic, partition: String(partition) }, Number(high > last ? high - last - 1n : 0n))
  opts.metrics.batchDuration.observe({ topic }, Number(process.hrtime.bigint() - started) / 1e9)
  if (failure !== undefined) throw failure
  return { committed, handled: messages.length }
}

async function runLane(
  lane: readonly InboundMessage[],
  batch: BatchPayload,
  tracker: OffsetTracker,
  ctx: HandlerContext,
  opts: BatchOptions,
): Promise<void> {
  let pending = lane
  const retry = createRetry({ retries: opts.maxRetries, backoff: opts.backoff })
  while (pending.length > 0) {
    if (batch.isStale()) return
    const chunk = pending.slice(0, opts.chunkSize ?? DEFAULT_CHUNK_SIZE)
    const outcomes = await callHandler(chunk, ctx, opts.handler)
    const firstRetry = outcomes.findIndex((o) => o.kind === 'retry')
    const settled = firstRetry === -1 ? chunk.length : firstRetry
    await settle(chunk.slice(0, settled), outcomes.slice(0, settled), batch, tracker, ctx, opts)
    pending = pending.slice(settled)
    if (settled > 0) retry.progressed()
    if (settled === chunk.length) continue
    const stuck = pending[0] as InboundMessage
    const reason = (outcomes[settled] as { reason: string }).reason
    const attempt = retry.failed()
    if (attempt === undefined) {
      throw new RetriableError(
        `gave up on ${stuck.topic}/${stuck.partition}@${stuck.offset} after ${opts.maxRetries} retries: ${reason}`,
      )
    }
    opts.metrics.retries.inc({ topic: stuck.topic })
    ctx.log.warn({ offset: stuck.offset, attempt, reason }, 'retrying after a transient failure')
    // While stopping, leave the rest uncommitted for whoever owns the partition next.
    if (!batch.isRunning()) return
    await retry.wait()
  }
}

async function callHandler(
  messages: readonly InboundMessage[],
  ctx: HandlerContext,
  handler: BatchHandler,
): Promise<readonly Outcome[]> {
  try {
    const outcomes = await handler(messages, ctx)
    if (outcomes.length !== messages.length) {
      throw new Error(`handler returned ${outcomes.length} outcomes for ${messages.length} messages`)
    }
    return outcomes
  } catch (err) {
    const reason = describeError(err)
    return messages.map(() => ({ kind: 'retry', reason }) as const)
  }
}

/** Publishes the DLQ records (retrying while Kafka is unavailable), then marks offsets complete. */
async function settle(
  messages: readonly InboundMessage[],
  outcomes: readonly Outcome[],
  batch: BatchPayload,
  tracker: OffsetTracker,
  ctx: HandlerContext,
  opts: BatchOptions,
): Promise<void> {
  const dead: DlqEntry[] = []
  outcomes.forEach((o, i) => {
    if (o.kind === 'dlq')
      dead.push({ message: messages[i] as InboundMessage, reason: o.reason, errorKind: o.errorKind })
  })
  if (dead.length > 0)
    await withRetries(() => opts.dlq.publish(dead), {
      retries: opts.maxRetries,
      backoff: opts.backoff,
      giveUp: () => batch.isStale(),
      onFailure: (err, attempt, retrying) => {
        if (retrying) ctx.log.warn({ err, attempt }, 'DLQ publish failed; retrying')
      },
    }).catch((err: unknown) => {
      throw new RetriableError('DLQ publish failed', { cause: err })
    })
  for (const d of dead) {
    ctx.log.warn({ offset: d.message.offset, reason: d.reason }, 'message sent to DLQ')
    opts.metrics.dlq.inc({ topic: ctx.topic })
  }
  messages.forEach((m, i) => {
    tracker.complete(m.offset)
    opts.metrics.messages.inc({
      topic: m.topic,
      partition: m.partition,
      outcome: (outcomes[i] as Outcome).kind,
    })
  })
}

export interface ConsumerRunnerOptions extends BatchOptions {
  consumer: ConsumerHandle
  topics: readonly string[]
  fromBeginning?: boolean
  partitionsConsumedConcurrently?: number
  /** Called when a batch cannot be finished (retries exhausted): the process should exit non-zero. */
  onFatal: (err: unknown) => void
}

export interface ConsumerRunner {
  start(): Promise<void>
  /** Stops fetching, lets the in-flight batches finish and commit, then leaves the group. */
  stop(): Promise<void>
  isRunning(): boolean
}

export function createConsumerRunner(opts: ConsumerRunnerOptions): ConsumerRunner {
  let running = false
  let stopped = false
  return {
    async start() {
      opts.consumer.onGroupEvent((event, detail) => {
        opts.metrics.rebalances.inc({ event })
        opts.log.info({ event, ...detail }, 'consumer group event')
      })
      await opts.consumer.subscribe(opts.topics, opts.fromBeginning ?? true)
      await opts.consumer.run(
        async (batch) => {
          try {
            await handleBatch(batch, opts)
          } catch (err) {
            opts.log.fatal(
              { err, topic: batch.topic, partition: batch.partition },
              'batch could not be finished',
            )
            opts.onFatal(err)
            throw err
          }
        },
        { partitionsConsumedConcurrently: opts.partitionsConsumedConcurrently ?? 4 },
      )
      running = true
      opts.log.info({ topics: opts.topics }, 'consumer running')
    },
    async stop() {
      if (stopped) return
      stopped = true
      running = false
      await opts.consumer.stop()
      await opts.consumer.disconnect()
    },
    isRunning: () => running,
  }
}
