import { type ClickHouseClient, queryRows } from '@opstream/runtime/clickhouse-client'
import { BREAKDOWN_WHERE, type Breakdown, breakdownParams } from './active-users.ts'
import { type Grain, periodOf } from './grain.ts'

/** Money in and out of one period. Amounts as decimal strings. */
export interface FundFlowRow {
  period: string
  recharges: number
  recharge_amount: string
  recharge_users: number
  withdrawals: number
  withdraw_amount: string
  withdraw_users: number
  purchases: number
  purchase_amount: string
  /** Recharged minus withdrawn. */
  net_inflow: string
  /** Withdrawals of 50,000 or more, and their amount. */
  large_withdrawals: number
  large_withdraw_amount: string
}

/** Recharges, withdrawals and purchases per day, ISO week or month, from `fund_flows_daily`. */
export function fundFlowsSql(grain: Grain): string {
  return `
SELECT toString(p) AS period,
  toUInt32(sumIf(events, flow = 'recharge')) AS recharges,
  toDecimalString(sumIf(amount, flow = 'recharge'), 4) AS recharge_amount,
  toUInt32(uniqExactMergeIf(users, flow = 'recharge')) AS recharge_users,
  toUInt32(sumIf(events, flow = 'withdraw')) AS withdrawals,
  toDecimalString(sumIf(amount, flow = 'withdraw'), 4) AS withdraw_amount,
  toUInt32(uniqExactMergeIf(users, flow = 'withdraw')) AS withdraw_users,
  toUInt32(sumIf(events, flow = 'purchase')) AS purchases,
  toDecimalString(sumIf(amount, flow = 'purchase'), 4) AS purchase_amount,
  toDecimalString(sumIf(amount, flow = 'recharge') - sumIf(amount, flow = 'withdraw'), 4) AS net_inflow,
  toUInt32(sumIf(large, flow = 'withdraw')) AS large_withdrawals,
  toDecimalString(sumIf(large_amount, flow = 'withdraw'), 4) AS large_withdraw_amount
FROM (SELECT ${periodOf(grain, 'day')} AS p, * FROM fund_flows_daily
      WHERE day BETWEEN {from:Date} AND {to:Date} AND ${BREAKDOWN_WHERE})
GROUP BY p
ORDER BY p`
}

export function fundFlows(
  client: ClickHouseClient,
  grain: Grain,
  range: { from: string; to: string },
  b?: Breakdown,
): Promise<FundFlowRow[]> {
  return queryRows<FundFlowRow>(client, fundFlowsSql(grain), { ...range, ...breakdownParams(b) })
}
