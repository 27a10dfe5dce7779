import { dashboard, layout } from '../core/panels.ts'
import { ACQUISITION, CHANNEL_VARIABLES } from './filters.ts'

const DAYS = [1, 2, 3, 7, 14, 30]

/**
 * A cohort × day-N matrix of rates: the cohort's users active (or buying again) exactly N days
 * after joining, ÷ the cohort's size.
 */
function matrix(retained: string, base: string): string {
  const cells = DAYS.map(
    (d) => `round(uniqExactMergeIf(users, kind = '${retained}' AND day_n = ${d}) / size, 4) AS d${d}`,
  )
  return `SELECT toString(cohort_day) AS cohort, toUInt64(uniqExactMergeIf(users, kind = '${base}')) AS size,
  ${cells.join(',\n  ')}
FROM cohort_activity
WHERE kind IN ('${retained}', '${base}') AND $__dateFilter(cohort_day) AND ${ACQUISITION}
GROUP BY cohort_day
HAVING size > 0
ORDER BY cohort_day`
}

export const retention = dashboard({
  uid: 'opstream-retention',
  title: '留存 · Retention',
  description:
    'N-day retention by registration cohort, purchase retention by first-purchase cohort, and the 1st → 5th purchase ladder.',
  tags: ['retention'],
  variables: CHANNEL_VARIABLES,
  panels: layout([
    {
      title: '注册留存 · Retention by registration day (active on day N)',
      shape: 'table',
      w: 24,
      h: 10,
      unit: 'percentunit',
      sql: matrix('active', 'active'),
    },
    {
      title: '复购留存 · Purchase retention by first-purchase day (bought again on day N)',
      shape: 'table',
      w: 24,
      h: 10,
      unit: 'percentunit',
      sql: matrix('repurchase', 'buyers'),
    },
    {
      title: '复购阶梯 · Purchase ladder (users reaching their nth purchase, by registration week)',
      shape: 'table',
      w: 14,
      h: 9,
      sql: `SELECT toString(toMonday(cohort_day)) AS cohort_week,
  ${[1, 2, 3, 4, 5].map((n) => `sumIf(users, nth = ${n}) AS p${n}`).join(', ')},
  if(p1 > 0, round(p2 / p1, 4), NULL) AS repurchase_rate
FROM purchase_ladder
WHERE $__dateFilter(cohort_day)
  AND $__conditionalAll(acquisition_group IN ($group), $group)
  AND $__conditionalAll(acquisition_source IN ($source), $source)
  AND $__conditionalAll(acquisition_campaign IN ($campaign), $campaign)
GROUP BY cohort_week
ORDER BY cohort_week`,
    },
    {
      title: '次日与七日留存趋势 · Day-1 and day-7 retention by cohort',
      shape: 'timeseries',
      w: 10,
      h: 9,
      unit: 'percentunit',
      sql: `SELECT toDateTime(cohort_day) AS time,
  round(uniqExactMergeIf(users, day_n = 1) / greatest(uniqExactMerge(users), 1), 4) AS day_1,
  round(uniqExactMergeIf(users, day_n = 7) / greatest(uniqExactMerge(users), 1), 4) AS day_7
FROM cohort_activity
WHERE kind = 'active' AND $__dateFilter(cohort_day) AND ${ACQUISITION}
GROUP BY cohort_day
ORDER BY time`,
    },
  ]),
})
