// The console's pages: each fetches its named API with the filters, draws its charts with ECharts
// and keeps the data behind each chart for its CSV download. No SQL here, no credentials.
import { applyLanguage, language, t, toggleLanguage } from '/static/i18n.js'

const PAGES = ['overview', 'channels']
const charts = new Map()
/** The rows behind each chart or table, by its data-csv name: [header, ...rows]. */
const csvData = new Map()
let refreshTimer

const today = () => new Date().toISOString().slice(0, 10)
const shift = (day, n) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10)
const form = () => document.getElementById('filters')

function page() {
  const p = location.hash.slice(1)
  return PAGES.includes(p) ? p : 'overview'
}

async function api(name, params) {
  const query = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== '' && v != null))
  const res = await fetch(`/api/${name}?${query}`)
  if (res.status === 401) location.href = '/login'
  if (!res.ok) throw new Error((await res.json().catch(() => ({}))).error ?? res.statusText)
  return res.json()
}

function chart(id) {
  let c = charts.get(id)
  if (!c) {
    c = echarts.init(document.getElementById(id), null, { renderer: 'canvas' })
    charts.set(id, c)
  }
  return c
}

/** Draws a chart anew; numbers that refresh by themselves get no animation to sit through. */
function draw(id, option) {
  chart(id).setOption({ animation: false, ...option }, true)
}

function number(v) {
  if (v === null || v === undefined) return '–'
  const n = Number(v)
  return Number.isInteger(n)
    ? n.toLocaleString(language() === 'zh' ? 'zh-CN' : 'en')
    : n.toLocaleString(undefined, { maximumFractionDigits: 2 })
}

function percent(v) {
  return v === null || v === undefined ? '–' : `${(Number(v) * 100).toFixed(2)}%`
}

function delta(now, before) {
  if (now === null || before === null || Number(before) === 0) return '<span>–</span>'
  const change = (Number(now) - Number(before)) / Math.abs(Number(before))
  return `<span class="${change >= 0 ? 'up' : 'down'}">${change >= 0 ? '+' : ''}${(change * 100).toFixed(1)}%</span>`
}

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

async function showOverview(f) {
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
    xAxis: { type: 'category', data: o.perMinute.map((m) => m.minute.slice(11, 16)) },
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
]
const sortState = { column: 'cost', ascending: false }
let economicsRows = []

function renderEconomics() {
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
    `<thead><tr>${head}</tr></thead><tbody>${body || `<tr><td colspan="10">${t('no_data')}</td></tr>`}</tbody>`
  csvData.set('economics', [ECONOMICS_COLUMNS, ...rows.map((r) => ECONOMICS_COLUMNS.map((c) => r[c]))])
}

function cell(column, v) {
  if (column === 'cost_code' && !v) return '–'
  if (['cost_code', 'acquisition_group', 'acquisition_source'].includes(column)) return escapeHtml(v ?? '')
  return column === 'roi' && v !== null ? `${number(v)}×` : number(v)
}

function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

async function showChannels(f) {
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

async function fillFilters() {
  const f = await api('filters', {})
  const fill = (name, values) => {
    const select = form().elements[name]
    const chosen = select.value
    select.innerHTML = `<option value="">${t('all')}</option>${values.map((v) => `<option>${escapeHtml(v)}</option>`).join('')}`
    select.value = values.includes(chosen) ? chosen : ''
  }
  fill('group', f.groups)
  fill('platform', f.platforms)
}

async function show() {
  const p = page()
  document.body.dataset.page = p
  for (const name of PAGES) {
    document.getElementById(`page-${name}`).classList.toggle('active', name === p)
    document.querySelector(`nav a[data-page="${name}"]`).classList.toggle('active', name === p)
  }
  const f = Object.fromEntries(new FormData(form()))
  const status = document.getElementById('status')
  try {
    await (p === 'overview' ? showOverview(f) : showChannels(f))
    status.textContent = `${t('updated')} ${new Date().toLocaleTimeString()}`
    status.classList.remove('error')
  } catch (err) {
    status.textContent = `${t('error')}: ${err.message}`
    status.classList.add('error')
  }
  for (const c of charts.values()) c.resize()
  document.body.dataset.loaded = String(Number(document.body.dataset.loaded ?? 0) + 1)
}

function downloadCsv(name) {
  const rows = csvData.get(name) ?? []
  const quote = (v) =>
    v === null || v === undefined
      ? ''
      : /[",\n]/.test(String(v))
        ? `"${String(v).replace(/"/g, '""')}"`
        : String(v)
  const text = `\ufeff${rows.map((r) => r.map(quote).join(',')).join('\n')}\n`
  const a = document.createElement('a')
  a.href = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }))
  a.download = `opstream-${page()}-${name}.csv`
  a.click()
  URL.revokeObjectURL(a.href)
}

async function main() {
  applyLanguage()
  const f = form()
  f.elements.day.value = today()
  f.elements.to.value = today()
  f.elements.from.value = shift(today(), -29)
  f.onchange = () => void show()
  document.getElementById('code-filter').oninput = renderEconomics
  document.getElementById('economics').onclick = (e) => {
    const column = e.target.closest('th')?.dataset.column
    if (!column) return
    sortState.ascending = sortState.column === column ? !sortState.ascending : false
    sortState.column = column
    renderEconomics()
  }
  for (const b of document.querySelectorAll('button.csv')) b.onclick = () => downloadCsv(b.dataset.csv)
  document.getElementById('lang').onclick = () => {
    toggleLanguage()
    applyLanguage()
    void fillFilters().then(show)
  }
  document.getElementById('logout').onclick = async () => {
    await fetch('/logout', { method: 'POST' })
    location.href = '/login'
  }
  window.onhashchange = () => void show()
  window.onresize = () => {
    for (const c of charts.values()) c.resize()
  }
  const settings = await api('settings', {})
  await fillFilters()
  await show()
  clearInterval(refreshTimer)
  refreshTimer = setInterval(() => void show(), settings.refreshS * 1000)
}

void main()
