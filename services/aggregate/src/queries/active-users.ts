import { type ClickHouseClient, queryRows } from '@opstream/runtime/clickhouse-client'
import type { Grain } from './grain.ts'

/**
 * Filters every operations query takes: an empty value means all. Platform is where the activity
 * happened; the channel is the person's acquisition channel ('' for devices not yet registered).
 */
export interface Breakdown {
  group?: string
  source?: string
  campaign?: string
  platform?: string
}

export const BREAKDOWN_WHERE = `({group:String} = '' OR acquisition_group = {group:String})
  AND ({source:String} = '' OR acquisition_source = {source:String})
  AND ({campaign:String} = '' OR acquisition_campaign = {campaign:String})
  AND ({platform:String} = '' OR platform = {platform:String})`

export function breakdownParams(b: Breakdown = {}): Record<string, string> {
  return {
    group: b.group ?? '',
    source: b.source ?? '',
    campaign: b.campaign ?? '',
    platform: b.platform ?? '',
  }
}

/** One day: distinct persons active that day, in the 7 and in the 30 days ending with it. */
export interface ActiveUsersRow {
  day: string
  dau: number
  wau: number
  mau: number
  /** DAU ÷ MAU, 4 decimals; null without activity. */
  stickiness: number | null
}

/**
 * DAU, WAU and MAU for every day of [from, to], exact: each day's uniqExact states in
 * `activity_daily` are merged over the window that ends on the day (7 or 30 days).
 */
export const ACTIVE_USERS_SQL = `
SELECT toString(d) AS day, toUInt32(n_day) AS dau, toUInt32(n_week) AS wau, toUInt32(n_month) AS mau,
  if(n_month > 0, round(n_day / n_month, 4), NULL) AS stickiness
FROM (
  SELECT d,
    uniqExactMergeIf(persons, activity_day = d) AS n_day,
    uniqExactMergeIf(persons, activity_day > d - 7) AS n_week,
    uniqExactMerge(persons) AS n_month
  FROM (
    SELECT day AS activity_day, persons FROM activity_daily
    WHERE day BETWEEN {from:Date} - 29 AND {to:Date} AND ${BREAKDOWN_WHERE})
  ARRAY JOIN arrayFilter(x -> x BETWEEN {from:Date} AND {to:Date},
    arrayMap(i -> activity_day + i, range(30))) AS d
  GROUP BY d)
ORDER BY d`

export function activeUsers(
  client: ClickHouseClient,
  range: { from: string; to: string },
  b?: Breakdown,
): Promise<ActiveUsersRow[]> {
  return queryRows<ActiveUsersRow>(client, ACTIVE_USERS_SQL, { ...range, ...breakdownParams(b) })
}

/** A period's morning numbers. Money as decimal strings; ratios 4 decimals, null when undefined. */
export interface PeriodSummaryRow {
  /** 'current', 'previous' (the period before) or 'week_earlier' (the same period a week before). */
  period: 'current' | 'previous' | 'week_earlier'
  from: string
  to: string
  new_devices: number
  new_users: number
  /** Distinct persons active in the period (registered users and unregistered devices). */
  active: number
  active_users: number
  payers: number
  first_payers: number
  orders: number
  gmv: string
  /** GMV ÷ active persons. */
  arpu: string | null
  /** GMV ÷ payers. */
  arppu: string | null
  /** GMV ÷ orders (average order value). */
  aov: string | null
  /** Payers ÷ active persons. */
  paid_penetration: number | null
}

