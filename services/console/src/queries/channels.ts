/**
 * The Channels page's numbers: each cost code's economics over a date range (the daily rows of
 * the aggregate's channel economics query summed), its daily trend, and each acquisition
 * group's cohort LTV ÷ CAC. Rollups only; money as decimal strings with 4 places, ratios
 * truncated to 4 places as ClickHouse's decimal division does.
 */

import { breakdownParams } from '@opstream/aggregate/queries/active-users'
import { CHANNEL_ECONOMICS_SQL } from '@opstream/aggregate/queries/channel-economics'
import { LTV_DAYS, ltvSql } from '@opstream/aggregate/queries/retention'
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

const TABLE_SQL = `
SELECT cost_code, grp AS acquisition_group, src AS acquisition_source,
  toUInt32(n_reg) AS registrations, toUInt32(n_card) AS card_bindings, toUInt32(n_first) AS first_investments,
  toDecimalString(amount, 4) AS invested_amount, toDecimalString(spent, 4) AS cost,
  if(n_first > 0 AND spent > 0, toDecimalString(spent / n_first, 4), NULL) AS cac,
  if(spent > 0, toDecimalString(amount / spent, 4), NULL) AS roi
FROM (
  SELECT cost_code, min(acquisition_group) AS grp, min(acquisition_source) AS src,
    sum(registrations) AS n_reg, sum(card_bindings) AS n_card, sum(first_investments) AS n_first,
    sum(toDecimal128(invested_amount, 4)) AS amount, sum(toDecimal128(cost, 4)) AS spent
  FROM ${DAILY}
  WHERE ({group:String} = '' OR acquisition_group = {group:String})
  GROUP BY cost_code)
ORDER BY spent DESC, n_reg DESC, cost_code`

const TREND_SQL = `
SELECT day, cost_code, registrations, first_investments, cost
FROM ${DAILY}
WHERE ({group:String} = '' OR acquisition_group = {group:String})
ORDER BY day, cost_code`

export async function channelTable(
  client: ClickHouseClient,
  range: { from: string; to: string },
  group = '',
): Promise<ChannelRow[]> {
  return queryRows<ChannelRow>(client, TABLE_SQL, { ...range, group })
}

export function channelTrend(
  client: ClickHouseClient,
  range: { from: string; to: string },
  group = '',
): Promise<ChannelTrendRow[]> {
  return queryRows<ChannelTrendRow>(client, TREND_SQL, { ...range, group })
}

/** LTV at 30 days per acquisition group: the registration cohorts of the range taken together. */
const GROUP_LTV_SQL = `
SELECT acquisition_group, toUInt32(users) AS cohort_users,
  if(users > 0, toDecimalString(amount30 / users, 4), NULL) AS ltv30,
  if(spent > 0, toDecimalString(amount30 / spent, 4), NULL) AS ltv_to_cac30
FROM (
  SELECT acquisition_group, sum(cohort_users) AS users,
    sum(sums[${LTV_DAYS.indexOf(30) + 1}]) AS amount30, sum(toDecimal128(cost, 4)) AS spent
  FROM (${ltvSql('month')})
  GROUP BY acquisition_group)
ORDER BY acquisition_group`

export async function groupLtv(
  client: ClickHouseClient,
  range: { from: string; to: string },
  group = '',
): Promise<GroupLtvRow[]> {
  return queryRows<GroupLtvRow>(client, GROUP_LTV_SQL, { ...range, ...breakdownParams({ group }) })
}
