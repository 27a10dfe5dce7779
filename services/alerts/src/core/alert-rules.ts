/**
 * Alert rules (config/alert-rules.json), validated: each rule watches one metric series from
 * `metric_series` — a count, or a ratio of two counts (a funnel step's conversion) — optionally
 * broken down by labels, over an evaluation window, with a condition, a `for` duration, a
 * minimum volume, severity, labels and templated annotations.
 */
import { z } from 'zod'
import { countFormula, expressionFormula, type Formula, ratioFormula } from './formula.ts'

const duration = z
  .string()
  .regex(/^\d+(s|m|h|d)$/, 'a duration such as 90s, 5m, 2h or 7d')
  .transform((s) => {
    const [, n, unit] = /^(\d+)(s|m|h|d)$/.exec(s) as RegExpExecArray
    return Number(n) * { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[unit as 's']
  })

const seriesRef = z.strictObject({
  metric: z.string().min(1),
  /** The series' event label (an event name, `funnel/step`, a consumer group); any when unset. */
  event: z.string().optional(),
})

const condition = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('threshold'), op: z.enum(['above', 'below']), value: z.number() }),
  z.strictObject({
    type: z.literal('relative'),
    /** Same window a week before, or the median of the same window over the last `days` days. */
    baseline: z.union([
      z.literal('same_minute_last_week'),
      z.strictObject({ rollingMedianDays: z.number().int().min(2).max(28) }),
    ]),
    direction: z.enum(['drop', 'rise']),
    /** The change that breaches, as a fraction of the baseline (0.3: 30 %). */
    byFraction: z.number().positive(),
  }),
  z.strictObject({
    type: z.literal('anomaly'),
    /** Weeks of history at the same minute of the week (3 at least: a holiday week stays an outlier). */
    weeks: z.number().int().min(3).max(12).default(4),
    /** Modified z-score beyond which a value is anomalous. */
    score: z.number().positive().default(3.5),
    direction: z.enum(['drop', 'rise', 'both']),
  }),
])

const ruleSchema = z
  .strictObject({
    name: z.string().regex(/^[a-z][a-z0-9_]*$/, 'lower-case letters, digits and _'),
    /** A count — or, with `per`, a ratio; or else an `expression` over named `vars`. */
    series: seriesRef.optional(),
    /** For a ratio: the series divided by this one (e.g. card bound ÷ registered). */
    per: seriesRef.optional(),
    /** Arithmetic over the window sums of `vars`: e.g. "(invest + order) / register". */
    expression: z.string().min(1).optional(),
    vars: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a plain name'), seriesRef).optional(),
    /** The var whose count the minimum volume applies to (an expression's; default the first). */
    volume: z.string().optional(),
    /** How values print in annotations; a ratio's default is percent. */
    format: z.enum(['percent', 'number']).optional(),
    /** Breakdown labels: one state machine per value combination. */
    by: z.array(z.enum(['channel_group', 'platform', 'event'])).default([]),
    /** Labels ranked to explain a breach (see explain-change.ts). */
    explainBy: z.array(z.enum(['channel_group', 'platform', 'event'])).default([]),
    window: duration.default(15 * 60_000),
    condition,
    for: duration.default(0),
    keepFiringFor: duration.default(5 * 60_000),
    repeatEvery: duration.default(4 * 3_600_000),
    noData: z.enum(['clear', 'breach', 'keep']).default('keep'),
    /** Below this volume in the window (the count, or the ratio's denominator) the rule stays quiet. */
    minVolume: z.number().nonnegative().default(0),
    severity: z.enum(['page', 'ticket', 'info']),
    labels: z.record(z.string(), z.string()).default({}),
    /** Templates: {{value}}, {{baseline}}, {{score}}, {{volume}}, {{labels.X}}, {{explanation}}. */
    annotations: z.record(z.string(), z.string()).default({}),
  })
  .superRefine((r, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message })
    if ((r.series === undefined) === (r.expression === undefined))
      issue('series', 'a rule has either a series (with an optional per) or an expression with vars')
    if (r.expression !== undefined) {
      if (r.per !== undefined) issue('per', 'per goes with series, not with an expression')
      const vars = r.vars ?? {}
      if (Object.keys(vars).length === 0) issue('vars', 'an expression needs the series it names')
      if (r.volume !== undefined && !(r.volume in vars)) issue('volume', `"${r.volume}" is not one of vars`)
      try {
        expressionFormula(r.expression, vars, '')
      } catch (err) {
        issue('expression', (err as Error).message)
      }
    }
    if (r.condition.type === 'anomaly' && r.per === undefined && r.minVolume === 0)
      issue('minVolume', 'an anomaly rule on a count or an expression needs a minimum volume')
  })
  .transform((r) => ({ ...r, formula: formulaOf(r) }))

function formulaOf(r: {
  series?: z.output<typeof seriesRef> | undefined
  per?: z.output<typeof seriesRef> | undefined
  expression?: string | undefined
  vars?: Record<string, z.output<typeof seriesRef>> | undefined
  volume?: string | undefined
}): Formula {
  if (r.series) return r.per ? ratioFormula(r.series, r.per) : countFormula(r.series)
  const vars = r.vars ?? {}
  return expressionFormula(r.expression ?? '', vars, r.volume ?? Object.keys(vars)[0] ?? '')
}

export const alertRulesSchema = z.strictObject({
  $comment: z.string().optional(),
  /** How often every rule is evaluated. */
  interval: duration.default(60_000),
  rules: z
    .array(ruleSchema)
    .min(1)
    .superRefine((rules, ctx) => {
      const names = rules.map((r) => r.name)
      const twice = [...new Set(names.filter((n, i) => names.indexOf(n) !== i))]
      if (twice.length > 0)
        ctx.addIssue({ code: 'custom', message: `rule names used twice: ${twice.join(', ')}` })
    }),
})

export type AlertRules = z.output<typeof alertRulesSchema>
export type AlertRule = AlertRules['rules'][number]
