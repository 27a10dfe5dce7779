import { describe, expect, it } from 'vitest'
import { explainChange } from './explain-change.ts'
import { countFormula, ratioFormula } from './formula.ts'

const counting = countFormula({ metric: 'events' }).compute
const rate = ratioFormula({ metric: 'a' }, { metric: 'b' }).compute

const count = (element: string, before: number, now: number) => ({
  element,
  before: { value: before },
  now: { value: now },
})

describe('explaining a change by breakdown', () => {
  it('a count: each element’s share of the drop', () => {
    // total 1000 → 700 (−300): Toutiao −250 (83 %), Baidu −60 (20 %), WeChat +10 (−3 %)
    const r = explainChange(
      [count('Toutiao', 400, 150), count('Baidu', 400, 340), count('WeChat', 200, 210)],
      counting,
    )
    expect([r.before, r.now]).toEqual([1000, 700])
    expect(r.explained.map((e) => [e.element, Math.round(e.power * 1000) / 1000])).toEqual([
      ['Toutiao', 0.833],
    ])
  })

  it('a conversion rate: registration → card, one channel breaks', () => {
    // Toutiao 100 of 300 registrations bind a card before, 20 of 300 now; Baidu 90 of 200, 88 of 200.
    const r = explainChange(
      [
        {
          element: 'Toutiao',
          before: { numerator: 100, denominator: 300 },
          now: { numerator: 20, denominator: 300 },
        },
        {
          element: 'Baidu',
          before: { numerator: 90, denominator: 200 },
          now: { numerator: 88, denominator: 200 },
        },
      ],
      rate,
    )
    // overall 190/500 = 0.38 → 108/500 = 0.216; had Toutiao kept 100/300: 188/500 = 0.376,
    // so Toutiao explains (0.216 − 0.376)/(0.216 − 0.38) = 0.9756; Baidu (0.216 − 0.22)/−0.164 = 0.0244
    expect(r.before).toBeCloseTo(0.38, 10)
    expect(r.now).toBeCloseTo(0.216, 10)
    expect(r.explained).toHaveLength(1)
    expect(r.explained[0]?.element).toBe('Toutiao')
    expect(r.explained[0]?.power).toBeCloseTo(0.16 / 0.164, 10)
    expect(r.explained[0]?.before).toBeCloseTo(1 / 3, 10)
    expect(r.explained[0]?.now).toBeCloseTo(20 / 300, 10)
  })

  it('keeps adding elements until enough is explained; nothing for no change', () => {
    const r = explainChange([count('a', 100, 60), count('b', 100, 60), count('c', 100, 80)], counting)
    // −100 in all: a 0.4, b 0.4 (0.8 ≥ 0.67, stop), c 0.2 left out
    expect(r.explained.map((e) => e.element)).toEqual(['a', 'b'])
    expect(explainChange([count('a', 5, 5)], counting).explained).toEqual([])
  })
})
