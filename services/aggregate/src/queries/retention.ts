import { type ClickHouseClient, queryRows } from '@opstream/runtime/clickhouse-client'
import { BREAKDOWN_WHERE, type Breakdown, breakdownParams } from './active-users.ts'
import { type Grain, periodOf } from './grain.ts'

/**
 * What a retention row measures:
 * - 'active':   of the users who registered in the cohort, those active on day (or week) n after;
 * - 'purchase': of the users whose first purchase fell in the cohort, those buying again on day
 *               (or week) n after it.
 */
export type RetentionKind = 'active' | 'purchase'

export interface RetentionRow {
  cohort: string
  /** Days (or weeks: day_n ÷ 7) since the cohort day. */
  n: number
  cohort_users: number
  /** Users of the cohort retained on day (week) n exactly. */
  on_n: number
  /** Users of the cohort retained on day (week) n or later. */
  on_or_after: number
  on_rate: number | null
  on_or_after_rate: number | null
}

/**
 * N-day (N = 0…{max_n}) or N-week retention by cohort (day, ISO week or month of the cohort
 * day), exact: the users of a cell are merged uniqExact states of `cohort_activity`, and "on or
 * after" n is the union of cell n and every later one (every n past max_n counted in max_n's).
 * A week n holds days 7n … 7n + 6.
 *
 * Each cell's rows (one per channel and platform) are merged into one state, and the unions are
 * taken from the last cell back as a running merge (a window whose frame only grows is merged
 * incrementally), so each state is merged twice however many cells lie before it. Every n up to
 * a cohort's last gets a row: one without a cell of its own has nobody on it, and the union of
 * the next cell that has.
 */
export function retentionSql(kind: RetentionKind, grain: Grain, unit: 'day' | 'week'): string {
  const retained = kind === 'active' ? 'active' : 'repurchase'
  const base = kind === 'active' ? 'active' : 'buyers'
  const n = unit === 'day' ? 'day_n' : 'intDiv(day_n, 7)'
  return `
WITH cells AS (
  SELECT toString(${periodOf(grain, 'cohort_day')}) AS cohort, toUInt32(least(${n}, {max_n:UInt32})) AS k,
    uniqExactMergeStateIf(users, ${n} <= {max_n:UInt32}) AS on_users, uniqExactMergeState(users) AS k_users
  FROM cohort_activity
  WHERE kind = '${retained}' AND cohort_day BETWEEN {from:Date} AND {to:Date} AND ${BREAKDOWN_WHERE}
  GROUP BY cohort, k),
unions AS (
  SELECT cohort, arraySort(groupArray((k, n_on, n_after))) AS by_k
  FROM (
    SELECT cohort, k, finalizeAggregation(on_users) AS n_on,
      uniqExactMerge(k_users) OVER (PARTITION BY cohort ORDER BY k DESC ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS n_after
    FROM cells)
  GROUP BY cohort)
SELECT cohort, toUInt32(kk) AS n, toUInt32(size) AS cohort_users, toUInt32(n_on) AS on_n,
  toUInt32(n_after) AS on_or_after,
  if(size > 0, round(n_on / size, 4), NULL) AS on_rate,
  if(size > 0, round(n_after / size, 4), NULL) AS on_or_after_rate
FROM (
  SELECT cohort, kk, arrayFirst(x -> x.1 = kk, by_k).2 AS n_on, arrayFirst(x -> x.1 >= kk, by_k).3 AS n_after
  FROM unions
  ARRAY JOIN range(arrayMax(x -> x.1, by_k) + 1) AS kk) AS r
LEFT JOIN (
  SELECT toString(${periodOf(grain, 'cohort_day')}) AS cohort, uniqExactMerge(users) AS size
  FROM cohort_activity
  WHERE kind = '${base}' AND cohort_day BETWEEN {from:Date} AND {to:Date} AND ${BREAKDOWN_WHERE}
  GROUP BY cohort) AS s USING (cohort)
ORDER BY cohort, n`
}

export function retention(
  client: ClickHouseClient,
  opts: { kind: RetentionKind; grain: Grain; unit: 'day' | 'week'; from: string; to: string; maxN?: number },
  b?: Breakdown,
): Promise<RetentionRow[]> {
  const maxN = opts.maxN ?? (opts.unit === 'day' ? 30 : 12)
  return queryRows<RetentionRow>(client, retentionSql(opts.kind, opts.grain, opts.unit), {
    from: opts.from,
    to: opts.to,
    max_n: maxN,
    ...breakdownParams(b),
  })
}

