import { dashboard, layout } from '../core/panels.ts'
import { campaignVariable, FUNNEL_DIMS, GROUP, PLATFORM } from './filters.ts'

const FIRED = `trigger_outcomes FINAL WHERE $__timeFilter(fired_at) AND ${FUNNEL_DIMS}`

export const lifecycle = dashboard({
  uid: 'opstream-lifecycle',
  title: '用户生命周期 · Lifecycle',
  description:
    'Stall and user-care triggers fired (registered without a card, gift expiring, funds idle, birthday) and whether the person then took the step.',
  tags: ['lifecycle'],
  variables: [GROUP, campaignVariable(false), PLATFORM],
  panels: layout([
    {
      title: '触发 · Triggers fired per day',
      shape: 'timeseries',
      w: 12,
      sql: `SELECT toDateTime(toDate(fired_at)) AS time, rule, count() AS fired
FROM ${FIRED}
GROUP BY time, rule
ORDER BY time`,
    },
    {
      title: '触发后转化 · Follow-up conversion by rule',
      shape: 'table',
      w: 12,
      sql: `SELECT rule, count() AS fired, countIf(converted_at IS NOT NULL) AS converted,
  round(converted / fired, 4) AS conversion_rate,
  round(avgIf(dateDiff('second', fired_at, assumeNotNull(converted_at)), converted_at IS NOT NULL) / 3600, 1) AS mean_hours_to_convert
FROM ${FIRED}
GROUP BY rule
ORDER BY fired DESC, rule`,
    },
    {
      title: '资金闲置用户 · Users holding idle funds (recharged, no investment in 72 h)',
      shape: 'stat',
      w: 8,
      h: 5,
      sql: `SELECT uniqExact(person_key) AS idle_users, countIf(converted_at IS NOT NULL) AS invested_after
FROM ${FIRED} AND rule = 'funds_idle'`,
    },
    {
      title: '分渠道触发 · Triggers by channel group',
      shape: 'bars',
      w: 16,
      h: 5,
      sql: `SELECT channel_group, countIf(converted_at IS NULL) AS not_converted, countIf(converted_at IS NOT NULL) AS converted
FROM ${FIRED}
GROUP BY channel_group
ORDER BY channel_group`,
    },
  ]),
})
