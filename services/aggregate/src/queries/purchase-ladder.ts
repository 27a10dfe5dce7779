import { type ClickHouseClient, queryRows } from '@opstream/runtime/clickhouse-client'
import { type Grain, periodOf } from './grain.ts'

export type CohortGrain = Grain

/** One registration cohort of one acquisition channel group: users reaching each purchase. */
export interface LadderRow {
  cohort: string
  acquisition_group: string
  /** users[k-1]: users of the cohort who made at least k purchases, k = 1…5. */
  users: number[]
  /** 2nd-purchase users ÷ 1st-purchase users, truncated to 4 decimals; null without first purchases. */
  repurchase_rate: string | null
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
  SELECT toString(${periodOf(grain, 'cohort_day')}) AS cohort, acquisition_group, nth, sum(users) AS n
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

export interface PurchaseIntervalRow {
  cohort: string
  acquisition_group: string
  /** Repeat purchases (2nd and later) of the cohort. */
  intervals: number
  /** Median days from a purchase to the one before it (interpolated between the middle two). */
  median_days: number
}

/**
 * Time between purchases — each repeat purchase against the person's purchase before it — by
 * registration cohort and acquisition channel group, from the `purchases` table (one row per
 * purchase, numbered by enrich).
 */
export function purchaseIntervalsSql(grain: CohortGrain): string {
  return `
SELECT toString(${periodOf(grain, 'cohort_day')}) AS cohort, acquisition_group, toUInt32(count()) AS intervals,
  round(quantileExactInclusive(0.5)(days), 6) AS median_days
FROM (
  SELECT cohort_day, acquisition_group, nth,
    (toUnixTimestamp64Milli(purchased_at) - toUnixTimestamp64Milli(lagInFrame(purchased_at) OVER w)) / 86400000 AS days
  FROM purchases FINAL
  WHERE cohort_day BETWEEN {from:Date} AND {to:Date}
  WINDOW w AS (PARTITION BY person_key ORDER BY nth ROWS BETWEEN 1 PRECEDING AND CURRENT ROW))
WHERE nth >= 2
GROUP BY cohort, acquisition_group
ORDER BY cohort, acquisition_group`
}