/** A cohort's value by days since registration. Money as decimal strings. */
export interface LtvRow {
  cohort: string
  acquisition_group: string
  cohort_users: number
  /** Users whose first purchase came within 1, 7, 30, 90 and 180 days (day_n < N). */
  converted: number[]
  /** Purchase amount of the cohort within 1, 7, 30, 90 and 180 days of registration. */
  amount: string[]
  /** amount ÷ cohort users, for each of those days. */
  ltv: Array<string | null>
  /** What the cohort's acquisition cost: the channel group's costs over the cohort's days. */
  cost: string
  /** LTV ÷ CAC (= amount ÷ cost) for each of those days; null without cost. */
  ltv_to_cac: Array<string | null>
  /** First day n (0-based) by whose end the cohort's purchases covered its cost; null if not yet. */
  payback_day: number | null
}

export const LTV_DAYS = [1, 7, 30, 90, 180] as const

/**
 * LTV by registration cohort and acquisition channel group from `cohort_activity` (the cohort's
 * purchases by day since registration), first-purchase conversion within the same days, and the
 * cohort's cost from `channel_costs` (each code's latest amount per day, summed per group).
 */
export function ltvSql(grain: Grain): string {
  const days = `[${LTV_DAYS.join(', ')}]`
  return `
WITH
  cohorts AS (
    SELECT toString(${periodOf(grain, 'cohort_day')}) AS cohort, acquisition_group,
      uniqExactMergeIf(users, kind = 'active') AS size,
      [${LTV_DAYS.map((d) => `toUInt32(uniqExactMergeIf(users, kind = 'first_purchase' AND day_n < ${d}))`).join(', ')}] AS converted,
      groupArrayIf((day_n, amount), kind = 'active' AND amount > 0) AS by_day
    FROM cohort_activity
    WHERE cohort_day BETWEEN {from:Date} AND {to:Date} AND kind IN ('active', 'first_purchase')
      AND acquisition_group != '' AND ${BREAKDOWN_WHERE}
    GROUP BY cohort, acquisition_group),
  costs AS (
    SELECT toString(${periodOf(grain, 'date')}) AS cohort, channel_group AS acquisition_group,
      sum(latest) AS spent
    FROM (
      SELECT date, code, argMax(amount, src_offset) AS latest, argMax(channel_group, src_offset) AS channel_group
      FROM channel_costs WHERE date BETWEEN {from:Date} AND {to:Date} GROUP BY date, code)
    GROUP BY cohort, acquisition_group)
SELECT cohort, acquisition_group, toUInt32(size) AS cohort_users, converted,
  arrayMap(d -> toDecimal128(arraySum(x -> if(x.1 < d, x.2, toDecimal128(0, 4)), by_day), 4), ${days}) AS sums,
  arrayMap(v -> toDecimalString(v, 4), sums) AS amount,
  arrayMap(v -> if(size > 0, toDecimalString(v / size, 4), NULL), sums) AS ltv,
  toDecimalString(ifNull(spent, toDecimal128(0, 4)), 4) AS cost,
  arrayMap(v -> if(spent > 0, toDecimalString(v / spent, 4), NULL), sums) AS ltv_to_cac,
  if(spent > 0,
     arrayFirstIndex(x -> x >= spent,
       arrayCumSum(arrayMap(i -> arraySum(x -> if(x.1 = i, x.2, toDecimal128(0, 4)), by_day), range(toUInt32(arrayMax(x -> x.1, by_day)) + 1)))),
     0) - 1 AS payback_index,
  if(payback_index >= 0, payback_index, NULL) AS payback_day
FROM cohorts LEFT JOIN costs USING (cohort, acquisition_group)
ORDER BY cohort, acquisition_group`
}

export async function ltv(
  client: ClickHouseClient,
  grain: Grain,
  range: { from: string; to: string },
  b?: Breakdown,
): Promise<LtvRow[]> {
  const rows = await queryRows<LtvRow & { sums?: unknown; payback_index?: unknown }>(client, ltvSql(grain), {
    ...range,
    ...breakdownParams(b),
  })
  return rows.map(({ sums: _s, payback_index: _p, ...r }) => r)
}
