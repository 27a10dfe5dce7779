// Pipeline: each stage's rate, each consumer group's lag, the DLQ with its latest reasons, the
// events written and their delay, minute by minute.
import { api, csvData, draw, escapeHtml, number, tableHtml } from '/static/common.js'
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

const LETTER_COLUMNS = ['at', 'service', 'error_kind', 'reason', 'source', 'value_bytes']
const REASON_COLUMNS = ['service', 'error_kind', 'records', 'last_at', 'latest_reason']

function letterCell(c, v) {
  if (c === 'at' || c === 'last_at') return escapeHtml(String(v).slice(0, 19))
  if (c === 'records' || c === 'value_bytes') return number(v)
  return escapeHtml(v ?? '')
}

/** Tiles of each series' latest value. */
function latestTiles(id, points, format) {
  const latest = new Map()
  for (const p of points) latest.set(p.series, p.value)
  document.getElementById(id).innerHTML = [...latest]
    .map(
      ([series, value]) =>
        `<div class="kpi" data-series="${escapeHtml(series)}"><div class="label">${escapeHtml(series)}</div><div class="value">${format(value)}</div></div>`,
    )
    .join('')
}

export async function showPipeline(f) {
  const r = await api('pipeline', { hours: f.hours })
  document.getElementById('dlq-total').textContent = number(r.dlqTotal)
  latestTiles('rates-now', r.rates, (v) => number(Math.round(v * 10) / 10))
  latestTiles('lag-now', r.lag, number)
  lines('chart-rates', r.rates, t('per_second'))
  lines('chart-lag', r.lag, t('messages'))
  lines('chart-dlq', r.dlq, t('messages'))
  lines('chart-written', r.written, t('events'))
  lines('chart-delay', r.delay, t('seconds'))
  const letters = r.deadLetters.map((d) => ({
    ...d,
    source: d.source_topic ? `${d.source_topic} [${d.source_partition}] @${d.source_offset}` : '',
  }))
  document.getElementById('dlq-reasons').innerHTML = tableHtml(REASON_COLUMNS, r.reasons, letterCell, t)
  document.getElementById('dlq-latest').innerHTML = tableHtml(LETTER_COLUMNS, letters, letterCell, t)
  csvData.set('pipeline', [
    ['kind', 'minute_utc', 'series', 'value'],
    ...['rates', 'lag', 'dlq', 'written', 'delay'].flatMap((k) =>
      r[k].map((p) => [k, p.minute, p.series, p.value]),
    ),
  ])
  csvData.set('dlq', [LETTER_COLUMNS, ...letters.map((d) => LETTER_COLUMNS.map((c) => d[c]))])
}
