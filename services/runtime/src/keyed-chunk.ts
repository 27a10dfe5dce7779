import { OK, type Outcome, outcomeForError } from './consumer-runner.ts'
import type { Decoded } from './contract/codec.ts'
import type { InboundMessage, OutboundMessage, ProducerHandle } from './kafka-types.ts'
import type { PartitionState } from './state-store.ts'

/** What applying one message gave: a message to produce, or an outcome without one. */
export type Applied = { output: OutboundMessage } | { outcome: Outcome }

/**
 * One chunk of a stage that keeps keyed state and produces one output per input: each message
 * not yet in its key's state is applied in offset order (`apply` reads and sets the state), then
 * the chunk's output is produced, and only once that is acknowledged is the state flushed with
 * the chunk's last offset — the order that makes a redelivery count once (see state-store.ts).
 */
export async function applyKeyedChunk<T, V>(opts: {
  state: PartitionState<V>
  messages: readonly InboundMessage[]
  decoded: ReadonlyArray<Decoded<T>>
  keyOf(value: T, message: InboundMessage): string
  apply(value: T, key: string, message: InboundMessage, offset: bigint): Applied
  producer: ProducerHandle
  outputTopic: string
}): Promise<Outcome[]> {
  const { state, messages } = opts
  const outcomes: Outcome[] = []
  const out: OutboundMessage[] = []
  messages.forEach((m, i) => {
    const d = opts.decoded[i]
    if (!d?.ok) {
      // Bad bytes fail the same way every time: after a restart they reach the DLQ again.
      outcomes.push(outcomeForError(d?.error))
      return
    }
    const key = opts.keyOf(d.value, m)
    const offset = BigInt(m.offset)
    // Already in the key's state, so its output was acknowledged before that state was written.
    if (state.isApplied(key, offset)) {
      outcomes.push(OK)
      return
    }
    const applied = opts.apply(d.value, key, m, offset)
    if ('outcome' in applied) outcomes.push(applied.outcome)
    else {
      out.push(applied.output)
      outcomes.push(OK)
    }
  })
  await opts.producer.send(opts.outputTopic, out)
  const last = messages[messages.length - 1]
  if (last && BigInt(last.offset) > state.appliedOffset) await state.flush(BigInt(last.offset))
  return outcomes
}
