/**
 * The report's charts as SVG, rendered on the server by ECharts' own SSR renderer (no DOM, no
 * browser): the key figures against the previous period, and the funnel's steps by channel group.
 */
import * as echarts from 'echarts'
import type { ReportData } from './report-data.ts'
import type { LabelKey } from './report-labels.ts'

/** The fonts a chart's text asks for (the PNG asks for faster ones first). */
export interface ChartSize {
  width: number
  height: number
  font?: string
}

const FONT = 'Noto Sans CJK SC, sans-serif'

function svgOf(option: echarts.EChartsCoreOption, { width, height, font = FONT }: ChartSize): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height })
  chart.setOption({ animation: false, textStyle: { fontFamily: font }, ...option })
  const svg = chart.renderToSVGString()
  chart.dispose()
  return svg
}

export function kpiChart(
  data: ReportData,
  t: (k: LabelKey) => string,
  size: ChartSize = { width: 560, height: 300 },
): string {
  const counts = data.kpis.filter((k) => k.key !== 'gmv' && k.key !== 'conversion')
  const series = [
    { name: t('now'), pick: 'now' },
    { name: t('previous'), pick: 'previous' },
    { name: t('week_earlier'), pick: 'weekEarlier' },
  ] as const
  return svgOf(
    {
      legend: { top: 0, data: series.map((s) => s.name) },
      grid: { left: 56, right: 12, top: 36, bottom: 44 },
      xAxis: { type: 'category', data: counts.map((k) => t(k.key)), axisLabel: { interval: 0, rotate: 15 } },
      yAxis: { type: 'value' },
      series: series.map((s) => ({
        name: s.name,
        type: 'bar',
        data: counts.map((k) => Number(k[s.pick] ?? 0)),
      })),
    },
    size,
  )
}

export function funnelChart(data: ReportData, size: ChartSize = { width: 560, height: 300 }): string {
  const groups = [...new Set(data.funnel.steps.map((s) => s.channel_group))]
  const steps = [...new Map(data.funnel.steps.map((s) => [s.step, s.step_name])).entries()].sort(
    (a, b) => a[0] - b[0],
  )
  return svgOf(
    {
      legend: { top: 0, type: 'plain', data: groups },
      // Past 8 groups the legend takes a second line.
      grid: { left: 56, right: 12, top: groups.length > 8 ? 62 : 36, bottom: 30 },
      xAxis: { type: 'category', data: steps.map(([, n]) => n) },
      yAxis: { type: 'value' },
      series: groups.map((g) => ({
        name: g,
        type: 'bar',
        data: steps.map(
          ([n]) => data.funnel.steps.find((s) => s.channel_group === g && s.step === n)?.users ?? 0,
        ),
      })),
    },
    size,
  )
}
