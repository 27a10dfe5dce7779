/**
 * A keyed stage whose output partition p belongs to input partition p (its output is keyed as
 * its input is) marks each output record with the input offset it came from. After a crash
 * between a chunk's acknowledged output and its state write, the restored state does not have
 * the chunk, so the chunk is applied again and would produce the same output a second time. The
 * output partition's tail — from where the last state write saw it, to its end — tells which
 * input offsets past the applied offset were produced already: the stage applies those to its
 * state and does not produce them again. Reading further back than needed is safe (offsets at or
 * below the applied offset are ignored); reading from too late is not, so the position stored is
 * a lower bound (see WrittenAt).
 */
import { readPartitionsToEnd } from './changelog-reader.ts'
import type { InboundMessage, KafkaClient } from './kafka-types.ts'

/** `<input partition>:<input offset>` on every output record of a stage that tracks its output. */
export const INPUT_POSITION_HEADER = 'opstream.input'

export function inputPosition(partition: number, offset: bigint): string {
  return `${partition}:${offset}`
}

/** The input position a header holds, or undefined for a record without one. */
export function parseInputPosition(
  header: string | undefined,
): { partition: number; offset: bigint } | undefined {
  const colon = header?.indexOf(':') ?? -1
  if (!header || colon < 0) return undefined
  return { partition: Number(header.slice(0, colon)), offset: BigInt(header.slice(colon + 1)) }
}

export interface OutputTail {
  /** Input offsets of the partition, past the applied one, whose output is on the topic already. */
  produced: Set<bigint>
  /** The output partition's end when read: every later output lies at or beyond it. */
  end: bigint
}

/**
 * Reads output partitions from the given positions (their beginning where none is known) to
 * their end, collecting the input offsets past each partition's applied offset.
 */
export async function readOutputTails(opts: {
  kafka: KafkaClient
  topic: string
  partitions: ReadonlyArray<{ partition: number; from: bigint | undefined; applied: bigint }>
}): Promise<Map<number, OutputTail>> {
  const tails = new Map<number, OutputTail>()
  const applied = new Map<number, bigint>()
  const from = new Map<number, bigint>()
  for (const p of opts.partitions) {
    tails.set(p.partition, { produced: new Set(), end: -1n })
    applied.set(p.partition, p.applied)
    if (p.from !== undefined) from.set(p.partition, p.from)
  }
  const collect = (messages: readonly InboundMessage[]) => {
    for (const m of messages) {
      const at = parseInputPosition(m.headers[INPUT_POSITION_HEADER]?.toString('utf8'))
      // Only input partition p's output belongs in output partition p.
      if (!at || at.partition !== m.partition) continue
      if (at.offset > (applied.get(m.partition) ?? -1n)) tails.get(m.partition)?.produced.add(at.offset)
    }
  }
  const { ends } = await readPartitionsToEnd({
    kafka: opts.kafka,
    topic: opts.topic,
    partitions: opts.partitions.map((p) => p.partition),
    onMessages: collect,
    from,
  })
  for (const [p, tail] of tails) tail.end = ends.get(p) ?? 0n
  return tails
}
