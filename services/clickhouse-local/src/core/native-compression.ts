/**
 * ClickHouse's own compressed frame, which a client asks for with `compress=1` (the JDBC driver
 * does by default): blocks of [16-byte CityHash128 of the rest][0x82 = LZ4][4-byte size of the
 * block with this 9-byte header][4-byte uncompressed size][LZ4 block], sizes little-endian.
 *
 * The LZ4 block is written as one sequence of literals, which every LZ4 decoder reads: the frame
 * is for the client's sake, not to save bytes on a loopback connection. The checksum is CityHash
 * 1.0.2's 128-bit hash (the version ClickHouse pins; later CityHash versions give other values),
 * checked in a test against the JDBC driver's own implementation.
 */

const MASK = (1n << 64n) - 1n
const k0 = 0xc3a5c85c97cb3127n
const k1 = 0xb492b66fbe98f273n
const k2 = 0x9ae16a3b2f90404fn
const k3 = 0xc949d7c7509e6557n
const kMul = 0x9ddfea08eb382d69n

const add = (a: bigint, b: bigint) => (a + b) & MASK
const mul = (a: bigint, b: bigint) => (a * b) & MASK
const rotate = (v: bigint, s: bigint) => (s === 0n ? v : ((v >> s) | (v << (64n - s))) & MASK)
const shiftMix = (v: bigint) => v ^ (v >> 47n)

function hashLen16(u: bigint, v: bigint): bigint {
  let a = mul(u ^ v, kMul)
  a ^= a >> 47n
  let b = mul(v ^ a, kMul)
  b ^= b >> 47n
  return mul(b, kMul)
}

type U128 = [bigint, bigint]

function hashLen0to16(s: Buffer, at: number, len: number): bigint {
  if (len > 8) {
    const a = s.readBigUInt64LE(at)
    const b = s.readBigUInt64LE(at + len - 8)
    return hashLen16(a, rotate(add(b, BigInt(len)), BigInt(len))) ^ b
  }
  if (len >= 4) {
    const a = BigInt(s.readUInt32LE(at))
    return hashLen16(add(BigInt(len), a << 3n), BigInt(s.readUInt32LE(at + len - 4)))
  }
  if (len > 0) {
    const a = BigInt(s[at] as number)
    const b = BigInt(s[at + (len >> 1)] as number)
    const c = BigInt(s[at + len - 1] as number)
    const y = add(a, b << 8n)
    const z = add(BigInt(len), c << 2n)
    return mul(shiftMix(mul(y, k2) ^ mul(z, k3)), k2)
  }
  return k2
}

function weakHashLen32WithSeeds(s: Buffer, at: number, a0: bigint, b0: bigint): U128 {
  const w = s.readBigUInt64LE(at)
  const x = s.readBigUInt64LE(at + 8)
  const y = s.readBigUInt64LE(at + 16)
  const z = s.readBigUInt64LE(at + 24)
  let a = add(a0, w)
  let b = rotate(add(add(b0, a), z), 21n)
  const c = a
  a = add(add(a, x), y)
  b = add(b, rotate(a, 44n))
  return [add(a, z), add(b, c)]
}

function cityMurmur(s: Buffer, at: number, len: number, seed: U128): U128 {
  let [a, b] = seed
  let c: bigint
  let d: bigint
  let l = len - 16
  if (l <= 0) {
    a = mul(shiftMix(mul(a, k1)), k1)
    c = add(mul(b, k1), hashLen0to16(s, at, len))
    d = shiftMix(add(a, len >= 8 ? s.readBigUInt64LE(at) : c))
  } else {
    c = hashLen16(add(s.readBigUInt64LE(at + len - 8), k1), a)
    d = hashLen16(add(b, BigInt(len)), add(c, s.readBigUInt64LE(at + len - 16)))
    a = add(a, d)
    let p = at
    do {
      a ^= mul(shiftMix(mul(s.readBigUInt64LE(p), k1)), k1)
      a = mul(a, k1)
      b ^= a
      c ^= mul(shiftMix(mul(s.readBigUInt64LE(p + 8), k1)), k1)
      c = mul(c, k1)
      d ^= c
      p += 16
      l -= 16
    } while (l > 0)
  }
  a = hashLen16(a, c)
  b = hashLen16(d, b)
  return [a ^ b, hashLen16(b, a)]
}

