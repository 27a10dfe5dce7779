/** Median of a list (mean of the middle two for an even count); NaN when empty. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN
  const v = [...values].sort((a, b) => a - b)
  const mid = Math.floor(v.length / 2)
  return v.length % 2 === 1 ? (v[mid] as number) : ((v[mid - 1] as number) + (v[mid] as number)) / 2
}

/** A normal distribution's MAD in standard deviations (Φ⁻¹(0.75)). */
export const MAD_PER_SIGMA = 0.6745

/** Median absolute deviation from the median. */
export function mad(values: readonly number[]): number {
  const m = median(values)
  return median(values.map((x) => Math.abs(x - m)))
}

/**
 * The modified z-score of x against a history (Iglewicz and Hoaglin): 0.6745 · (x − median) /
 * MAD; 3.5 and beyond is an outlier. When the history does not vary (MAD 0) the mean absolute
 * deviation stands in (scaled as for a normal distribution), and when that is 0 too any
 * difference is infinitely surprising. `minMad` keeps the scale from falling below the noise the
 * series is known to have (a few weeks of history can agree by chance).
 */
export function modifiedZ(x: number, history: readonly number[], minMad = 0): number {
  const m = median(history)
  const d = Math.max(mad(history), minMad)
  if (d > 0) return (MAD_PER_SIGMA * (x - m)) / d
  const meanAbs = history.reduce((s, h) => s + Math.abs(h - m), 0) / history.length
  if (meanAbs > 0) return (x - m) / (1.253314 * meanAbs)
  return x === m ? 0 : (x > m ? 1 : -1) * Number.POSITIVE_INFINITY
}
