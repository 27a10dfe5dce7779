/**
 * The report as one PNG for IM robots and e-mail, rendered without a browser: an SVG of the
 * title, the key-figure tiles, the two charts and the top movers, rasterized by resvg with the
 * system's CJK fonts. WenQuanYi Micro Hei (fonts-wqy-microhei) comes first: resvg lays out each
 * text in Noto Sans CJK about 20 times slower (its large layout tables), some 3 s for a report's
 * 60 texts; Noto Sans CJK (fonts-noto-cjk) serves where WenQuanYi is not installed.
 */
import { Resvg } from '@resvg/resvg-js'
import { moverLine, reportTitle } from './render-report.ts'
import { funnelChart, kpiChart } from './report-charts.ts'
import type { ReportData } from './report-data.ts'
import { escapeHtml, formatChange, formatValue } from './report-format.ts'
import { type Lang, labels } from './report-labels.ts'

export const PNG_WIDTH = 1200
const FONT = 'WenQuanYi Micro Hei, Noto Sans CJK SC'
const DEFAULT_FONT = 'Noto Sans CJK SC'

const CHART = { width: 570, height: 300, font: FONT }

/** `<svg …>` of a chart placed at (x, y) inside the report's SVG. */
const placed = (svg: string, x: number, y: number) => svg.replace('<svg ', `<svg x="${x}" y="${y}" `)

export function reportSvg(data: ReportData, lang: Lang): { svg: string; height: number } {
  const t = labels(lang)
  const tileW = (PNG_WIDTH - 40 - 6 * 10) / 7
  const tiles = data.kpis
    .map((k, i) => {
      const x = 20 + i * (tileW + 10)
      const change = formatChange(k.now, k.previous)
      const colour = change.startsWith('+') ? '#15803d' : change.startsWith('−') ? '#b91c1c' : '#6b7280'
      return `<g transform="translate(${x},70)"><rect width="${tileW}" height="92" rx="8" fill="#fff" stroke="#e5e7eb"/>
<text x="12" y="24" font-size="13" fill="#6b7280">${escapeHtml(t(k.key))}</text>
<text x="12" y="56" font-size="24" font-weight="bold" fill="#1f2937">${escapeHtml(formatValue(k.key, k.now))}</text>
<text x="12" y="80" font-size="12" fill="${colour}">${escapeHtml(`${t('previous')} ${change}`)}</text></g>`
    })
    .join('')
  const charts = `${placed(kpiChart(data, t, CHART), 20, 180)}${data.funnel.steps.length > 0 ? placed(funnelChart(data, CHART), 610, 180) : ''}`
  const movers = data.movers
    .map(
      (m, i) =>
        `<text x="20" y="${530 + i * 24}" font-size="14" fill="#1f2937">${escapeHtml(moverLine(m, t))}</text>`,
    )
    .join('')
  const height = 530 + Math.max(1, data.movers.length) * 24 + 20
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${PNG_WIDTH}" height="${height}" viewBox="0 0 ${PNG_WIDTH} ${height}" font-family="${FONT}">
<rect width="100%" height="100%" fill="#f6f7f9"/>
<text x="20" y="44" font-size="24" font-weight="bold" fill="#1f2937">${escapeHtml(reportTitle(data, lang))}</text>
${tiles}${charts}
<text x="20" y="506" font-size="15" font-weight="bold" fill="#1f2937">${escapeHtml(t('movers'))}</text>
${movers || `<text x="20" y="530" font-size="14" fill="#6b7280">${escapeHtml(t('none'))}</text>`}
</svg>`
  return { svg, height }
}

export function renderPng(data: ReportData, lang: Lang): Buffer {
  const { svg } = reportSvg(data, lang)
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'width', value: PNG_WIDTH },
    font: { loadSystemFonts: true, defaultFontFamily: DEFAULT_FONT, sansSerifFamily: DEFAULT_FONT },
  })
  return resvg.render().asPng()
}
