/** The periods the queries group by: a day, an ISO week (from Monday) or a calendar month. */
export type Grain = 'day' | 'week' | 'month'

/** ClickHouse's expression for the start of the `grain` period holding the Date `column`. */
export function periodOf(grain: Grain, column: string): string {
  if (grain === 'week') return `toMonday(${column})`
  if (grain === 'month') return `toStartOfMonth(${column})`
  return column
}
