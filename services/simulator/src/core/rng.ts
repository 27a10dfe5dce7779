/**
 * The simulator's one source of chance: a seeded generator (pure-rand's xoroshiro128+), so a
 * seed gives the same platform, the same users and the same events every run.
 */
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64'
import { uniformInt } from 'pure-rand/distribution/uniformInt'
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus'

export interface Rng {
  /** A float in [0, 1). */
  next(): number
  /** An integer in [min, max]. */
  int(min: number, max: number): number
  chance(p: number): boolean
  pick<T>(items: readonly T[]): T
  /** An item drawn by weight. */
  weighted<T>(items: readonly T[], weight: (item: T) => number): T
  /** A new generator of its own, derived from this one (a user's own stream of chance). */
  fork(): Rng
}

export function createRng(seed: number): Rng {
  const g = xoroshiro128plus(seed)
  const int = (min: number, max: number) => uniformInt(g, min, max)
  const next = () => uniformFloat64(g)
  return {
    next,
    int,
    chance: (p) => next() < p,
    pick: (items) => items[int(0, items.length - 1)] as (typeof items)[number],
    weighted(items, weight) {
      const total = items.reduce((n, i) => n + weight(i), 0)
      let x = next() * total
      for (const item of items) {
        x -= weight(item)
        if (x < 0) return item
      }
      return items[items.length - 1] as (typeof items)[number]
    },
    fork: () => createRng(int(0, 2 ** 31 - 1)),
  }
}
