/**
 * The event ids a person received within the deduplication window: a client's retry (the same
 * event_id sent again, minutes or hours later, after the person's later events) is recognised
 * exactly when it is received within `window` seconds of the first — by ingest's clock
 * (received_at), whatever the event type or the route it came by.
 *
 * Each id is 8 bytes: a 44-bit hash of the event_id and its received second as an age below the
 * newest received second (20 bits, so a window is at most MAX_WINDOW_S, about 12 days). Two
 * different ids of one person collide with probability 2^-44 per comparison: with a thousand
 * ids in a person's window, one real event in 1.7·10^10 would be taken for a repeat.
 */

/** The largest window the 20-bit ages hold. */
export const MAX_WINDOW_S = 2 ** 20 - 1

export interface SeenIds {
  /** 44-bit hashes, in the order received. */
  hashes: number[]
  /** Received times, seconds since the epoch, one per hash. */
  seconds: number[]
}

export const noSeenIds = (): SeenIds => ({ hashes: [], seconds: [] })

/** The 44 bits of a 48-bit id hash the window keeps. */
export const windowHash = (hash48: number): number => Math.floor(hash48 / 16)

/** Whether `hash` was received within `windowS` seconds before (or after) `atS`. */
export function seenWithin(seen: SeenIds, hash: number, atS: number, windowS: number): boolean {
  for (let i = 0; i < seen.hashes.length; i++)
    if (seen.hashes[i] === hash && Math.abs(atS - (seen.seconds[i] as number)) <= windowS) return true
  return false
}

/** The newest received second held; null when none. */
export function newestSecond(seen: SeenIds): number | null {
  let newest: number | null = null
  for (const s of seen.seconds) if (newest === null || s > newest) newest = s
  return newest
}

/** Drops what fell out of the window as of `nowS`. */
export function pruneSeen(seen: SeenIds, nowS: number, windowS: number): SeenIds {
  if (seen.seconds.every((s) => nowS - s <= windowS)) return seen
  const out = noSeenIds()
  seen.seconds.forEach((s, i) => {
    if (nowS - s <= windowS) {
      out.hashes.push(seen.hashes[i] as number)
      out.seconds.push(s)
    }
  })
  return out
}

/** Remembers an id received at `atS`, dropping what the newest received second leaves behind. */
export function rememberId(seen: SeenIds, hash: number, atS: number, windowS: number): SeenIds {
  const now = Math.max(atS, newestSecond(seen) ?? atS)
  const kept = pruneSeen(seen, now, windowS)
  const out = { hashes: [...kept.hashes, hash], seconds: [...kept.seconds, atS] }
  return out
}

const ENTRY_BYTES = 8
const AGE_BITS = 2 ** 20

/**
 * Packs the ids as 8 bytes each behind nothing else: the caller keeps the newest second
 * (`newestSecond`) beside it, which the ages count back from.
 */
export function packSeen(seen: SeenIds): Uint8Array {
  const newest = newestSecond(seen) ?? 0
  const out = new Uint8Array(seen.hashes.length * ENTRY_BYTES)
  const view = new DataView(out.buffer)
  seen.hashes.forEach((h, i) => {
    const age = Math.min(newest - (seen.seconds[i] as number), AGE_BITS - 1)
    // 44 bits of hash, then 20 of age: the high 32 bits are the hash's top 32.
    view.setUint32(i * ENTRY_BYTES, Math.floor(h / 4096))
    view.setUint32(i * ENTRY_BYTES + 4, (((h % 4096) * AGE_BITS) >>> 0) + age)
  })
  return out
}

export function unpackSeen(bytes: Uint8Array, newest: number): SeenIds {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const out = noSeenIds()
  for (let at = 0; at + ENTRY_BYTES <= bytes.length; at += ENTRY_BYTES) {
    const hi = view.getUint32(at)
    const lo = view.getUint32(at + 4)
    out.hashes.push(hi * 4096 + Math.floor(lo / AGE_BITS))
    out.seconds.push(newest - (lo % AGE_BITS))
  }
  return out
}
