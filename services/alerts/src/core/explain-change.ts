/**
 * Which breakdown values (channels, platforms, app versions, campaigns) explain a change of a
 * metric, after Adtributor (Bhagwan et al., NSDI '14): an element's explanatory power is the
 * share of the total change it accounts for. For a ratio (a conversion rate: numerator ÷
 * denominator, both summed over the elements) an element's share is counterfactual: how much of
 * the change would disappear had that element kept its earlier numbers. Elements are ranked by
 * explanatory power; those with at least `minPower` are kept until together they explain
 * `enough` of the change.
 */
export interface ElementNumbers {
  element: string
  /** Counts before and now (for a plain count, the denominators are left at 1). */
  numeratorBefore: number
  numeratorNow: number
  denominatorBefore: number
  denominatorNow: number
}

export interface Explanation {
  element: string
  /** Share of the total change explained, 0…1 (may exceed 1 when others moved the other way). */
  power: number
  before: number
  now: number
}

const ratio = (n: number, d: number) => (d === 0 ? 0 : n / d)

export function explainChange(
  elements: readonly ElementNumbers[],
  opts: { kind: 'count' | 'ratio'; minPower?: number; enough?: number },
): { before: number; now: number; explained: Explanation[] } {
  const minPower = opts.minPower ?? 0.1
  const enough = opts.enough ?? 0.67
  const sum = (f: (e: ElementNumbers) => number) => elements.reduce((s, e) => s + f(e), 0)
  const value = (n: number, d: number) => (opts.kind === 'count' ? n : ratio(n, d))
  const before = value(
    sum((e) => e.numeratorBefore),
    sum((e) => e.denominatorBefore),
  )
  const now = value(
    sum((e) => e.numeratorNow),
    sum((e) => e.denominatorNow),
  )
  const change = now - before
  if (change === 0) return { before, now, explained: [] }
  const ranked = elements
    .map((e) => {
      // The total had this element kept its earlier numbers.
      const without = value(
        sum((x) => x.numeratorNow) - e.numeratorNow + e.numeratorBefore,
        sum((x) => x.denominatorNow) - e.denominatorNow + e.denominatorBefore,
      )
      return {
        element: e.element,
        power: (now - without) / change,
        before: value(e.numeratorBefore, e.denominatorBefore),
        now: value(e.numeratorNow, e.denominatorNow),
      }
    })
    .filter((x) => x.power >= minPower)
    .sort((a, b) => b.power - a.power)
  const explained: Explanation[] = []
  let total = 0
  for (const x of ranked) {
    explained.push(x)
    total += x.power
    if (total >= enough) break
  }
  return { before, now, explained }
}