/** [from, to] of the period of `grain` holding `day`, of the one before, and a week earlier. */
export function periodsOf(
  grain: Grain,
  day: string,
): Array<{ period: PeriodSummaryRow['period']; from: string; to: string }> {
  const d = new Date(`${day}T00:00:00Z`)
  const iso = (x: Date) => x.toISOString().slice(0, 10)
  const add = (x: Date, days: number) => new Date(x.getTime() + days * 86_400_000)
  let from: Date
  let next: Date
  let prev: Date
  if (grain === 'day') {
    from = d
    next = add(d, 1)
    prev = add(d, -1)
  } else if (grain === 'week') {
    from = add(d, -((d.getUTCDay() + 6) % 7))
    next = add(from, 7)
    prev = add(from, -7)
  } else {
    from = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1))
    next = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1))
    prev = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1))
  }
  const to = add(next, -1)
  return [
    { period: 'current', from: iso(from), to: iso(to) },
    { period: 'previous', from: iso(prev), to: iso(add(from, -1)) },
    { period: 'week_earlier', from: iso(add(from, -7)), to: iso(add(to, -7)) },
  ]
}

const PERIODS = `[('current', {current_from:Date}, {current_to:Date}),
  ('previous', {previous_from:Date}, {previous_to:Date}),
  ('week_earlier', {week_earlier_from:Date}, {week_earlier_to:Date})]`

export const PERIOD_SUMMARY_SQL = `
SELECT p.1 AS period, toString(p.2) AS from, toString(p.3) AS to,
  toUInt32(n_new_devices) AS new_devices, toUInt32(n_new_users) AS new_users,
  toUInt32(n_active) AS active, toUInt32(n_users) AS active_users,
  toUInt32(n_payers) AS payers, toUInt32(n_first) AS first_payers, toUInt32(n_orders) AS orders,
  toDecimalString(money, 4) AS gmv,
  if(n_active > 0, toDecimalString(money / n_active, 4), NULL) AS arpu,
  if(n_payers > 0, toDecimalString(money / n_payers, 4), NULL) AS arppu,
  if(n_orders > 0, toDecimalString(money / n_orders, 4), NULL) AS aov,
  if(n_active > 0, round(n_payers / n_active, 4), NULL) AS paid_penetration
FROM (
  SELECT p,
    uniqExactMerge(new_devices) AS n_new_devices, uniqExactMerge(new_users) AS n_new_users,
    uniqExactMerge(persons) AS n_active, uniqExactMerge(users) AS n_users,
    uniqExactMerge(payers) AS n_payers, uniqExactMerge(first_payers) AS n_first,
    sum(orders) AS n_orders, sum(gmv) AS money
  FROM activity_daily
  ARRAY JOIN arrayFilter(x -> day BETWEEN x.2 AND x.3, ${PERIODS}) AS p
  WHERE day BETWEEN least({current_from:Date}, {previous_from:Date}, {week_earlier_from:Date})
                AND greatest({current_to:Date}, {previous_to:Date}, {week_earlier_to:Date})
    AND ${BREAKDOWN_WHERE}
  GROUP BY p)
ORDER BY indexOf(['current', 'previous', 'week_earlier'], period)`

/**
 * New and active users, payers, orders, GMV, ARPU, ARPPU, AOV and paid penetration for the
 * day, ISO week or month holding `day`, against the period before and the same period a week
 * earlier, from `activity_daily` (distinct counts exact over the whole period).
 */
export async function periodSummary(
  client: ClickHouseClient,
  grain: Grain,
  day: string,
  b?: Breakdown,
): Promise<PeriodSummaryRow[]> {
  const periods = periodsOf(grain, day)
  const rows = await queryRows<PeriodSummaryRow>(client, PERIOD_SUMMARY_SQL, {
    ...Object.fromEntries(
      periods.flatMap((p) => [
        [`${p.period}_from`, p.from],
        [`${p.period}_to`, p.to],
      ]),
    ),
    ...breakdownParams(b),
  })
  // A period without any activity has no row: it is reported with zeros.
  return periods.map(
    (p) =>
      rows.find((r) => r.period === p.period) ?? {
        ...p,
        new_devices: 0,
        new_users: 0,
        active: 0,
        active_users: 0,
        payers: 0,
        first_payers: 0,
        orders: 0,
        gmv: '0.0000',
        arpu: null,
        arppu: null,
        aov: null,
        paid_penetration: null,
      },
  )
}
