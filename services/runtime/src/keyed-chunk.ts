import { OK, type Outcome, outcomeForError } from './consumer-runner.ts'
import type { Decoded } from './contract/codec.ts'
import type { InboundMessage, OutboundMessage, ProducerHandle } from './kafka-types.ts'
import { INPUT_POSITION_HEADER, inputPosition } from './output-tail.ts'
import type { PartitionState } from './state-store.ts'

/** What applying one message gave: a message to produce, or an outcome without one. */
export type Applied = { output: OutboundMessage } | { outcome: Outcome }

/**
 * One chunk of a stage that keeps keyed state and produces one output per input: each message
 * not yet in its key's state is applied in offset order (`apply` reads and sets the state), then
 * the chunk's output is produced, and only once that is acknowledged is the state flushed with
 * the chunk's last offset — the order that makes a redelivery count once (see state-store.ts).
 * When the state tracks its output, each output goes to the input's partition marked with its
 * input offset, and input whose output was acknowledged before a crash is applied without being
 * produced again (see output-tail.ts).
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
  const tracked = state.output?.topic === opts.outputTopic ? state.output : undefined
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
      if (!tracked) out.push(applied.output)
      else if (!tracked.produced(offset)) out.push(marked(applied.output, state.partition, offset))
      outcomes.push(OK)
    }
  })
  const written = await opts.producer.send(opts.outputTopic, out)
  const at = written.find((w) => w.partition === state.partition && w.topic === opts.outputTopic)
  const last = messages[messages.length - 1]
  if (last && BigInt(last.offset) > state.appliedOffset) await state.flush(BigInt(last.offset), at?.offset)
  return outcomes
}

function marked(output: OutboundMessage, partition: number, offset: bigint): OutboundMessage {
  const headers = { ...output.headers, [INPUT_POSITION_HEADER]: inputPosition(partition, offset) }
  return { ...output, headers, partition }
}
