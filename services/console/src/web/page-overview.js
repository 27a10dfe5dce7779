// Overview: a day's key figures against the day before and the week before, and the last hour.
import { api, csvData, delta, draw, number, percent } from '/static/common.js'
import { t } from '/static/i18n.js'

function renderKpis(o) {
  const format = (k, v) => (k === 'conversion' ? percent(v) : number(v))
  document.getElementById('kpis').innerHTML = o.kpis
    .map(
      (k) => `<div class="kpi" data-kpi="${k.key}">
        <div class="label">${t(k.key)}</div>
        <div class="value">${format(k.key, k.day)}</div>
        <div class="delta">${t('vs_previous_day')} ${delta(k.day, k.previousDay)} · ${t('vs_week_before')} ${delta(k.day, k.weekBefore)}</div>
      </div>`,
    )
    .join('')
}

/** A UTC minute as ClickHouse writes it, in the browser's own time zone (HH:MM). */
function localMinute(utc) {
  return new Date(`${utc.replace(' ', 'T')}Z`).toLocaleTimeString([], {
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  })
}

export async function showOverview(f) {
  const o = await api('overview', { day: f.day, group: f.group, platform: f.platform })
  renderKpis(o)
  const counts = o.kpis.filter((k) => !['gmv', 'conversion'].includes(k.key))
  const series = ['day', 'previousDay', 'weekBefore']
  const names = [t('this_day'), t('previous_day'), t('week_before')]
  draw('chart-compare', {
    tooltip: { trigger: 'axis' },
    legend: { data: names, top: 0 },
    grid: { left: 50, right: 16, top: 36, bottom: 50 },
    xAxis: { type: 'category', data: counts.map((k) => t(k.key)), axisLabel: { interval: 0, rotate: 20 } },
    yAxis: { type: 'value' },
    series: series.map((s, i) => ({ name: names[i], type: 'bar', data: counts.map((k) => k[s]) })),
  })
  csvData.set('compare', [
    ['kpi', 'day', 'previous_day', 'week_before'],
    ...o.kpis.map((k) => [k.key, k.day, k.previousDay, k.weekBefore]),
  ])
  draw('chart-minutes', {
    tooltip: { trigger: 'axis' },
    grid: { left: 50, right: 16, bottom: 30 },
    xAxis: { type: 'category', data: o.perMinute.map((m) => localMinute(m.minute)) },
    yAxis: { type: 'value' },
    series: [
      {
        name: t('events'),
        type: 'line',
        showSymbol: false,
        areaStyle: {},
        data: o.perMinute.map((m) => m.events),
      },
    ],
  })
  csvData.set('minutes', [['minute_utc', 'events'], ...o.perMinute.map((m) => [m.minute, m.events])])
}
