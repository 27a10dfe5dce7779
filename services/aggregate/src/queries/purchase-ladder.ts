import { type ClickHouseClient, queryRows } from '@opstream/runtime/clickhouse-client'

export type CohortGrain = 'day' | 'week' | 'month'

/** One registration cohort of one acquisition channel group: users reaching each purchase. */
export interface LadderRow {
  cohort: string
  acquisition_group: string
  /** users[k-1]: users of the cohort who made at least k purchases, k = 1…5. */
  users: number[]
  /** 2nd-purchase users ÷ 1st-purchase users, truncated to 4 decimals; null without first purchases. */
  repurchase_rate: string | null
}

const COHORT: Record<CohortGrain, string> = {
  day: 'cohort_day',
  week: 'toMonday(cohort_day)',
  month: 'toStartOfMonth(cohort_day)',
}

/**
 * The 1st → 5th purchase ladder by registration cohort (day, ISO week from Monday, or month)
 * and acquisition channel group, from the `purchase_ladder` rollup.
 */
export function ladderSql(grain: CohortGrain): string {
  return `
SELECT cohort, acquisition_group,
  [${[1, 2, 3, 4, 5].map((k) => `toUInt32(sumIf(n, nth = ${k}))`).join(', ')}] AS users,
  if(sumIf(n, nth = 1) > 0,
     toDecimalString(toDecimal128(sumIf(n, nth = 2), 4) / sumIf(n, nth = 1), 4), NULL) AS repurchase_rate
FROM (
  SELECT toString(${COHORT[grain]}) AS cohort, acquisition_group, nth, sum(users) AS n
  FROM purchase_ladder
  WHERE cohort_day BETWEEN {from:Date} AND {to:Date}
  GROUP BY cohort, acquisition_group, nth)
GROUP BY cohort, acquisition_group
ORDER BY cohort, acquisition_group`
}

export function purchaseLadder(
  client: ClickHouseClient,
  grain: CohortGrain,
  range: { from: string; to: string },
): Promise<LadderRow[]> {
  return queryRows<LadderRow>(client, ladderSql(grain), range)
}
