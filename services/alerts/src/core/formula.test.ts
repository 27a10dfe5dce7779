import { describe, expect, it } from 'vitest'
import { alertRulesSchema } from './alert-rules.ts'
import { evaluateRule } from './evaluate-rule.ts'
import { explainChange } from './explain-change.ts'

const M = 60_000
const AT = Date.parse('2026-11-23T10:00:00Z')
const invest = { metric: 'events', event: 'invest' }
const order = { metric: 'events', event: 'order' }
const register = { metric: 'events', event: 'register' }

const base = {
  name: 'purchases_per_registration',
  severity: 'ticket',
  window: '10m',
  expression: '(invest + order) / register * 100',
  vars: { invest, order, register },
  volume: 'register',
  condition: { type: 'threshold', op: 'below', value: 40 },
}
const parse = (r: object) => alertRulesSchema.safeParse({ rules: [r] })

/** `perMinute` in each of the 10 minutes before AT. */
const minutes = (perMinute: number) =>
  new Map(Array.from({ length: 10 }, (_, i) => [AT - (i + 1) * M, perMinute]))

describe('expressions over series', () => {
  it('evaluates arithmetic over the window sums, with the volume of the named var', () => {
    const rule = parse(base).data?.rules[0]
    if (!rule) throw new Error('rule did not parse')
    // (10·2 + 10·1) / (10·100) · 100 = 3 purchases per 100 registrations, below 40.
    const e = evaluateRule(rule, AT, { invest: minutes(2), order: minutes(1), register: minutes(100) })
    expect(e).toMatchObject({ value: 3, volume: 1000, breached: true })
    // No registrations: undefined (a division by zero), not a breach.
    expect(evaluateRule(rule, AT, { invest: minutes(2), register: new Map() }).value).toBeNull()
  })

  it('refuses calls, members, unknown names and a rule with both a series and an expression', () => {
    const messages = (r: object) => parse(r).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`)
    expect(messages({ ...base, expression: 'Math.max(invest, order)' })).toEqual([
      'rules.0.expression: only numbers, series names, + - * / and parentheses are allowed (found CallExpression)',
    ])
    expect(messages({ ...base, expression: 'invest / refunds' })).toEqual([
      'rules.0.expression: "refunds" is not one of the rule\'s vars',
    ])
    expect(messages({ ...base, expression: 'invest +' })?.[0]).toMatch(/^rules\.0\.expression: cannot parse/)
    expect(messages({ ...base, series: invest })).toEqual([
      'rules.0.series: a rule has either a series (with an optional per) or an expression with vars',
    ])
    expect(messages({ ...base, volume: 'refunds' })).toEqual(['rules.0.volume: "refunds" is not one of vars'])
  })

  it('explains an expression’s change by the same counterfactual as a ratio', () => {
    const rule = parse(base).data?.rules[0]
    if (!rule) throw new Error('rule did not parse')
    // Baidu 20 + 10 purchases of 500 registrations before, 5 + 0 now; WeChat 10 + 0 of 500, 10 + 0.
    // Total (30 + 10)/1000·100 = 4 → (5 + 10)/1000·100 = 1.5; had Baidu kept its numbers, 4:
    // Baidu explains (1.5 − 4)/(1.5 − 4) = 100 %.
    const r = explainChange(
      [
        {
          element: 'Baidu',
          before: { invest: 20, order: 10, register: 500 },
          now: { invest: 5, order: 0, register: 500 },
        },
        { element: 'WeChat', before: { invest: 10, register: 500 }, now: { invest: 10, register: 500 } },
      ],
      rule.formula.compute,
    )
    expect([r.before, r.now]).toEqual([4, 1.5])
    expect(r.explained).toEqual([{ element: 'Baidu', power: 1, before: 6, now: 1 }])
  })
})
