import { RetriableError } from '@opstream/runtime/errors'
import type { OutboundMessage, ProducerHandle } from '@opstream/runtime/kafka-types'
import type { IngestMetrics } from '../metrics.ts'

/**
 * Hands a request's messages to Kafka and resolves only once all of them are acknowledged
 * (idempotent producer, acks = all): the collector answers 2xx only after that. Messages not yet
 * acknowledged are bounded: past the bound, or when Kafka does not acknowledge in time, the
 * request fails with Unavailable (HTTP 503 + Retry-After) and the client retries. A send that
 * times out may still land later; the retried copy carries the same event_id and is
 * deduplicated downstream.
 */
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

export function createPublisher(opts: {
  producer: ProducerHandle
  maxInFlight: number
  timeoutMs: number
  metrics: IngestMetrics
}): Publisher {
  let inFlight = 0
  opts.metrics.bufferCapacity.set(opts.maxInFlight)
  const send = async (batch: TopicMessages): Promise<void> => {
    const end = opts.metrics.produceSeconds.startTimer({ topic: batch.topic })
    await opts.producer.send(batch.topic, batch.messages)
    end()
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
      const sending = Promise.all(batches.filter((b) => b.messages.length > 0).map(send)).finally(() => {
        inFlight -= count
        opts.metrics.bufferEvents.set(inFlight)
      })
      let timer: NodeJS.Timeout | undefined
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new UnavailableError(`Kafka did not acknowledge within ${opts.timeoutMs} ms`, 5)),
          opts.timeoutMs,
        )
      })
      try {
        await Promise.race([sending, timeout])
      } catch (err) {
        if (err instanceof UnavailableError) throw err
        throw new UnavailableError('Kafka is unavailable', 5, { cause: err })
      } finally {
        clearTimeout(timer)
        sending.catch(() => undefined)
      }
    },
    inFlight: () => inFlight,
  }
}
