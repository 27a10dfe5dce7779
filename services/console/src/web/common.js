// What every page shares: the named APIs, the charts, number formats and the CSV downloads.
import { language } from '/static/i18n.js'

const charts = new Map()
/** The rows behind each chart or table, by its data-csv name: [header, ...rows]. */
export const csvData = new Map()

export const today = () => new Date().toISOString().slice(0, 10)
export const shift = (day, n) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10)

export async function api(name, params) {
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
export function draw(id, option) {
  chart(id).setOption({ animation: false, ...option }, true)
}

export function number(v) {
  if (v === null || v === undefined) return '–'
  const n = Number(v)
  return Number.isInteger(n)
    ? n.toLocaleString(language() === 'zh' ? 'zh-CN' : 'en')
    : n.toLocaleString(undefined, { maximumFractionDigits: 2 })
}

export function percent(v) {
  return v === null || v === undefined ? '–' : `${(Number(v) * 100).toFixed(2)}%`
}

export function delta(now, before) {
  if (now === null || before === null || Number(before) === 0) return '<span>–</span>'
  const change = (Number(now) - Number(before)) / Math.abs(Number(before))
  return `<span class="${change >= 0 ? 'up' : 'down'}">${change >= 0 ? '+' : ''}${(change * 100).toFixed(1)}%</span>`
}

export function resizeCharts() {
  for (const c of charts.values()) c.resize()
}

export function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

/** A table's HTML: a header of translated column names, cells through `cell`. */
export function tableHtml(columns, rows, cell, t, rowAttrs = () => '') {
  const head = columns.map((c) => `<th data-column="${c}">${t(c)}</th>`).join('')
  const body = rows
    .map(
      (r) =>
        `<tr${rowAttrs(r)}>${columns.map((c) => `<td data-column="${c}">${cell(c, r[c], r)}</td>`).join('')}</tr>`,
    )
    .join('')
  return `<thead><tr>${head}</tr></thead><tbody>${body || `<tr><td colspan="${columns.length}">${t('no_data')}</td></tr>`}</tbody>`
}

/** Saves the rows behind chart or table `name` as a CSV file named after the page. */
export function downloadCsv(name, pageName) {
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
  a.download = `opstream-${pageName}-${name}.csv`
  a.click()
  URL.revokeObjectURL(a.href)
}
