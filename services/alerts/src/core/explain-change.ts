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
  /** The element's window sums per var of the rule's formula, before and now. */
  before: Readonly<Record<string, number>>
  now: Readonly<Record<string, number>>
}

export interface Explanation {
  element: string
  /** Share of the total change explained, 0…1 (may exceed 1 when others moved the other way). */
  power: number
  before: number
  now: number
}

type Sums = Readonly<Record<string, number>>

function add(a: Sums, b: Sums, sign = 1): Record<string, number> {
  const out: Record<string, number> = { ...a }
  for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0) + sign * v
  return out
}

/**
 * `compute` turns sums into the metric (a count, a ratio, an expression; null where undefined,
 * taken as 0). The total had an element kept its earlier numbers is the total with its current
 * sums swapped for its earlier ones — for a count that is plain share of the change.
 */
export function explainChange(
  elements: readonly ElementNumbers[],
  compute: (sums: Sums) => number | null,
  opts: { minPower?: number; enough?: number } = {},
): { before: number; now: number; explained: Explanation[] } {
  const minPower = opts.minPower ?? 0.1
  const enough = opts.enough ?? 0.67
  const value = (s: Sums) => compute(s) ?? 0
  const totalBefore = elements.reduce<Sums>((s, e) => add(s, e.before), {})
  const totalNow = elements.reduce<Sums>((s, e) => add(s, e.now), {})
  const before = value(totalBefore)
  const now = value(totalNow)
  const change = now - before
  if (change === 0) return { before, now, explained: [] }
  const ranked = elements
    .map((e) => ({
      element: e.element,
      power: (now - value(add(add(totalNow, e.now, -1), e.before))) / change,
      before: value(e.before),
      now: value(e.now),
    }))
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
