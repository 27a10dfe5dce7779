/**
 * The cursor and primitive encodings the compiled writers and readers (compiled-type.ts) call:
 * avsc's Tap for most, and faster forms of the ones an event spends its time in — short ASCII
 * strings and longs beyond ±2^30 — with the same bytes.
 */
import { createRequire } from 'node:module'

export interface Tap {
  buf: Buffer
  pos: number
  writeLong(n: number): void
  readLong(): number
  readString(): string
}
// avsc's Tap (its buffer cursor and the primitive encodings) is not in its public typings.
export const { Tap } = createRequire(import.meta.url)('avsc/lib/utils.js') as {
  Tap: new (buf: Buffer, pos: number) => Tap
}

/**
 * Strings shorter than this are tried as ASCII in JavaScript; longer ones are measured and
 * copied natively, which is faster from about 45 characters on (measured on Node 20).
 */
const ASCII_TRY = 48

type NativeWrites = Buffer & {
  latin1Write(s: string, at: number, max: number): number
  utf8Write(s: string, at: number, max: number): number
}

/**
 * A string as Avro writes it: the UTF-8 length as a zig-zag varint, then the bytes. Most
 * strings in events are short ASCII (ids, codes, names): they are copied char by char behind
 * a one-byte length prefix (zig-zag(n) = 2n < 128), and only a string found not to be ASCII
 * pays for Buffer.byteLength and a native UTF-8 write.
 */
export function writeString(t: Tap, s: string): void {
  const buf = t.buf as NativeWrites
  const n = s.length
  if (n < ASCII_TRY) {
    const start = t.pos
    let p = start + 1
    let i = 0
    while (i < n) {
      const c = s.charCodeAt(i)
      if (c >= 0x80) break
      buf[p++] = c
      i++
    }
    if (i === n) {
      buf[start] = n << 1
      t.pos = p
      return
    }
  }
  const len = Buffer.byteLength(s)
  t.writeLong(len)
  const pos = t.pos
  t.pos += len
  // Past the end the caller sees the overflow and writes again into a larger buffer.
  if (t.pos > buf.length) return
  // As many bytes as characters: ASCII, whose Latin-1 bytes are its UTF-8 bytes.
  if (len === n) buf.latin1Write(s, pos, len)
  else buf.utf8Write(s, pos, len)
}

const TWO_28 = 268_435_456

/**
 * A long as a zig-zag varint, as avsc's Tap writes it. Beyond ±2^30 (timestamps in
 * milliseconds, amounts) avsc divides a double by 128 per byte; here the low 28 bits go out as
 * four bytes with integer operations and the rest, below 2^26, as one or more.
 */
export function writeLong(t: Tap, n: number): void {
  if (n >= -1_073_741_824 && n < 1_073_741_824) {
    t.writeLong(n)
    return
  }
  const f = n >= 0 ? n * 2 : -n * 2 - 1
  const lo = f % TWO_28
  let hi = (f - lo) / TWO_28
  const buf = t.buf
  let p = t.pos
  buf[p++] = (lo & 0x7f) | 0x80
  buf[p++] = ((lo >>> 7) & 0x7f) | 0x80
  buf[p++] = ((lo >>> 14) & 0x7f) | 0x80
  buf[p++] = ((lo >>> 21) & 0x7f) | 0x80
  while (hi > 0x7f) {
    buf[p++] = (hi & 0x7f) | 0x80
    hi >>>= 7
  }
  buf[p++] = hi
  t.pos = p
}

const fromCharCode = String.fromCharCode

/**
 * A string as Avro reads it. Short ASCII strings (event names, platforms, codes: most of an
 * event's strings) are built from their char codes, about twice as fast as a native UTF-8
 * decode for so few bytes; up to 12 characters V8 makes that a flat string. Anything else
 * goes to avsc's reader.
 */
export function readString(t: Tap): string {
  const buf = t.buf
  const pos = t.pos
  const head = buf[pos] as number
  // One varint byte with the sign bit clear: a length of 0–63.
  if (head < 0x80 && (head & 1) === 0 && head <= 24) {
    const n = head >> 1
    const at = pos + 1
    if (at + n <= buf.length) {
      const s = shortAscii(buf, at, n)
      if (s !== null) {
        t.pos = at + n
        return s
      }
    }
  }
  return t.readString()
}

/** The string of n ≤ 12 ASCII bytes at `at`, or null when one of them is not ASCII. */
function shortAscii(buf: Buffer, at: number, n: number): string | null {
  if (n === 0) return ''
  if (n <= 4) {
    const a = buf[at] as number
    const b = n > 1 ? (buf[at + 1] as number) : 0
    const c = n > 2 ? (buf[at + 2] as number) : 0
    const d = n > 3 ? (buf[at + 3] as number) : 0
    if ((a | b | c | d) & 0x80) return null
    return n === 1
      ? fromCharCode(a)
      : n === 2
        ? fromCharCode(a, b)
        : n === 3
          ? fromCharCode(a, b, c)
          : fromCharCode(a, b, c, d)
  }
  const head = shortAscii(buf, at, 4)
  const rest = head === null ? null : shortAscii(buf, at + 4, n - 4)
  return rest === null ? null : (head as string) + rest
}

export function fail(value: unknown): never {
  throw new TypeError(`invalid value: ${String(value)}`)
}

export function badIndex(index: number): Error {
  return new Error(`invalid union index: ${index}`)
}

export function readEnum(t: Tap, symbols: string[]): string {
  const index = t.readLong()
  const symbol = symbols[index]
  if (symbol === undefined) throw new Error(`invalid enum index: ${index}`)
  return symbol
}

/** Items in the next block of an array or map; a negative count is followed by the block's size in bytes. */
export function blockSize(t: Tap): number {
  const n = t.readLong()
  if (n >= 0) return n
  t.readLong()
  return -n
}
