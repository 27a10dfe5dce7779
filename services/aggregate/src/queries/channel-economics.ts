/** One day of one cost code: what it brought and what it cost. Money as decimal strings. */
export interface ChannelEconomicsRow {
  day: string
  cost_code: string
  acquisition_group: string
  acquisition_source: string
  acquisition_campaign: string
  /** Events of registered users acquired through this code. */
  events: number
  registrations: number
  verifications: number
  card_bindings: number
  first_investments: number
  investments: number
  invested_amount: string
  first_invested_amount: string
  cost: string
  /** cost ÷ registrations; null without registrations or cost. */
  cost_per_registration: string | null
  /** Customer acquisition cost: cost ÷ first investments; null without either. */
  cac: string | null
  /** Invested amount per unit of cost (investment ROI multiple); null without cost. */
  invested_per_cost: string | null
}

/**
 * Channel economics per day and cost code (the campaign, else the source), from the
 * `channel_daily` rollup and `channel_costs` — never from raw events. A code that cost money
 * on a day without bringing anyone still has its row (full join). Decimal division truncates
 * to 4 places.
 */
export const CHANNEL_ECONOMICS_SQL = `
WITH
  r AS (
    SELECT day, cost_code,
      min(acquisition_group) AS r_group, min(acquisition_source) AS r_source,
      min(acquisition_campaign) AS r_campaign,
      sum(events) AS n_events, sum(registrations) AS n_reg, sum(verifications) AS n_ver, sum(card_bindings) AS n_card,
      sum(first_investments) AS n_first, sum(investments) AS n_inv,
      sum(invested_amount) AS amount_inv, sum(first_invested_amount) AS amount_first
    FROM channel_daily
    WHERE day BETWEEN {from:Date} AND {to:Date}
    GROUP BY day, cost_code),
  c AS (
    SELECT date AS day, code AS cost_code,
      argMax(amount, src_offset) AS amount_cost, argMax(channel_group, src_offset) AS c_group
    FROM channel_costs
    WHERE date BETWEEN {from:Date} AND {to:Date}
    GROUP BY date, code)
SELECT
  toString(day) AS day, cost_code,
  if(r_group != '', r_group, c_group) AS acquisition_group,
  r_source AS acquisition_source, r_campaign AS acquisition_campaign,
  toUInt32(n_events) AS events, toUInt32(n_reg) AS registrations, toUInt32(n_ver) AS verifications, toUInt32(n_card) AS card_bindings,
  toUInt32(n_first) AS first_investments, toUInt32(n_inv) AS investments,
  toDecimalString(amount_inv, 4) AS invested_amount,
  toDecimalString(amount_first, 4) AS first_invested_amount,
  toDecimalString(amount_cost, 4) AS cost,
  if(n_reg > 0 AND amount_cost > 0, toDecimalString(amount_cost / n_reg, 4), NULL) AS cost_per_registration,
  if(n_first > 0 AND amount_cost > 0, toDecimalString(amount_cost / n_first, 4), NULL) AS cac,
  if(amount_cost > 0, toDecimalString(amount_inv / amount_cost, 4), NULL) AS invested_per_cost
FROM r FULL OUTER JOIN c USING (day, cost_code)
ORDER BY day, cost_code`
