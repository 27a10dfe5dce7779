/**
 * Builders for the provisioned dashboards: every panel reads the ClickHouse datasource of
 * infra/grafana/provisioning (a fixed uid) with raw SQL, or the Prometheus datasource with
 * PromQL; typed against Grafana's published schema (@grafana/schema).
 */
import type { AnnotationQuery, Dashboard, Panel, VariableModel } from '@grafana/schema'

export const CLICKHOUSE = { type: 'grafana-clickhouse-datasource', uid: 'opstream-clickhouse' } as const
export const PROMETHEUS = { type: 'prometheus', uid: 'opstream-prometheus' } as const

/** What a panel's query must return, checked by the dashboards test. */
export type Shape = 'timeseries' | 'table' | 'stat' | 'bars'

/** The ClickHouse plugin's query model: SQL editor, format 0 = time series, 1 = table. */
export type ClickHouseTarget = {
  refId: string
  datasource: typeof CLICKHOUSE
  editorType: 'sql'
  format: 0 | 1
  queryType: 'timeseries' | 'table'
  rawSql: string
  pluginVersion: string
}

const PLUGIN_VERSION = '4.x'

export function sqlTarget(rawSql: string, shape: Shape, refId = 'A'): ClickHouseTarget {
  const series = shape === 'timeseries'
  return {
    refId,
    datasource: CLICKHOUSE,
    editorType: 'sql',
    format: series ? 0 : 1,
    queryType: series ? 'timeseries' : 'table',
    rawSql: rawSql.trim(),
    pluginVersion: PLUGIN_VERSION,
  }
}

const PANEL_TYPE: Record<Shape, string> = {
  timeseries: 'timeseries',
  table: 'table',
  stat: 'stat',
  bars: 'barchart',
}

export interface PanelSpec {
  title: string
  description?: string
  shape: Shape
  sql: string
  /** Grid width (of 24) and height; 8 × 8 by default. */
  w?: number
  h?: number
  unit?: string
}

/** Lays panels out left to right, wrapping at 24 columns. */
export function layout(specs: readonly PanelSpec[]): Panel[] {
  let x = 0
  let y = 0
  let rowH = 0
  return specs.map((s, i) => {
    const w = s.w ?? 8
    const h = s.h ?? 8
    if (x + w > 24) {
      x = 0
      y += rowH
      rowH = 0
    }
    const panel: Panel = {
      id: i + 1,
      type: PANEL_TYPE[s.shape],
      title: s.title,
      description: s.description,
      datasource: CLICKHOUSE,
      gridPos: { x, y, w, h },
      targets: [sqlTarget(s.sql, s.shape)],
      fieldConfig: { defaults: s.unit ? { unit: s.unit } : {}, overrides: [] },
      options:
        s.shape === 'stat'
          ? { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false }, colorMode: 'value' }
          : {},
    }
    x += w
    rowH = Math.max(rowH, h)
    return panel
  })
}

/** A Prometheus panel (the services' own /metrics, scraped by the compose stack's Prometheus). */
export function promPanel(title: string, expr: string, legend: string, gridPos: Panel['gridPos']): Panel {
  return {
    type: 'timeseries',
    title,
    datasource: PROMETHEUS,
    gridPos,
    targets: [{ refId: 'A', datasource: PROMETHEUS, expr, legendFormat: legend }],
    fieldConfig: { defaults: {}, overrides: [] },
    options: {},
  }
}

/** A query variable over a rollup's distinct values: multi-value with All. */
export function listVariable(name: string, label: string, sql: string, multi = true): VariableModel {
  return {
    name,
    label,
    type: 'query',
    datasource: CLICKHOUSE,
    query: sql.trim(),
    definition: sql.trim(),
    refresh: 2,
    multi,
    includeAll: multi,
    current: multi ? { text: 'All', value: '$__all' } : undefined,
    sort: 1,
  } as VariableModel
}

/** Firing alerts as annotations, for the time series of every dashboard. */
export const ALERT_ANNOTATIONS: AnnotationQuery = {
  name: '告警 Alerts',
  enable: true,
  iconColor: 'red',
  datasource: CLICKHOUSE,
  target: sqlTarget(
    `SELECT started_at AS time, ifNull(resolved_at, max_at) AS timeEnd,
  concat(rule, ' ', series) AS title, explanation AS text, severity AS tags
FROM (SELECT rule, series, started_at, argMax(resolved_at, at) AS resolved_at, max(at) AS max_at,
        argMax(explanation, at) AS explanation, argMax(severity, at) AS severity
      FROM alerts WHERE state IN ('firing', 'resolved') AND $__timeFilter(started_at)
      GROUP BY rule, series, started_at)
ORDER BY time`,
    'table',
    'Anno',
  ),
}

export const GRAFANA_ANNOTATIONS: AnnotationQuery = {
  builtIn: 1,
  datasource: { type: 'grafana', uid: '-- Grafana --' },
  enable: true,
  hide: true,
  iconColor: 'rgba(0, 211, 255, 1)',
  name: 'Annotations & Alerts',
  type: 'dashboard',
}

export function dashboard(opts: {
  uid: string
  title: string
  description: string
  tags: string[]
  panels: Panel[]
  variables: VariableModel[]
  time?: { from: string; to: string }
  refresh?: string
}): Dashboard {
  return {
    uid: opts.uid,
    title: opts.title,
    description: opts.description,
    tags: ['opstream', ...opts.tags],
    timezone: 'browser',
    editable: true,
    schemaVersion: 41,
    version: 1,
    refresh: opts.refresh ?? '1m',
    time: opts.time ?? { from: 'now-30d', to: 'now' },
    templating: { list: opts.variables },
    annotations: { list: [GRAFANA_ANNOTATIONS, ALERT_ANNOTATIONS] },
    panels: opts.panels,
  }
}
