// The console's shell: the page in the address's hash, the filters, the language, the refresh.
// Each page fetches its named API with the filters and draws itself; no SQL here, no credentials.
import { api, downloadCsv, escapeHtml, resizeCharts, shift, today } from '/static/common.js'
import { applyLanguage, t, toggleLanguage } from '/static/i18n.js'
import { showAlerts } from '/static/page-alerts.js'
import { initChannels, showChannels } from '/static/page-channels.js'
import { showFunnels } from '/static/page-funnels.js'
import { showLifecycle } from '/static/page-lifecycle.js'
import { showOverview } from '/static/page-overview.js'
import { showPipeline } from '/static/page-pipeline.js'
import { showRetention } from '/static/page-retention.js'

const PAGES = {
  overview: showOverview,
  channels: showChannels,
  funnels: showFunnels,
  retention: showRetention,
  lifecycle: showLifecycle,
  alerts: showAlerts,
  pipeline: showPipeline,
}
let refreshTimer
const form = () => document.getElementById('filters')

function page() {
  const p = location.hash.slice(1)
  return Object.hasOwn(PAGES, p) ? p : 'overview'
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

let showing = Promise.resolve()

/** Shows the page in the hash with the filters; loads run one after another, so the last choice is what stays. */
function show() {
  showing = showing.then(load)
  return showing
}

async function load() {
  const p = page()
  document.body.dataset.page = p
  for (const name of Object.keys(PAGES)) {
    document.getElementById(`page-${name}`).classList.toggle('active', name === p)
    document.querySelector(`nav a[data-page="${name}"]`).classList.toggle('active', name === p)
  }
  const status = document.getElementById('status')
  try {
    await PAGES[p](Object.fromEntries(new FormData(form())))
    status.textContent = `${t('updated')} ${new Date().toLocaleTimeString()}`
    status.classList.remove('error')
  } catch (err) {
    status.textContent = `${t('error')}: ${err.message}`
    status.classList.add('error')
  }
  resizeCharts()
  document.body.dataset.loaded = String(Number(document.body.dataset.loaded ?? 0) + 1)
}

async function main() {
  applyLanguage()
  const f = form()
  f.elements.day.value = today()
  f.elements.to.value = today()
  f.elements.from.value = shift(today(), -29)
  f.onchange = () => void show()
  initChannels()
  for (const b of document.querySelectorAll('button.csv'))
    b.onclick = () => downloadCsv(b.dataset.csv, page())
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
  window.onresize = resizeCharts
  const settings = await api('settings', {})
  await fillFilters()
  await show()
  clearInterval(refreshTimer)
  refreshTimer = setInterval(() => void show(), settings.refreshS * 1000)
}

void main()
