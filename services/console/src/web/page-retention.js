// Retention: the cohorts' day-N retention as a heat map, and the 1st → 5th purchase ladder.
import { api, csvData, draw, number, percent, tableHtml } from '/static/common.js'
import { t } from '/static/i18n.js'

export async function showRetention(f) {
  const r = await api('retention', { from: f.from, to: f.to, group: f.group, kind: f.kind })
  const cohorts = [...new Set(r.cells.map((c) => c.cohort))].sort()
  const days = [...new Set(r.cells.map((c) => c.n))].sort((a, b) => a - b)
  draw('chart-heatmap', {
    tooltip: {
      formatter: (p) => `${cohorts[p.value[1]]} · ${t('day_n')} ${days[p.value[0]]}: ${percent(p.value[2])}`,
    },
    grid: { left: 90, right: 16, top: 10, bottom: 60 },
    xAxis: { type: 'category', data: days.map((d) => `${t('day_n')} ${d}`), splitArea: { show: true } },
    yAxis: { type: 'category', data: cohorts, splitArea: { show: true } },
    visualMap: {
      min: 0,
      max: 1,
      calculable: true,
      orient: 'horizontal',
      left: 'center',
      bottom: 0,
      itemHeight: 120,
    },
    series: [
      {
        type: 'heatmap',
        data: r.cells.map((c) => [days.indexOf(c.n), cohorts.indexOf(c.cohort), c.on_rate ?? 0]),
        label: { show: days.length <= 15, formatter: (p) => `${Math.round(p.value[2] * 100)}` },
      },
    ],
  })
  csvData.set('heatmap', [
    ['cohort', 'n', 'cohort_users', 'on_n', 'on_rate'],
    ...r.cells.map((c) => [c.cohort, c.n, c.cohort_users, c.on_n, c.on_rate]),
  ])
  const rows = r.ladder.map((l) => ({
    ...l,
    p1: l.users[0],
    p2: l.users[1],
    p3: l.users[2],
    p4: l.users[3],
    p5: l.users[4],
  }))
  const columns = ['cohort', 'acquisition_group', 'p1', 'p2', 'p3', 'p4', 'p5', 'repurchase_rate']
  const cell = (c, v) => (c === 'repurchase_rate' ? percent(v) : c.startsWith('p') ? number(v) : (v ?? ''))
  document.getElementById('ladder').innerHTML = tableHtml(columns, rows, cell, t)
  csvData.set('ladder', [columns, ...rows.map((l) => columns.map((c) => l[c]))])
}
