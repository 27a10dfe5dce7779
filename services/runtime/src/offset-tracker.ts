/**
 * Tracks which offsets of one partition's batch are finished (their writes acknowledged, or
 * their DLQ record acknowledged) and answers the highest offset that may be committed.
 *
 * Invariant: committable() never passes an offset that is not complete. Lanes finish out of
 * order (key A's messages may all be done while key B still waits on a retry), so the
 * watermark is the end of the longest complete prefix of the batch, not the largest
 * complete offset.
 */
export class OffsetTracker {
  private readonly indexByOffset = new Map<string, number>()
  private readonly done: boolean[]
  private prefix = 0

  constructor(private readonly offsets: readonly string[]) {
    offsets.forEach((offset, i) => {
      if (i > 0 && BigInt(offset) <= BigInt(offsets[i - 1] as string)) {
        throw new Error(`batch offsets must increase: ${offsets[i - 1]} then ${offset}`)
      }
      this.indexByOffset.set(offset, i)
    })
    this.done = offsets.map(() => false)
  }

  complete(offset: string): void {
    const i = this.indexByOffset.get(offset)
    if (i === undefined) throw new Error(`offset ${offset} is not in this batch`)
    this.done[i] = true
    while (this.prefix < this.done.length && this.done[this.prefix]) this.prefix++
  }

  /** The last offset of the complete prefix, or undefined when the first message is not done. */
  committable(): string | undefined {
    return this.prefix === 0 ? undefined : this.offsets[this.prefix - 1]
  }

  /** The offset Kafka should store: the next one to read (committable + 1). */
  nextToCommit(): string | undefined {
    const last = this.committable()
    return last === undefined ? undefined : (BigInt(last) + 1n).toString()
  }

  get allDone(): boolean {
    return this.prefix === this.done.length
  }
}
