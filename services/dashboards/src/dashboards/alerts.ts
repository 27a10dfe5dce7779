import { dashboard, layout } from '../core/panels.ts'

/** Each alert's latest state change (an alert is a rule's series). */
const LATEST = `SELECT rule, series, argMax(state, at) AS current_state, argMax(severity, at) AS level,
    argMax(value, at) AS last_value, argMax(baseline, at) AS last_baseline, max(started_at) AS since,
    argMax(explanation, at) AS why, argMax(labels, at) AS series_labels
  FROM alerts GROUP BY rule, series`

export const alerts = dashboard({
  uid: 'opstream-alerts',
  title: '告警 · Alerts',
  description:
    'Alerts firing now and every state change in the range, each with the breakdown value that explains it. The same alerts show as annotations on the other dashboards.',
  tags: ['alerts'],
  variables: [],
  refresh: '30s',
  panels: layout([
    {
      title: '正在告警 · Firing now',
      shape: 'table',
      w: 24,
      h: 8,
      sql: `SELECT since, rule, series, level AS severity, last_value AS value, last_baseline AS baseline, why AS explanation
FROM (${LATEST})
WHERE current_state IN ('firing', 'pending')
ORDER BY since DESC`,
    },
    {
      title: '告警记录 · State changes in the range',
      shape: 'table',
      w: 24,
      h: 10,
      sql: `SELECT at, rule, series, state, severity, value, baseline, threshold, score, explanation
FROM alerts
WHERE $__timeFilter(at)
ORDER BY at DESC
LIMIT 500`,
    },
    {
      title: '告警次数 · Alerts started, per hour',
      shape: 'timeseries',
      w: 12,
      sql: `SELECT $__timeInterval(started_at) AS time, severity, uniqExact(rule, series, started_at) AS alerts
FROM alerts
WHERE state = 'firing' AND $__timeFilter(started_at)
GROUP BY time, severity
ORDER BY time`,
    },
    {
      title: '按规则 · By rule',
      shape: 'bars',
      w: 12,
      sql: `SELECT rule, uniqExactIf((series, started_at), state = 'firing') AS fired,
  uniqExactIf((series, started_at), state = 'resolved') AS resolved
FROM alerts
WHERE $__timeFilter(at)
GROUP BY rule
ORDER BY fired DESC, rule`,
    },
  ]),
})
