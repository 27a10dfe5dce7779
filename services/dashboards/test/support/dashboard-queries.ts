import type { Dashboard, Panel, VariableModel } from '@grafana/schema'
import { ALL, interpolate, type QueryContext, type VariableValue } from '../../src/core/grafana-sql.ts'
import { CLICKHOUSE } from '../../src/core/panels.ts'

/** One SQL query of a dashboard as Grafana would send it: a panel's, a variable's or an annotation's. */
export interface DashboardQuery {
  dashboard: string
  /** "panel <title>", "variable <name>" or "annotation <name>". */
  where: string
  panelType: string | null
  rawSql: string
}

const rawSqlOf = (t: unknown): string | null => {
  const target = (t ?? {}) as { datasource?: { uid?: string }; rawSql?: unknown }
  return target.datasource?.uid === CLICKHOUSE.uid && typeof target.rawSql === 'string' ? target.rawSql : null
}

/** Every ClickHouse query of a dashboard, in the order Grafana shows them. */
export function queriesOf(d: Dashboard): DashboardQuery[] {
  const out: DashboardQuery[] = []
  const title = d.title ?? ''
  for (const v of d.templating?.list ?? []) {
    if (v.datasource?.uid === CLICKHOUSE.uid && typeof v.query === 'string')
      out.push({ dashboard: title, where: `variable ${v.name}`, panelType: null, rawSql: v.query })
  }
  for (const a of d.annotations?.list ?? []) {
    const sql = rawSqlOf(a.target)
    if (sql !== null)
      out.push({ dashboard: title, where: `annotation ${a.name}`, panelType: null, rawSql: sql })
  }
  for (const p of (d.panels ?? []) as Panel[]) {
    for (const t of p.targets ?? []) {
      const sql = rawSqlOf(t)
      if (sql !== null)
        out.push({
          dashboard: title,
          where: `panel ${p.title ?? ''}`,
          panelType: p.type ?? null,
          rawSql: sql,
        })
    }
  }
  return out
}

export type Choice = 'all' | 'one' | 'two'

/**
 * The dashboard's variables' values for a choice, resolving each variable's options with its own
 * query as Grafana does (in order, each seeing the ones before): All; one option; two. The one
 * is `prefer`'s value when the variable offers it, else its first option; two adds the first
 * other option. A single-value variable takes the one.
 */
export async function variableValues(
  d: Dashboard,
  choice: Choice,
  base: Omit<QueryContext, 'variables'>,
  run: (sql: string) => Promise<string[]>,
  prefer: Readonly<Record<string, string>> = {},
): Promise<Record<string, VariableValue>> {
  const values: Record<string, VariableValue> = {}
  for (const v of (d.templating?.list ?? []) as VariableModel[]) {
    if (typeof v.query !== 'string') continue
    const options = await run(interpolate(v.query, { ...base, variables: values }))
    const preferred = prefer[v.name]
    const first = preferred !== undefined && options.includes(preferred) ? preferred : (options[0] ?? '')
    if (!v.multi) values[v.name] = { value: first, options }
    else if (choice === 'all') values[v.name] = { value: ALL, options }
    else {
      const two = [first, ...options.filter((o) => o !== first)].slice(0, 2)
      values[v.name] = { value: choice === 'one' ? [first] : two, options }
    }
  }
  return values
}
