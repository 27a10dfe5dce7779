import { dashboard, layout, listVariable } from '../core/panels.ts'
import { campaignVariable, FUNNEL_DIMS, GROUP, PLATFORM } from './filters.ts'

const FUNNEL = {
  ...listVariable('funnel', '漏斗 Funnel', 'SELECT DISTINCT funnel FROM funnel_daily ORDER BY funnel', false),
}

/** Persons reaching each step of the funnel in the range, by day of reaching it. */
const STEPS = `funnel_daily WHERE funnel = '$funnel' AND $__dateFilter(day) AND ${FUNNEL_DIMS}`

export const funnels = dashboard({
  uid: 'opstream-funnels',
  title: '漏斗 · Funnels',
  description:
    'Every configured funnel: persons reaching each step by channel, conversion from the first and from the previous step, time to convert, and the trend.',
  tags: ['funnels'],
  variables: [FUNNEL, GROUP, campaignVariable(false), PLATFORM],
  panels: layout([
    {
      title: '步骤 · Steps',
      shape: 'bars',
      w: 10,
      h: 9,
      sql: `SELECT concat(toString(step), '. ', any(step_name)) AS step_label, sum(users) AS persons
FROM ${STEPS}
GROUP BY step
ORDER BY step`,
    },
    {
      title: '分渠道转化 · Conversion by channel group',
      description: 'from_first: persons at the step ÷ at step 1; from_previous: ÷ at the step before.',
      shape: 'table',
      w: 14,
      h: 9,
      sql: `SELECT channel_group, step, step_name, persons,
  round(persons / first_value(persons) OVER w, 4) AS from_first,
  round(persons / lagInFrame(persons, 1, persons) OVER w, 4) AS from_previous
FROM (SELECT channel_group, step, any(step_name) AS step_name, sum(users) AS persons
      FROM ${STEPS} GROUP BY channel_group, step)
WINDOW w AS (PARTITION BY channel_group ORDER BY step ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
ORDER BY channel_group, step`,
    },
    {
      title: '转化耗时 · Time to convert (from funnel entry)',
      shape: 'bars',
      w: 12,
      sql: `SELECT concat(toString(step), '. ', any(step_name)) AS step_label,
  sum(within_1m) AS within_1m, sum(within_1h) AS within_1h, sum(within_1d) AS within_1d,
  sum(within_7d) AS within_7d, sum(within_30d) AS within_30d, sum(later) AS later
FROM funnel_hourly
WHERE funnel = '$funnel' AND step > 1 AND $__timeFilter(hour) AND ${FUNNEL_DIMS}
GROUP BY step
ORDER BY step`,
    },
    {
      title: '趋势 · Persons reaching each step, per day',
      shape: 'timeseries',
      w: 12,
      sql: `SELECT toDateTime(day) AS time, concat(toString(step), '. ', any(step_name)) AS step_label, sum(users) AS persons
FROM ${STEPS}
GROUP BY day, step
ORDER BY time, step`,
    },
    {
      title: '平均转化时长 · Mean hours to reach each step',
      shape: 'table',
      w: 12,
      sql: `SELECT step, any(step_name) AS step_name, sum(users) AS persons,
  round(sum(seconds_to_convert) / greatest(sum(users), 1) / 3600, 1) AS mean_hours
FROM ${STEPS}
GROUP BY step
ORDER BY step`,
    },
  ]),
})
