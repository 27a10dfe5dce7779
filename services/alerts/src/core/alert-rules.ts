import { z } from 'zod'

/**
 * Alert rules (config/alert-rules.json), validated: each rule watches one metric series from
 * `metric_series` — a count, or a ratio of two counts (a funnel step's conversion) — optionally
 * broken down by labels, over an evaluation window, with a condition, a `for` duration, a
 * minimum volume, severity, labels and templated annotations.
 */
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
    series: seriesRef,
    /** For a ratio: the series divided by this one (e.g. card bound ÷ registered). */
    per: seriesRef.optional(),
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
    if (r.condition.type === 'anomaly' && r.per === undefined && r.minVolume === 0)
      ctx.addIssue({
        code: 'custom',
        path: ['minVolume'],
        message: 'an anomaly rule on a count needs a minimum volume',
      })
  })

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
