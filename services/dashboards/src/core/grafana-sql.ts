/**
 * What Grafana and its ClickHouse datasource (grafana-clickhouse-datasource) do to a panel's SQL
 * before ClickHouse sees it, in their order:
 * 1. the plugin's frontend `applyConditionalAll`: `$__conditionalAll(cond, $var)` becomes `1=1`
 *    when the variable's value is All (or empty), else `cond` (src/data/CHDatasource.ts);
 * 2. Grafana's template service replaces `$var`, `${var}` and `[[var]]` with the variable's value,
 *    formatted by the plugin's `format`: a multi-value list becomes `'a','b'` (quoted, joined,
 *    unescaped), a single value is inserted as it is; All becomes the variable's allValue when it
 *    has one, else every option's value;
 * 3. the plugin's backend macros (pkg/macros/macros.go): `$__timeFilter(c)`,
 *    `$__timeFilter_ms(c)`, `$__dateFilter(c)`, `$__dateTimeFilter(d, t)` / `$__dt`,
 *    `$__timeInterval(c)`, `$__timeInterval_ms(c)`, `$__interval_s`, `$__fromTime`, `$__toTime`
 *    and their `_ms` forms, `$__timeFrom(c)`, `$__timeTo(c)`, `$__timeGroup(c, d)`. Unknown
 *    macros are left as they are, as the plugin leaves them.
 * Pure: the caller passes the time range, the interval and the variables' values.
 */

export interface VariableValue {
  /** The selected value or values; ALL when All is selected. */
  value: string | readonly string[] | typeof ALL
  /** Every option's value (what All stands for without an allValue). */
  options: readonly string[]
  allValue?: string
}

/** Grafana's value for "All" (ALL_VARIABLE_VALUE). */
export const ALL = '$__all'

export interface QueryContext {
  from: Date
  to: Date
  intervalMs: number
  variables: Readonly<Record<string, VariableValue>>
}

export function interpolate(sql: string, ctx: QueryContext): string {
  return expandMacros(replaceVariables(applyConditionalAll(sql, ctx.variables), ctx.variables), ctx)
}

/** The arguments of a call whose '(' is at `open`, split at top-level commas; null if unclosed. */
function callArgs(sql: string, open: number): { args: string[]; end: number } | null {
  let depth = 0
  let start = open + 1
  const args: string[] = []
  for (let i = open; i < sql.length; i++) {
    const c = sql[i]
    if (c === '(') depth++
    else if (c === ')') depth--
    if (c === ',' && depth === 1) {
      args.push(sql.slice(start, i))
      start = i + 1
    }
    if (depth === 0) {
      args.push(sql.slice(start, i))
      return { args, end: i + 1 }
    }
  }
  return null
}

const CONDITIONAL_ALL = '$__conditionalAll('

/** Step 1, last occurrence first as the plugin walks them. */
export function applyConditionalAll(sql: string, variables: QueryContext['variables']): string {
  let out = sql
  let at = out.lastIndexOf(CONDITIONAL_ALL)
  while (at !== -1) {
    const call = callArgs(out, at + CONDITIONAL_ALL.length - 1)
    if (call?.args.length !== 2) return out
    const [cond = '', ref = ''] = call.args
    const name = /(?<=\$\{)\w+(?=\})|(?<=\$)\w+/.exec(ref.trim())?.[0]
    const v = name === undefined ? undefined : variables[name]
    const selected = v === undefined ? undefined : String(v.value)
    const phrase = selected === '' || selected === ALL ? '1=1' : cond
    out = out.slice(0, at) + phrase + out.slice(call.end)
    at = out.lastIndexOf(CONDITIONAL_ALL)
  }
  return out
}

const VARIABLE = /\$(\w+)|\[\[(\w+?)(?::(\w+))?\]\]|\$\{(\w+)(?::([^}]+))?\}/g

/** The plugin's `format`: lists quoted and joined, single values as they are. */
function format(value: string | readonly string[]): string {
  return typeof value === 'string' ? value : `'${value.join("','")}'`
}

/** Step 2: only known variables; `$__…` names are Grafana's or the backend's. */
export function replaceVariables(sql: string, variables: QueryContext['variables']): string {
  return sql.replace(VARIABLE, (whole, a?: string, b?: string, _f?: string, c?: string) => {
    const v = variables[a ?? b ?? c ?? '']
    if (!v) return whole
    if (v.value === ALL) return v.allValue ?? format(v.options)
    return format(v.value)
  })
}

