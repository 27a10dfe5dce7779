/**
 * A low watermark of receipt time (ingest's clock, in seconds) for the events that reach one
 * partition of the profile stage: no event still to come was received much before it.
 *
 * Why that holds: the raw topic is written in order of receipt, partition by partition (ingest
 * stamps received_at as it takes an event in), and stage 1 reads each raw partition in order and
 * sends its output in that order — a crash makes it send a stretch again, but only what it had
 * sent before. So the newest received second seen here from raw partition r bounds every later
 * event from r from below, give or take the few seconds by which ingest's own batching can
 * reorder receipts (`graceS` absorbs that). The minimum of those bounds over every raw partition
 * bounds every event still to come. Until each raw partition has been seen there is no bound.
 *
 * A clock taken from the newest event seen from any partition is not a bound: one raw partition
 * can run hours of receipt time ahead of another (its stage-1 consumer faster, the other one
 * restarting, or a replay of history), and a person's next events may come by the slow one.
 */
export interface ReceiptWatermark {
  /** Takes in the newest received seconds of a chunk once it has been applied for good. */
  advance(newest: ReadonlyMap<number, number>): void
  /** A receipt second no later event falls below (less grace); null until every source is seen. */
  value(): number | null
}

export function createReceiptWatermark(sources: number, graceS: number): ReceiptWatermark {
  const newest = new Map<number, number>()
  let low: number | null = null
  return {
    advance(chunk) {
      for (const [source, second] of chunk)
        if (source >= 0 && source < sources) keepNewest(newest, source, second)
      if (newest.size < sources) return
      low = Math.min(...newest.values()) - graceS
    },
    value: () => low,
  }
}

/** The newest received second per source among a chunk's events, as `advance` takes it. */
export function chunkNewest(): { see(source: number, second: number): void; newest: Map<number, number> } {
  const newest = new Map<number, number>()
  return {
    see: (source, second) => keepNewest(newest, source, second),
    newest,
  }
}

function keepNewest(newest: Map<number, number>, source: number, second: number): void {
  if (second > (newest.get(source) ?? Number.NEGATIVE_INFINITY)) newest.set(source, second)
}

/** An event's receipt time (ingest's clock) in whole seconds, as the window and the watermark count it. */
export function receivedSecond(event: { received_at: Date }): number {
  return Math.floor(event.received_at.getTime() / 1000)
}
