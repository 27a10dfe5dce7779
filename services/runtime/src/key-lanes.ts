/**
 * Splits a batch into lanes so that messages with the same key keep their order (one lane
 * handles them one after another) while different keys are handled in parallel.
 * Messages without a key have no order to keep; they are spread by offset.
 */
export function assignLanes<M extends { key: Buffer | null; offset: string }>(
  messages: readonly M[],
  laneCount: number,
): M[][] {
  const lanes: M[][] = Array.from({ length: Math.max(1, laneCount) }, () => [])
  for (const m of messages) {
    const slot =
      m.key === null ? Number(BigInt(m.offset) % BigInt(lanes.length)) : fnv1a(m.key) % lanes.length
    ;(lanes[slot] as M[]).push(m)
  }
  return lanes.filter((lane) => lane.length > 0)
}

/** 32-bit FNV-1a: cheap, stable across processes and well spread for short keys. */
export function fnv1a(bytes: Uint8Array): number {
  let h = 0x811c9dc5
  for (const b of bytes) {
    h ^= b
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}
