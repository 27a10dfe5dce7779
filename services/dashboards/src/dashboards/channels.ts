import { dashboard, layout } from '../core/panels.ts'
import { ACQUISITION, CHANNEL_VARIABLES } from './filters.ts'

/** Each code's cost per day of the range: the latest catalog record of the code and day. */
const DAY_COSTS = `SELECT code, date, argMax(amount, src_offset) AS day_cost FROM channel_costs
  WHERE $__dateFilter(date) GROUP BY code, date`

/**
 * Per cost code (the campaign, else the source) over the range: what it brought (channel_daily),
 * what it cost (channel_costs, the latest catalog record per code and day), and the 30-day
 * purchases of the users it registered in the range (cohort_activity) for LTV ÷ CAC.
 */
const ECONOMICS = `WITH
  brought AS (
    SELECT cost_code, any(acquisition_group) AS channel_group, any(acquisition_source) AS source,
      any(acquisition_campaign) AS campaign_name, sum(events) AS traffic, sum(registrations) AS regs,
      sum(card_bindings) AS cards, sum(first_investments) AS firsts, sum(invested_amount) AS invested
    FROM channel_daily WHERE $__dateFilter(day) AND ${ACQUISITION}
    GROUP BY cost_code),
  spent AS (
    SELECT code AS cost_code, sum(day_cost) AS spend FROM (${DAY_COSTS})
    GROUP BY code),
  valued AS (
    SELECT if(acquisition_campaign != '', acquisition_campaign, acquisition_source) AS cost_code,
      sumIf(amount, day_n <= 30) AS ltv30_amount
    FROM cohort_activity
    WHERE kind = 'active' AND $__dateFilter(cohort_day) AND ${ACQUISITION}
    GROUP BY cost_code)
SELECT brought.cost_code AS code, channel_group, source, campaign_name AS campaign,
  traffic, regs AS registrations, cards AS card_bindings, firsts AS first_investments,
  invested, spend AS cost,
  if(firsts > 0 AND spend > 0, round(spend / firsts, 2), NULL) AS cac,
  if(spend > 0, round(invested / spend, 4), NULL) AS roi,
  if(spend > 0, round(ltv30_amount / spend, 4), NULL) AS ltv_to_cac
FROM brought
LEFT JOIN spent ON spent.cost_code = brought.cost_code
LEFT JOIN valued ON valued.cost_code = brought.cost_code
ORDER BY cost DESC, registrations DESC, code`

export const channels = dashboard({
  uid: 'opstream-channels',
  title: '渠道 · Channels',
  description:
    'Traffic, registrations, first investments, cost, CAC, ROI and LTV ÷ CAC by channel group, source and campaign.',
  tags: ['channels'],
  variables: CHANNEL_VARIABLES,
  panels: layout([
    {
      title: '渠道经济 · Channel economics',
      description:
        'Per cost code over the range. CAC = cost ÷ first investments; ROI = invested ÷ cost; LTV ÷ CAC = the 30-day purchases of the users registered in the range ÷ cost.',
      shape: 'table',
      sql: ECONOMICS,
      w: 24,
      h: 10,
    },
    {
      title: '首投 · First investments by channel group',
      shape: 'timeseries',
      w: 12,
      sql: `SELECT toDateTime(day) AS time, acquisition_group AS channel_group, sum(first_investments) AS first_investments
FROM channel_daily
WHERE $__dateFilter(day) AND acquisition_group != '' AND ${ACQUISITION}
GROUP BY day, acquisition_group
ORDER BY time`,
    },
    {
      title: '注册 · Registrations by source',
      shape: 'timeseries',
      w: 12,
      sql: `SELECT toDateTime(day) AS time, acquisition_source AS source, sum(registrations) AS registrations
FROM channel_daily
WHERE $__dateFilter(day) AND acquisition_source != '' AND ${ACQUISITION}
GROUP BY day, acquisition_source
ORDER BY time`,
    },
    {
      title: '获客成本 · CAC by channel group, per day',
      shape: 'timeseries',
      w: 12,
      unit: 'currencyCNY',
      sql: `SELECT toDateTime(b.day) AS time, b.channel_group AS channel_group, round(sum(c.day_cost) / sum(b.firsts), 2) AS cac
FROM (SELECT day, cost_code, any(acquisition_group) AS channel_group, sum(first_investments) AS firsts
      FROM channel_daily WHERE $__dateFilter(day) AND ${ACQUISITION} GROUP BY day, cost_code) AS b
INNER JOIN (${DAY_COSTS}) AS c
  ON c.date = b.day AND c.code = b.cost_code
GROUP BY b.day, b.channel_group
HAVING sum(b.firsts) > 0
ORDER BY time`,
    },
    {
      title: '访问 · Active persons by channel group',
      shape: 'timeseries',
      w: 12,
      sql: `SELECT toDateTime(day) AS time, if(acquisition_group = '', '(not registered)', acquisition_group) AS channel_group,
  uniqExactMerge(persons) AS persons
FROM activity_daily
WHERE $__dateFilter(day) AND ${ACQUISITION}
GROUP BY day, channel_group
ORDER BY time`,
    },
  ]),
})
