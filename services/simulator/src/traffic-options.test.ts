import { describe, expect, it } from 'vitest'
import { HOURLY } from './core/platform-model.ts'
import { liveVisitors } from './simulation.ts'
import { trafficOf } from './traffic-options.ts'

const values = {
  history: '7d',
  rate: '200',
  rhythm: 'daily',
  daily: '400',
  seed: '1',
  model: 'finance',
  incident: [],
}

describe('the traffic flags', () => {
  it('are checked into the simulation options', () => {
    expect(trafficOf(values)).toEqual({
      seed: 1,
      model: 'finance',
      historyDays: 7,
      dailyVisitors: 400,
      rate: 200,
      rhythm: 'daily',
      incidents: [],
    })
    expect(trafficOf({ ...values, rhythm: 'flat' }).rhythm).toBe('flat')
  })

  it('refuse a bad value with its flag', () => {
    expect(() => trafficOf({ ...values, rhythm: 'hourly' })).toThrow('--rhythm hourly: daily or flat')
    expect(() => trafficOf({ ...values, rate: '-1' })).toThrow('--rate -1')
    expect(() => trafficOf({ ...values, model: 'bank' })).toThrow('--model bank')
  })
})

describe('the live rate', () => {
  // 6.9 events a visitor: the model's average journey.
  const perSecond = (rate: number) => rate / 6.9

  it('averages --rate over the day when it follows the hours', () => {
    const day = Array.from({ length: 24 }, (_, h) => liveVisitors(200, 'daily', h))
    expect(day.reduce((a, b) => a + b, 0) / 24).toBeCloseTo(perSecond(200), 9)
    // Quieter at 3 a.m. in Shanghai than at 9 p.m., in the rhythm's proportion.
    expect(liveVisitors(200, 'daily', 3) / liveVisitors(200, 'daily', 21)).toBeCloseTo(
      (HOURLY[3] as number) / (HOURLY[21] as number),
      9,
    )
  })

  it('holds --rate around the clock when flat', () => {
    for (const h of [0, 3, 12, 21]) expect(liveVisitors(200, 'flat', h)).toBeCloseTo(perSecond(200), 9)
  })
})
