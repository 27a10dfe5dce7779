// Alerts: what is firing, pending or resolved now, each with its explanation, and the history.
import { api, csvData, escapeHtml, number, tableHtml } from '/static/common.js'
import { t } from '/static/i18n.js'

const COLUMNS = ['at', 'state', 'severity', 'rule', 'series', 'value', 'baseline', 'explanation']

function cell(c, v) {
  if (c === 'state') return `<span class="state state-${escapeHtml(v)}">${t(`state_${v}`)}</span>`
  if (c === 'value' || c === 'baseline') return number(v)
  if (c === 'at') return escapeHtml(String(v).slice(0, 19))
  return escapeHtml(v ?? '')
}

export async function showAlerts(f) {
  const r = await api('alerts', { from: f.from, to: f.to, state: f.state })
  document.getElementById('alerts-now').innerHTML = tableHtml(
    COLUMNS,
    r.current,
    cell,
    t,
    (a) => ` data-state="${escapeHtml(a.state)}"`,
  )
  document.getElementById('alerts-history').innerHTML = tableHtml(COLUMNS, r.history, cell, t)
  csvData.set('alerts', [COLUMNS, ...r.history.map((a) => COLUMNS.map((c) => a[c]))])
}
