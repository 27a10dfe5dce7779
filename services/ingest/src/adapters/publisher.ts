/**
 * Hands requests' messages to Kafka and resolves each request only once all of its messages
 * are acknowledged (idempotent producer, acks = all): the collector answers 2xx only after that.
 *
 * While one produce request is in flight, the messages of requests arriving meanwhile queue up
 * and go together in the next one, so the batch grows with load instead of every HTTP request
 * paying a broker round trip of its own (the idempotent producer keeps one request in flight).
 *
 * Messages not yet acknowledged are bounded: past the bound, or when Kafka does not acknowledge
 * in time, the request fails with Unavailable (HTTP 503 + Retry-After) and the client retries.
 * A send that times out may still land later; the retried copy carries the same event_id and is
 * deduplicated downstream.
 */
import { RetriableError } from '@opstream/runtime/errors'
import type { OutboundMessage, ProducerHandle } from '@opstream/runtime/kafka-types'
import type { IngestMetrics } from '../metrics.ts'

export class UnavailableError extends RetriableError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

export interface TopicMessages {
  topic: string
  messages: OutboundMessage[]
}

export interface Publisher {
  publish(batches: readonly TopicMessages[]): Promise<void>
  inFlight(): number
}

interface Waiting {
  batches: readonly TopicMessages[]
  count: number
  resolve: () => void
  reject: (err: unknown) => void
}

/** The most messages merged into one produce request. */
const MAX_MERGED = 20_000

export function createPublisher(opts: {
  producer: ProducerHandle
  maxInFlight: number
  timeoutMs: number
  metrics: IngestMetrics
}): Publisher {
  let inFlight = 0
  let pumping = false
  const queue: Waiting[] = []
  opts.metrics.bufferCapacity.set(opts.maxInFlight)

  const pump = async (): Promise<void> => {
    if (pumping) return
    pumping = true
    try {
      while (queue.length > 0) {
        const group: Waiting[] = []
        let merged = 0
        while (
          queue.length > 0 &&
          (group.length === 0 || merged + (queue[0] as Waiting).count <= MAX_MERGED)
        ) {
          const w = queue.shift() as Waiting
          group.push(w)
          merged += w.count
        }
        const byTopic = new Map<string, OutboundMessage[]>()
        for (const w of group) {
          for (const b of w.batches) {
            const list = byTopic.get(b.topic) ?? []
            for (const m of b.messages) list.push(m)
            byTopic.set(b.topic, list)
          }
        }
        const end = opts.metrics.produceSeconds.startTimer({ topic: 'all' })
        try {
          await opts.producer.sendBatch([...byTopic].map(([topic, messages]) => ({ topic, messages })))
          end()
          for (const w of group) w.resolve()
        } catch (err) {
          for (const w of group) w.reject(err)
        }
      }
    } finally {
      pumping = false
    }
  }

  return {
    async publish(batches) {
      const count = batches.reduce((n, b) => n + b.messages.length, 0)
      if (count === 0) return
      if (inFlight + count > opts.maxInFlight) {
        throw new UnavailableError(
          `${inFlight} messages await Kafka's acknowledgement; the buffer is full`,
          1,
        )
      }
      inFlight += count
      opts.metrics.bufferEvents.set(inFlight)
      const acknowledged = new Promise<void>((resolve, reject) => {
        queue.push({ batches, count, resolve, reject })
      }).finally(() => {
        inFlight -= count
        opts.metrics.bufferEvents.set(inFlight)
      })
      acknowledged.catch(() => undefined)
      void pump()
      let timer: NodeJS.Timeout | undefined
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new UnavailableError(`Kafka did not acknowledge within ${opts.timeoutMs} ms`, 5)),
          opts.timeoutMs,
        )
      })
      try {
        await Promise.race([acknowledged, timeout])
      } catch (err) {
        if (err instanceof UnavailableError) throw err
        throw new UnavailableError('Kafka is unavailable', 5, { cause: err })
      } finally {
        clearTimeout(timer)
      }
    },
    inFlight: () => inFlight,
  }
}
