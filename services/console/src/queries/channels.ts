/**
 * The Channels page's numbers: each cost code's economics over a date range (the daily rows of
 * the aggregate's channel economics query summed), its daily trend, and each acquisition
 * group's cohort LTV ÷ CAC. Rollups only; money as decimal strings with 4 places, ratios
 * truncated to 4 places as ClickHouse's decimal division does.
 */

import { CHANNEL_ECONOMICS_SQL } from '@opstream/aggregate/queries/channel-economics'
import { type ClickHouseClient, queryRows } from '@opstream/runtime/clickhouse-client'

export interface ChannelRow {
  cost_code: string
  acquisition_group: string
  acquisition_source: string
  registrations: number
  card_bindings: number
  first_investments: number
  invested_amount: string
  cost: string
  /** cost ÷ first investments; null without either. */
  cac: string | null
  /** invested amount ÷ cost; null without cost. */
  roi: string | null
  /** The code's registration cohorts in the range: purchases within 30 days per cohort user. */
  ltv30: string | null
  /** Those purchases ÷ the code's cost over the range; null without cost or cohort. */
  ltv_to_cac30: string | null
}

export interface ChannelTrendRow {
  day: string
  cost_code: string
  registrations: number
  first_investments: number
  cost: string
}

/** A channel group's registration cohorts in the range: purchases within 30 days ÷ what they cost. */
export interface GroupLtvRow {
  acquisition_group: string
  cohort_users: number
  ltv30: string | null
  ltv_to_cac30: string | null
}

const DAILY = `(${CHANNEL_ECONOMICS_SQL})`

/**
 * Each cost code's sums over the range and, with `byDay`, each day's too, from one pass over
 * the daily economics (GROUPING SETS): a code's total rows carry day '' (the set without it).
 * Beside them, the code's registration cohorts of the range (`cohort_activity`, booked under
 * the code as channel_daily books it: the campaign, else the source): their purchases within
 * 30 days of registering, per cohort user (LTV) and against the code's cost (LTV ÷ CAC).
 */
const economicsSql = (byDay: boolean) => `
SELECT on_day, cost_code, grp AS acquisition_group, src AS acquisition_source,
  toUInt32(n_reg) AS registrations, toUInt32(n_card) AS card_bindings, toUInt32(n_first) AS first_investments,
  toDecimalString(amount, 4) AS invested_amount, toDecimalString(spent, 4) AS cost,
  if(n_first > 0 AND spent > 0, toDecimalString(spent / n_first, 4), NULL) AS cac,
  if(spent > 0, toDecimalString(amount / spent, 4), NULL) AS roi,
  if(cohort > 0, toDecimalString(amount30 / cohort, 4), NULL) AS ltv30,
  if(cohort > 0 AND spent > 0, toDecimalString(amount30 / spent, 4), NULL) AS ltv_to_cac30
FROM (
  SELECT ${byDay ? 'day' : "''"} AS on_day, cost_code,
    min(acquisition_group) AS grp, min(acquisition_source) AS src,
    sum(registrations) AS n_reg, sum(card_bindings) AS n_card, sum(first_investments) AS n_first,
    sum(toDecimal128(invested_amount, 4)) AS amount, sum(toDecimal128(cost, 4)) AS spent
  FROM ${DAILY}
  WHERE ({group:String} = '' OR acquisition_group = {group:String})
  GROUP BY ${byDay ? 'GROUPING SETS ((cost_code), (day, cost_code))' : 'cost_code'}) AS e
LEFT JOIN (
  SELECT if(acquisition_campaign != '', acquisition_campaign, acquisition_source) AS cost_code,
    uniqExactMerge(users) AS cohort, toDecimal128(sumIf(amount, day_n < 30), 4) AS amount30
  FROM cohort_activity
  WHERE kind = 'active' AND cohort_day BETWEEN {from:Date} AND {to:Date} AND acquisition_group != ''
    AND ({group:String} = '' OR acquisition_group = {group:String})
  GROUP BY cost_code) AS k USING (cost_code)
ORDER BY on_day, spent DESC, n_reg DESC, cost_code`

type EconomicsRow = ChannelRow & { on_day: string }
const tableRow = ({ on_day: _, ...row }: EconomicsRow): ChannelRow => row

/** Each cost code's economics over the range, most spent first. */
export async function channelTable(
  client: ClickHouseClient,
  range: { from: string; to: string },
  group = '',
): Promise<ChannelRow[]> {
  return (await queryRows<EconomicsRow>(client, economicsSql(false), { ...range, group })).map(tableRow)
}

/** The table and each code's days, from one query. */
export async function channelTableAndTrend(
  client: ClickHouseClient,
  range: { from: string; to: string },
  group = '',
): Promise<{ table: ChannelRow[]; trend: ChannelTrendRow[] }> {
  const rows = await queryRows<EconomicsRow>(client, economicsSql(true), { ...range, group })
  return {
    table: rows.filter((r) => r.on_day === '').map(tableRow),
    trend: rows
      .filter((r) => r.on_day !== '')
      .map((r) => ({
        day: r.on_day,
        cost_code: r.cost_code,
        registrations: r.registrations,
        first_investments: r.first_investments,
        cost: r.cost,
      })),
  }
}

/**
 * LTV at 30 days per acquisition group: the registration cohorts of the range taken together
 * (their users and their purchases within 30 days of registering, from `cohort_activity`)
 * against the group's costs over the range (each code's latest amount per day).
 */
const GROUP_LTV_SQL = `
SELECT acquisition_group, toUInt32(n_users) AS cohort_users,
  if(n_users > 0, toDecimalString(amount30 / n_users, 4), NULL) AS ltv30,
  if(spent > 0, toDecimalString(amount30 / spent, 4), NULL) AS ltv_to_cac30
FROM (
  SELECT acquisition_group, uniqExactMerge(users) AS n_users, toDecimal128(sumIf(amount, day_n < 30), 4) AS amount30
  FROM cohort_activity
  WHERE kind = 'active' AND cohort_day BETWEEN {from:Date} AND {to:Date} AND acquisition_group != ''
    AND ({group:String} = '' OR acquisition_group = {group:String})
  GROUP BY acquisition_group) AS k
LEFT JOIN (
  SELECT channel_group AS acquisition_group, sum(latest) AS spent
  FROM (
    SELECT date, code, argMax(amount, src_offset) AS latest, argMax(channel_group, src_offset) AS channel_group
    FROM channel_costs WHERE date BETWEEN {from:Date} AND {to:Date} GROUP BY date, code)
  GROUP BY acquisition_group) AS c USING (acquisition_group)
ORDER BY acquisition_group`

export async function groupLtv(
  client: ClickHouseClient,
  range: { from: string; to: string },
  group = '',
): Promise<GroupLtvRow[]> {
  return queryRows<GroupLtvRow>(client, GROUP_LTV_SQL, { ...range, group })
}