function cityHash128WithSeed(s: Buffer, start: number, length: number, seed: U128): U128 {
  if (length < 128) return cityMurmur(s, start, length, seed)
  let len = length
  let p = start
  let [x, y] = seed
  let z = mul(BigInt(len), k1)
  let v: U128 = [0n, 0n]
  v[0] = add(mul(rotate(y ^ k1, 49n), k1), s.readBigUInt64LE(p))
  v[1] = add(mul(rotate(v[0], 42n), k1), s.readBigUInt64LE(p + 8))
  let w: U128 = [
    add(mul(rotate(add(y, z), 35n), k1), x),
    mul(rotate(add(x, s.readBigUInt64LE(p + 88)), 53n), k1),
  ]
  const round = () => {
    x = mul(rotate(add(add(add(x, y), v[0]), s.readBigUInt64LE(p + 16)), 37n), k1)
    y = mul(rotate(add(add(y, v[1]), s.readBigUInt64LE(p + 48)), 42n), k1)
    x ^= w[1]
    y ^= v[0]
    z = rotate(z ^ w[0], 33n)
    v = weakHashLen32WithSeeds(s, p, mul(v[1], k1), add(x, w[0]))
    w = weakHashLen32WithSeeds(s, p + 32, add(z, w[1]), y)
    ;[z, x] = [x, z]
    p += 64
  }
  do {
    round()
    round()
    len -= 128
  } while (len >= 128)
  y = add(y, add(mul(rotate(w[0], 37n), k0), z))
  x = add(x, mul(rotate(add(v[0], z), 49n), k0))
  for (let done = 0; done < len; ) {
    done += 32
    y = add(mul(rotate((y - x) & MASK, 42n), k0), v[1])
    w[0] = add(w[0], s.readBigUInt64LE(p + len - done + 16))
    x = add(mul(rotate(x, 49n), k0), w[0])
    w[0] = add(w[0], v[0])
    v = weakHashLen32WithSeeds(s, p + len - done, v[0], v[1])
  }
  x = hashLen16(x, v[0])
  y = hashLen16(y, w[0])
  return [add(hashLen16(add(x, v[1]), w[1]), y), hashLen16(add(x, w[1]), add(y, v[1]))]
}

/** CityHash 1.0.2's CityHash128 of `s`: the low and high 64-bit halves. */
export function cityHash128(s: Buffer): U128 {
  const len = s.length
  if (len >= 16)
    return cityHash128WithSeed(s, 16, len - 16, [s.readBigUInt64LE(0) ^ k3, s.readBigUInt64LE(8)])
  if (len >= 8)
    return cityHash128WithSeed(Buffer.alloc(0), 0, 0, [
      s.readBigUInt64LE(0) ^ mul(BigInt(len), k0),
      s.readBigUInt64LE(len - 8) ^ k1,
    ])
  return cityHash128WithSeed(s, 0, len, [k0, k1])
}

/** The bytes in ClickHouse's compressed frame, in blocks of at most 1 MiB. */
export function compressFrames(data: Buffer, blockSize = 1 << 20): Buffer {
  const frames: Buffer[] = []
  for (let off = 0; off < data.length || (off === 0 && frames.length === 0); off += blockSize) {
    const chunk = data.subarray(off, Math.min(data.length, off + blockSize))
    const block = literalBlock(chunk)
    const body = Buffer.alloc(9 + block.length)
    body[0] = 0x82
    body.writeUInt32LE(body.length, 1)
    body.writeUInt32LE(chunk.length, 5)
    block.copy(body, 9)
    const [lo, hi] = cityHash128(body)
    const sum = Buffer.alloc(16)
    sum.writeBigUInt64LE(lo, 0)
    sum.writeBigUInt64LE(hi, 8)
    frames.push(sum, body)
    if (data.length === 0) break
  }
  return Buffer.concat(frames)
}

/** An LZ4 block holding `bytes` as one run of literals (token, length bytes, the bytes). */
function literalBlock(bytes: Buffer): Buffer {
  const n = bytes.length
  const extra = n >= 15 ? Math.floor((n - 15) / 255) + 1 : 0
  const out = Buffer.alloc(1 + extra + n)
  out[0] = Math.min(n, 15) << 4
  let rest = n - 15
  let i = 1
  for (; i <= extra; i++) {
    out[i] = Math.min(rest, 255)
    rest -= 255
  }
  bytes.copy(out, i)
  return out
}
