// Funnels: a funnel's step bars by channel group, conversion, time to convert, the daily trend.
import { api, csvData, draw, escapeHtml, number, percent, tableHtml } from '/static/common.js'
import { t } from '/static/i18n.js'

const BUCKETS = ['within_1m', 'within_1h', 'within_1d', 'within_7d', 'within_30d', 'later']

export async function showFunnels(f) {
  const r = await api('funnels', { from: f.from, to: f.to, group: f.group, funnel: f.funnel })
  const select = document.querySelector('select[name=funnel]')
  select.innerHTML = r.funnels.map((n) => `<option>${escapeHtml(n)}</option>`).join('')
  select.value = r.funnel
  const groups = [...new Set(r.steps.map((s) => s.channel_group))]
  const steps = [...new Map(r.steps.map((s) => [s.step, s.step_name])).entries()].sort((a, b) => a[0] - b[0])
  draw('chart-steps', {
    tooltip: { trigger: 'axis' },
    legend: { type: 'scroll', data: groups, top: 0 },
    grid: { left: 60, right: 16, top: 36, bottom: 30 },
    xAxis: { type: 'category', data: steps.map(([, name]) => name) },
    yAxis: { type: 'value' },
    series: groups.map((g) => ({
      name: g,
      type: 'bar',
      data: steps.map(([n]) => r.steps.find((s) => s.channel_group === g && s.step === n)?.users ?? 0),
    })),
  })
  const columns = ['channel_group', 'step_name', 'users', 'of_first', 'of_previous', 'mean_hours_to_convert']
  const cell = (c, v) =>
    c === 'of_first' || c === 'of_previous'
      ? percent(v)
      : typeof v === 'number'
        ? number(v)
        : escapeHtml(v ?? '–')
  document.getElementById('funnel-steps').innerHTML = tableHtml(columns, r.steps, cell, t)
  csvData.set('steps', [columns, ...r.steps.map((s) => columns.map((c) => s[c]))])
  draw('chart-times', {
    tooltip: { trigger: 'axis' },
    legend: { data: BUCKETS.map(t), top: 0 },
    grid: { left: 60, right: 16, top: 36, bottom: 30 },
    xAxis: { type: 'category', data: r.times.map((s) => s.step_name) },
    yAxis: { type: 'value' },
    series: BUCKETS.map((b) => ({ name: t(b), type: 'bar', stack: 'time', data: r.times.map((s) => s[b]) })),
  })
  csvData.set('times', [
    ['step', 'step_name', 'users', ...BUCKETS],
    ...r.times.map((s) => [s.step, s.step_name, s.users, ...BUCKETS.map((b) => s[b])]),
  ])
  draw('chart-funnel-trend', {
    tooltip: { trigger: 'axis' },
    grid: { left: 60, right: 16, top: 20, bottom: 30 },
    xAxis: { type: 'category', data: r.trend.map((d) => d.day) },
    yAxis: { type: 'value', axisLabel: { formatter: (v) => `${(v * 100).toFixed(1)}%` } },
    series: [{ name: t('conversion_rate'), type: 'line', data: r.trend.map((d) => d.conversion) }],
  })
  csvData.set('funnel-trend', [
    ['day', 'entered', 'completed', 'conversion'],
    ...r.trend.map((d) => [d.day, d.entered, d.completed, d.conversion]),
  ])
}
