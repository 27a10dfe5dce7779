// Channels: the economics table of a range (sorted, searched), the trend, LTV ÷ CAC by group.
import { api, csvData, draw, escapeHtml, number } from '/static/common.js'
import { t } from '/static/i18n.js'

const ECONOMICS_COLUMNS = [
  'cost_code',
  'acquisition_group',
  'acquisition_source',
  'registrations',
  'card_bindings',
  'first_investments',
  'invested_amount',
  'cost',
  'cac',
  'roi',
  'ltv30',
  'ltv_to_cac30',
]
const sortState = { column: 'cost', ascending: false }
let economicsRows = []

export function renderEconomics() {
  const filter = document.getElementById('code-filter').value.trim().toLowerCase()
  const { column, ascending } = sortState
  const value = (r) =>
    ['cost_code', 'acquisition_group', 'acquisition_source'].includes(column)
      ? r[column]
      : Number(r[column] ?? -1)
  const rows = economicsRows
    .filter(
      (r) =>
        !filter ||
        `${r.cost_code} ${r.acquisition_group} ${r.acquisition_source}`.toLowerCase().includes(filter),
    )
    .sort((a, b) => (value(a) < value(b) ? -1 : value(a) > value(b) ? 1 : 0) * (ascending ? 1 : -1))
  const head = ECONOMICS_COLUMNS.map(
    (c) =>
      `<th data-column="${c}" class="${c === column ? `sorted${ascending ? ' asc' : ''}` : ''}">${t(c)}</th>`,
  ).join('')
  const body = rows
    .map(
      (r) =>
        `<tr data-code="${escapeHtml(r.cost_code)}">${ECONOMICS_COLUMNS.map((c) => `<td data-column="${c}">${cell(c, r[c])}</td>`).join('')}</tr>`,
    )
    .join('')
  document.getElementById('economics').innerHTML =
    `<thead><tr>${head}</tr></thead><tbody>${body || `<tr><td colspan="${ECONOMICS_COLUMNS.length}">${t('no_data')}</td></tr>`}</tbody>`
  csvData.set('economics', [ECONOMICS_COLUMNS, ...rows.map((r) => ECONOMICS_COLUMNS.map((c) => r[c]))])
}

function cell(column, v) {
  if (column === 'cost_code' && !v) return '–'
  if (['cost_code', 'acquisition_group', 'acquisition_source'].includes(column)) return escapeHtml(v ?? '')
  return (column === 'roi' || column === 'ltv_to_cac30') && v !== null ? `${number(v)}×` : number(v)
}

export async function showChannels(f) {
  const c = await api('channels', { from: f.from, to: f.to, group: f.group })
  economicsRows = c.table
  renderEconomics()
  const top = c.table.slice(0, 8).map((r) => r.cost_code)
  const days = [...new Set(c.trend.map((r) => r.day))].sort()
  draw('chart-trend', {
    tooltip: { trigger: 'axis' },
    legend: { type: 'scroll', data: top.map((code) => code || '–'), top: 0 },
    grid: { left: 50, right: 16, top: 36, bottom: 30 },
    xAxis: { type: 'category', data: days },
    yAxis: { type: 'value' },
    series: top.map((code) => ({
      name: code || '–',
      type: 'line',
      data: days.map((d) => c.trend.find((r) => r.day === d && r.cost_code === code)?.registrations ?? 0),
    })),
  })
  csvData.set('trend', [
    ['day', 'cost_code', 'registrations', 'first_investments', 'cost'],
    ...c.trend.map((r) => [r.day, r.cost_code, r.registrations, r.first_investments, r.cost]),
  ])
  draw('chart-ltv', {
    tooltip: { trigger: 'axis' },
    grid: { left: 50, right: 16, bottom: 40 },
    xAxis: {
      type: 'category',
      data: c.ltv.map((r) => r.acquisition_group),
      axisLabel: { interval: 0, rotate: 20 },
    },
    yAxis: { type: 'value' },
    series: [
      {
        name: t('ltv_to_cac30'),
        type: 'bar',
        data: c.ltv.map((r) => (r.ltv_to_cac30 === null ? null : Number(r.ltv_to_cac30))),
      },
    ],
  })
  csvData.set('ltv', [
    ['acquisition_group', 'cohort_users', 'ltv30', 'ltv_to_cac30'],
    ...c.ltv.map((r) => [r.acquisition_group, r.cohort_users, r.ltv30, r.ltv_to_cac30]),
  ])
}

/** Sorting by a column's header (again: the other way), and the search box. */
export function initChannels() {
  document.getElementById('code-filter').oninput = renderEconomics
  document.getElementById('economics').onclick = (e) => {
    const column = e.target.closest('th')?.dataset.column
    if (!column) return
    sortState.ascending = sortState.column === column ? !sortState.ascending : false
    sortState.column = column
    renderEconomics()
  }
}
