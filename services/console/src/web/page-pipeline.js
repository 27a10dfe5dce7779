// Pipeline: each consumer group's lag, the DLQ, the events written and their delay, minute by minute.
import { api, csvData, draw, number } from '/static/common.js'
import { t } from '/static/i18n.js'

/** Lines per series over the union of their minutes (UTC minutes shown as they are). */
function lines(id, points, yName) {
  const minutes = [...new Set(points.map((p) => p.minute))].sort()
  const names = [...new Set(points.map((p) => p.series))].sort()
  const by = new Map(points.map((p) => [`${p.series}|${p.minute}`, p.value]))
  draw(id, {
    tooltip: { trigger: 'axis' },
    legend: { type: 'scroll', data: names, top: 0 },
    grid: { left: 60, right: 16, top: 36, bottom: 30 },
    xAxis: { type: 'category', data: minutes.map((m) => m.slice(11, 16)) },
    yAxis: { type: 'value', name: yName },
    series: names.map((n) => ({
      name: n,
      type: 'line',
      showSymbol: false,
      data: minutes.map((m) => by.get(`${n}|${m}`) ?? null),
    })),
  })
}

export async function showPipeline(f) {
  const r = await api('pipeline', { hours: f.hours })
  document.getElementById('dlq-total').textContent = number(r.dlqTotal)
  const latest = new Map()
  for (const p of r.lag) latest.set(p.series, p.value)
  document.getElementById('lag-now').innerHTML = [...latest]
    .map(
      ([group, value]) =>
        `<div class="kpi"><div class="label">${group}</div><div class="value">${number(value)}</div></div>`,
    )
    .join('')
  lines('chart-lag', r.lag, t('messages'))
  lines('chart-dlq', r.dlq, t('messages'))
  lines('chart-written', r.written, t('events'))
  lines('chart-delay', r.delay, t('seconds'))
  csvData.set('pipeline', [
    ['kind', 'minute_utc', 'series', 'value'],
    ...['lag', 'dlq', 'written', 'delay'].flatMap((k) => r[k].map((p) => [k, p.minute, p.series, p.value])),
  ])
}
