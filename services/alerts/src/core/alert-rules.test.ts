import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { alertRulesSchema } from './alert-rules.ts'

describe('alert rules file', () => {
  it('the shipped rules are valid, with durations in milliseconds', () => {
    const file = alertRulesSchema.parse(
      JSON.parse(readFileSync(new URL('../../config/alert-rules.json', import.meta.url), 'utf8')),
    )
    expect(file.interval).toBe(60_000)
    const card = file.rules.find((r) => r.name === 'card_binding_conversion_drop')
    expect(card).toMatchObject({ window: 3_600_000, for: 600_000, by: ['channel_group'], minVolume: 50 })
    expect(file.rules.every((r) => r.keepFiringFor === 300_000)).toBe(true)
  })

  it('names every problem with its path', () => {
    const bad = alertRulesSchema.safeParse({
      rules: [
        { name: 'Bad Name', severity: 'loud', series: { metric: 'events' }, window: '5 min', condition: {} },
      ],
    })
    expect(bad.success).toBe(false)
    expect(bad.error?.issues.map((i) => i.path.join('.')).sort()).toEqual([
      'rules.0.condition.type',
      'rules.0.name',
      'rules.0.severity',
      'rules.0.window',
    ])
  })

  it('refuses a rule name used twice', () => {
    const rule = {
      name: 'r',
      severity: 'info',
      series: { metric: 'events' },
      condition: { type: 'threshold', op: 'above', value: 1 },
    }
    const bad = alertRulesSchema.safeParse({ rules: [rule, rule] })
    expect(bad.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([
      'rules: rule names used twice: r',
    ])
  })
})
