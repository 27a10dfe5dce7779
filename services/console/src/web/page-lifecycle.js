// Lifecycle: the stall triggers fired per day and rule, and how many then converted.
import { api, csvData, draw, number, percent, tableHtml } from '/static/common.js'
import { t } from '/static/i18n.js'

export async function showLifecycle(f) {
  const r = await api('lifecycle', { from: f.from, to: f.to, group: f.group, platform: f.platform })
  const rules = [...new Set(r.outcomes.map((o) => o.rule))].sort()
  const days = [...new Set(r.outcomes.map((o) => o.period))].sort()
  const of = (rule, day) => r.outcomes.find((o) => o.rule === rule && o.period === day)
  draw('chart-triggers', {
    tooltip: { trigger: 'axis' },
    legend: { type: 'scroll', data: rules, top: 0 },
    grid: { left: 60, right: 16, top: 36, bottom: 30 },
    xAxis: { type: 'category', data: days },
    yAxis: { type: 'value' },
    series: rules.map((rule) => ({
      name: rule,
      type: 'bar',
      stack: 'fired',
      data: days.map((d) => of(rule, d)?.fired ?? 0),
    })),
  })
  const totals = rules.map((rule) => {
    const own = r.outcomes.filter((o) => o.rule === rule)
    const fired = own.reduce((n, o) => n + o.fired, 0)
    const converted = own.reduce((n, o) => n + o.converted, 0)
    return { rule, fired, converted, conversion_rate: fired > 0 ? converted / fired : null }
  })
  const columns = ['rule', 'fired', 'converted', 'conversion_rate']
  const cell = (c, v) => (c === 'conversion_rate' ? percent(v) : c === 'rule' ? v : number(v))
  document.getElementById('trigger-table').innerHTML = tableHtml(columns, totals, cell, t)
  csvData.set('triggers', [
    ['day', 'rule', 'fired', 'converted', 'conversion_rate', 'avg_hours_to_convert'],
    ...r.outcomes.map((o) => [
      o.period,
      o.rule,
      o.fired,
      o.converted,
      o.conversion_rate,
      o.avg_hours_to_convert,
    ]),
  ])
}