const seconds = (d: Date) => Math.floor(d.getTime() / 1000)
const isoDate = (d: Date) => d.toISOString().slice(0, 10)

type Macro = (args: string[], ctx: QueryContext) => string

const filter = (col: string, from: string, to: string) => `${col} >= ${from} AND ${col} <= ${to}`
const dateTime = (d: Date) => `toDateTime(${seconds(d)})`
const dateTime64 = (d: Date) => `fromUnixTimestamp64Milli(${d.getTime()})`
const date = (d: Date) => `toDate('${isoDate(d)}')`
const intervalS = (ctx: QueryContext) => Math.floor(Math.max(ctx.intervalMs / 1000, 1))

const MACROS: Record<string, { args: number; expand: Macro }> = {
  fromTime: { args: 0, expand: (_, c) => dateTime(c.from) },
  toTime: { args: 0, expand: (_, c) => dateTime(c.to) },
  fromTime_ms: { args: 0, expand: (_, c) => dateTime64(c.from) },
  toTime_ms: { args: 0, expand: (_, c) => dateTime64(c.to) },
  timeFilter: { args: 1, expand: ([col = ''], c) => filter(col, dateTime(c.from), dateTime(c.to)) },
  timeFilter_ms: { args: 1, expand: ([col = ''], c) => filter(col, dateTime64(c.from), dateTime64(c.to)) },
  dateFilter: { args: 1, expand: ([col = ''], c) => filter(col, date(c.from), date(c.to)) },
  dateTimeFilter: {
    args: 2,
    expand: ([d = '', t = ''], c) =>
      `(${filter(d, date(c.from), date(c.to))}) AND (${filter(t, dateTime(c.from), dateTime(c.to))})`,
  },
  timeInterval: {
    args: 1,
    expand: ([col = ''], c) => `toStartOfInterval(toDateTime(${col}), INTERVAL ${intervalS(c)} second)`,
  },
  timeInterval_ms: {
    args: 1,
    expand: ([col = ''], c) =>
      `toStartOfInterval(toDateTime64(${col}, 3), INTERVAL ${Math.floor(Math.max(c.intervalMs, 1))} millisecond)`,
  },
  interval_s: { args: 0, expand: (_, c) => String(intervalS(c)) },
  timeFrom: { args: 1, expand: ([col = ''], c) => `${col} >= ${dateTime(c.from)}` },
  timeTo: { args: 1, expand: ([col = ''], c) => `${col} <= ${dateTime(c.to)}` },
  timeGroup: {
    args: 2,
    expand: ([col = '', period = '']) => {
      const m = /^(\d+)(s|m|h)$/.exec(period.replace(/^['"]|['"]$/g, ''))
      if (!m) throw new Error(`$__timeGroup: invalid interval ${period}`)
      const secs = Number(m[1]) * { s: 1, m: 60, h: 3600 }[m[2] as 's']
      return `toStartOfInterval(toDateTime(${col}), INTERVAL ${secs} second)`
    },
  },
}
MACROS.dt = MACROS.dateTimeFilter as (typeof MACROS)[string]

/** Step 3: `$__name` or `$__name(args)`; a wrong argument count is an error, as in the plugin. */
export function expandMacros(sql: string, ctx: QueryContext): string {
  let out = ''
  let i = 0
  const re = /\$__(\w+)/g
  for (let m = re.exec(sql); m !== null; m = re.exec(sql)) {
    const macro = MACROS[m[1] as string]
    if (!macro) continue
    let args: string[] = []
    let end = m.index + m[0].length
    if (sql[end] === '(') {
      const call = callArgs(sql, end)
      if (!call) throw new Error(`$__${m[1]}: unclosed (`)
      args = call.args.length === 1 && call.args[0]?.trim() === '' ? [] : call.args.map((a) => a.trim())
      end = call.end
    }
    if (args.length !== macro.args)
      throw new Error(`$__${m[1]} expected ${macro.args} argument(s), received ${args.length}`)
    out += sql.slice(i, m.index) + macro.expand(args, ctx)
    i = end
    re.lastIndex = end
  }
  return out + sql.slice(i)
}
