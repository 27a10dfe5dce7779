/**
 * A deterministic pseudo-random source in [0, 1) for generated test data (a 32-bit linear
 * congruential generator): the same seed, the same sequence.
 */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (Math.imul(s, 1_103_515_245) + 12_345) >>> 0
    return s / 2 ** 32
  }
}
