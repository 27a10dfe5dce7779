import { formatValue } from './alert-message.ts'
import type { AlertRule } from './alert-rules.ts'
import { type ElementNumbers, type Explanation, explainChange } from './explain-change.ts'
import { baselineEnds, belongsTo, type Label, type RuleSeries, type SeriesRow } from './series-frame.ts'

/** How many breakdown values an explanation names at most. */
const TOP = 3

export interface SeriesExplanation {
  text: string
  /** Ranked over every explainBy label: the values that explain the change. */
  items: Array<Explanation & { label: Label }>
}

/**
 * Why a series moved: its rows split by each `explainBy` label (those not already fixing the
 * series), the current window against the mean of the baseline windows, ranked by explanatory
 * power across labels — e.g. "31.0 % → 12.0 %; platform=ios explains 83 % of the change
 * (30.5 % → 4.1 %)".
 */
export function explainSeries(rule: AlertRule, series: RuleSeries, at: number): SeriesExplanation {
  const ratio = percentOf(rule)
  const before = baselineEnds(rule, at)
  const labels = rule.explainBy.filter((l) => !rule.by.includes(l))
  const items: SeriesExplanation['items'] = []
  let total: { before: number; now: number } | null = null
  for (const label of labels) {
    const r = explainChange(elementNumbers(rule, series.rows, label, at, before), rule.formula.compute)
    total = { before: r.before, now: r.now }
    items.push(...r.explained.map((e) => ({ ...e, label })))
  }
  items.sort((a, b) => b.power - a.power)
  const top = items.slice(0, TOP)
  if (!total) return { text: '', items: [] }
  const parts = top.map(
    (e) =>
      `${e.label}=${e.element} explains ${Math.round(e.power * 100)} % of the change (${formatValue(e.before, ratio)} → ${formatValue(e.now, ratio)})`,
  )
  const head = `${formatValue(total.before, ratio)} → ${formatValue(total.now, ratio)}`
  return { text: [head, ...parts].join('; '), items: top }
}

/** Whether a rule's values print as percentages. */
export const percentOf = (rule: AlertRule): boolean =>
  (rule.format ?? (rule.formula.kind === 'ratio' ? 'percent' : 'number')) === 'percent'

/** Per value of `label`: each var's window sums now, and their mean over the baseline windows. */
function elementNumbers(
  rule: AlertRule,
  rows: readonly SeriesRow[],
  label: Label,
  at: number,
  baselineEnds: readonly number[],
): ElementNumbers[] {
  const byElement = new Map<
    string,
    { element: string; before: Record<string, number>; now: Record<string, number> }
  >()
  const inWindow = (minute: number, end: number) => minute >= end - rule.window && minute < end
  const weight = 1 / Math.max(1, baselineEnds.length)
  const vars = Object.entries(rule.formula.vars)
  for (const row of rows) {
    const now = inWindow(row.minute, at)
    if (!now && !baselineEnds.some((end) => inWindow(row.minute, end))) continue
    const element = row[label]
    let e = byElement.get(element)
    if (!e) {
      e = { element, before: {}, now: {} }
      byElement.set(element, e)
    }
    const target = now ? e.now : e.before
    for (const [name, ref] of vars)
      if (belongsTo(ref, row)) target[name] = (target[name] ?? 0) + (now ? 1 : weight) * row.value
  }
  return [...byElement.values()]
}
