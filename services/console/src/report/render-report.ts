/**
 * A report's three forms: one self-contained HTML page (styles inline, charts as inline SVG, no
 * request when opened), Markdown for IM robots, and the title both share.
 */
import { funnelChart, kpiChart } from './report-charts.ts'
import type { Mover, ReportData } from './report-data.ts'
import { escapeHtml, formatChange, formatValue } from './report-format.ts'
import { type LabelKey, type Lang, labels } from './report-labels.ts'

export function reportTitle(data: ReportData, lang: Lang): string {
  const t = labels(lang)
  const span = data.range.from === data.range.to ? data.range.from : `${data.range.from} – ${data.range.to}`
  return `${t(data.period === 'day' ? 'title_day' : 'title_week')} · ${span}`
}

/** A mover in one line: the group's change, and the sources that explain it. */
export const moverLine = (m: Mover, t: (k: LabelKey) => string) =>
  `${m.group}: ${m.before} → ${m.now} (${formatChange(m.now, m.before)})${
    m.explained.length > 0
      ? ` · ${t('explained_by')} ${m.explained.map((e) => `${e.element} ${e.before} → ${e.now}`).join(', ')}`
      : ''
  }`

function table(head: string[], rows: string[][]): string {
  const th = head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('')
  return `<table><thead><tr>${th}</tr></thead><tbody>${body}</tbody></table>`
}

const STYLE = `body{font:14px/1.5 "Noto Sans CJK SC","PingFang SC","Microsoft YaHei",system-ui,sans-serif;color:#1f2937;max-width:1180px;margin:24px auto;padding:0 16px}
h1{font-size:22px}h2{font-size:16px;margin-top:28px}table{border-collapse:collapse;width:100%}
th,td{padding:5px 8px;border-bottom:1px solid #e5e7eb;text-align:right;white-space:nowrap}th:first-child,td:first-child{text-align:left}
.charts{display:flex;flex-wrap:wrap;gap:16px}.muted{color:#6b7280}`

export function renderHtml(data: ReportData, lang: Lang): string {
  const t = labels(lang)
  const kpis = table(
    [t('metric'), t('now'), t('previous'), t('change'), t('week_earlier'), t('change')],
    data.kpis.map((k) => [
      t(k.key),
      formatValue(k.key, k.now),
      formatValue(k.key, k.previous),
      formatChange(k.now, k.previous),
      formatValue(k.key, k.weekEarlier),
      formatChange(k.now, k.weekEarlier),
    ]),
  )
  const channels = table(
    [
      t('cost_code'),
      t('channel_group'),
      t('registrations'),
      t('first_investments'),
      t('invested'),
      t('cost'),
      t('cac'),
      t('roi'),
    ],
    data.channels.map((c) => [
      c.cost_code || '–',
      c.acquisition_group,
      formatValue('n', c.registrations),
      formatValue('n', c.first_investments),
      formatValue('m', c.invested_amount),
      formatValue('m', c.cost),
      formatValue('m', c.cac),
      formatValue('m', c.roi),
    ]),
  )
  const funnel = table(
    [t('channel_group'), t('step'), t('users'), t('of_first')],
    data.funnel.steps.map((s) => [
      s.channel_group,
      s.step_name,
      formatValue('n', s.users),
      formatValue('conversion', s.of_first),
    ]),
  )
  const alerts =
    data.alerts.length === 0
      ? `<p class="muted">${escapeHtml(t('no_alerts'))}</p>`
      : `<ul>${data.alerts.map((a) => `<li><b>${escapeHtml(a.rule)}</b> ${escapeHtml(a.series)} · ${escapeHtml(a.at)} — ${escapeHtml(a.explanation)}</li>`).join('')}</ul>`
  const triggers = table(
    [t('rule'), t('fired'), t('converted'), t('conversion_rate')],
    data.triggers.map((r) => [
      r.rule,
      formatValue('n', r.fired),
      formatValue('n', r.converted),
      formatValue('conversion', r.conversion_rate),
    ]),
  )
  const movers = data.movers.map((m) => `<li>${escapeHtml(moverLine(m, t))}</li>`).join('')
  return `<!doctype html><html lang="${lang === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(reportTitle(data, lang))}</title><style>${STYLE}</style></head><body>
<h1>${escapeHtml(reportTitle(data, lang))}</h1>
<h2>${escapeHtml(t('kpis'))}</h2>${kpis}
<div class="charts"><div>${kpiChart(data, t)}</div><div>${data.funnel.steps.length > 0 ? funnelChart(data) : ''}</div></div>
<h2>${escapeHtml(t('movers'))}</h2>${movers ? `<ul>${movers}</ul>` : `<p class="muted">${escapeHtml(t('none'))}</p>`}
<h2>${escapeHtml(`${t('funnel')} ${data.funnel.name}`)}</h2>${funnel}
<h2>${escapeHtml(t('channels'))}</h2>${channels}
<h2>${escapeHtml(t('alerts'))}</h2>${alerts}
<h2>${escapeHtml(t('triggers'))}</h2>${triggers}
</body></html>`
}

export function renderMarkdown(data: ReportData, lang: Lang): string {
  const t = labels(lang)
  const lines = [`### ${reportTitle(data, lang)}`, '', `**${t('kpis')}**`]
  for (const k of data.kpis)
    lines.push(
      `- ${t(k.key)}: **${formatValue(k.key, k.now)}** (${t('previous')} ${formatChange(k.now, k.previous)}, ${t('week_earlier')} ${formatChange(k.now, k.weekEarlier)})`,
    )
  lines.push('', `**${t('movers')}**`)
  for (const m of data.movers) lines.push(`- ${moverLine(m, t)}`)
  if (data.movers.length === 0) lines.push(`- ${t('none')}`)
  lines.push('', `**${t('channels')}**`)
  for (const c of data.channels.slice(0, 8))
    lines.push(
      `- ${c.cost_code || '–'}: ${t('registrations')} ${c.registrations}, ${t('first_investments')} ${c.first_investments}, ${t('cac')} ${formatValue('m', c.cac)}`,
    )
  lines.push('', `**${t('alerts')}**`)
  for (const a of data.alerts.slice(0, 10)) lines.push(`- ${a.rule} ${a.series}: ${a.explanation}`)
  if (data.alerts.length === 0) lines.push(`- ${t('no_alerts')}`)
  return `${lines.join('\n')}\n`
}
