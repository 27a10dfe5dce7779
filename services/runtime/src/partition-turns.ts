/**
 * Runs work for one partition number one piece at a time, in the order it was asked for, while
 * different partitions run side by side. Topics co-partitioned into one keyed state (events and
 * a table joined in, or events and an internal topic) have their batches of partition p take
 * turns here, so that a flush never carries another batch's changes before that batch's output
 * is acknowledged, and a rollback after a failure undoes only the failed batch's changes.
 */
export function partitionTurns(): <R>(partition: number, run: () => Promise<R>) => Promise<R> {
  const turns = new Map<number, Promise<unknown>>()
  return (partition, run) => {
    const next = (turns.get(partition) ?? Promise.resolve()).then(run, run)
    turns.set(
      partition,
      next.catch(() => undefined),
    )
    return next
  }
}
