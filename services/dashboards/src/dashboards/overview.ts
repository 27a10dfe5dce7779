import { dashboard, layout } from '../core/panels.ts'
import { ACQUISITION, CHANNEL_VARIABLES, IN_ANY_PERIOD, PERIODS } from './filters.ts'

/** A stat of the range against the period before and the same days a week earlier. */
function compared(expr: (when: string) => string, table: string): string {
  return `WITH ${PERIODS}
SELECT ${expr('day BETWEEN f AND t')} AS current,
  ${expr('day BETWEEN f - n AND f - 1')} AS previous,
  ${expr('day BETWEEN f - 7 AND t - 7')} AS week_earlier
FROM ${table}
WHERE ${IN_ANY_PERIOD} AND ${ACQUISITION}`
}

const uniq = (state: string) => (when: string) => `toUInt64(uniqExactMergeIf(${state}, ${when}))`
const total = (column: string) => (when: string) => `sumIf(${column}, ${when})`

export const overview = dashboard({
  uid: 'opstream-overview',
  title: '运营总览 · Operations overview',
  description:
    'New and active users, registrations, card bindings, first investments, GMV and ARPU for the range, against the period before and the same days a week earlier.',
  tags: ['operations'],
  variables: CHANNEL_VARIABLES,
  panels: layout([
    {
      title: '新注册用户 · New users',
      shape: 'stat',
      sql: compared(uniq('new_users'), 'activity_daily'),
      w: 6,
      h: 5,
    },
    {
      title: '活跃用户 · Active users',
      shape: 'stat',
      sql: compared(uniq('persons'), 'activity_daily'),
      w: 6,
      h: 5,
    },
    {
      title: '交易额 · GMV',
      shape: 'stat',
      sql: compared(total('gmv'), 'activity_daily'),
      w: 6,
      h: 5,
      unit: 'currencyCNY',
    },
    {
      title: '人均交易额 · ARPU',
      shape: 'stat',
      sql: compared(
        (when) => `round(sumIf(gmv, ${when}) / greatest(uniqExactMergeIf(persons, ${when}), 1), 2)`,
        'activity_daily',
      ),
      w: 6,
      h: 5,
      unit: 'currencyCNY',
    },
    {
      title: '注册 · Registrations',
      shape: 'stat',
      sql: compared(total('registrations'), 'channel_daily'),
      w: 8,
      h: 5,
    },
    {
      title: '绑卡 · Card bindings',
      shape: 'stat',
      sql: compared(total('card_bindings'), 'channel_daily'),
      w: 8,
      h: 5,
    },
    {
      title: '首投 · First investments',
      shape: 'stat',
      sql: compared(total('first_investments'), 'channel_daily'),
      w: 8,
      h: 5,
    },
    {
      title: '日活 / 周活 / 月活 · DAU / WAU / MAU',
      shape: 'timeseries',
      w: 12,
      sql: `SELECT toDateTime(d) AS time,
  uniqExactMergeIf(persons, activity_day = d) AS DAU,
  uniqExactMergeIf(persons, activity_day > d - 7) AS WAU,
  uniqExactMerge(persons) AS MAU
FROM (SELECT day AS activity_day, persons FROM activity_daily
      WHERE day BETWEEN toDate($__fromTime) - 29 AND toDate($__toTime) AND ${ACQUISITION})
ARRAY JOIN arrayFilter(x -> x BETWEEN toDate($__fromTime) AND toDate($__toTime),
  arrayMap(i -> activity_day + i, range(30))) AS d
GROUP BY d
ORDER BY time`,
    },
    {
      title: '注册、绑卡、首投 · Registrations, card bindings, first investments',
      shape: 'timeseries',
      w: 12,
      sql: `SELECT toDateTime(day) AS time, sum(registrations) AS registrations,
  sum(card_bindings) AS card_bindings, sum(first_investments) AS first_investments
FROM channel_daily
WHERE $__dateFilter(day) AND ${ACQUISITION}
GROUP BY day
ORDER BY time`,
    },
    {
      title: '交易额与上周同期 · GMV and the same day a week earlier',
      shape: 'timeseries',
      w: 12,
      unit: 'currencyCNY',
      sql: `SELECT toDateTime(d) AS time, sumIf(gmv, shift = 0) AS gmv_day, sumIf(gmv, shift = 7) AS gmv_week_earlier
FROM activity_daily
ARRAY JOIN [0, 7] AS shift
WHERE day + shift BETWEEN toDate($__fromTime) AND toDate($__toTime) AND ${ACQUISITION}
GROUP BY day + shift AS d
ORDER BY time`,
    },
    {
      title: '新用户与新设备 · New users and new devices',
      shape: 'timeseries',
      w: 12,
      sql: `SELECT toDateTime(day) AS time, uniqExactMerge(new_users) AS new_users,
  uniqExactMerge(new_devices) AS new_devices
FROM activity_daily
WHERE $__dateFilter(day) AND ${ACQUISITION}
GROUP BY day
ORDER BY time`,
    },
  ]),
})
