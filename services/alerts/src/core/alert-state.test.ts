import { describe, expect, it } from 'vitest'
import { NORMAL, type SeriesState, step, type Timing } from './alert-state.ts'

const M = 60_000
const timing: Timing = { forMs: 3 * M, keepFiringForMs: 5 * M, repeatEveryMs: 30 * M, noData: 'keep' }

/** Feeds one evaluation a minute; returns the transitions by minute. */
function run(pattern: Array<boolean | null>, t: Timing = timing) {
  let s: SeriesState = NORMAL
  const out: string[] = []
  pattern.forEach((b, minute) => {
    const r = step(s, minute * M, b, t)
    s = r.state
    if (r.transition) out.push(`${minute}:${r.transition}`)
  })
  return { out, state: s }
}

describe('alert state machine', () => {
  it('fires after the condition held for `for`, resolves after `keepFiringFor` clear', () => {
    const pattern = [false, true, true, true, true, true, false, false, false, false, false, false]
    // pending at 1; 1 + 3 min = 4 → firing; last breach at 5; clear from 6; 5 + 5 = 10 → resolved
    expect(run(pattern).out).toEqual(['1:pending', '4:firing', '10:resolved'])
  })

  it('a breach shorter than `for` never fires', () => {
    expect(run([true, true, false, true, false]).out).toEqual([
      '0:pending',
      '2:cancelled',
      '3:pending',
      '4:cancelled',
    ])
  })

  it('keeps firing through short gaps (hysteresis) and reminds every repeat interval', () => {
    const pattern = Array.from({ length: 70 }, (_, m) => !(m === 20 || m === 21))
    const { out, state } = run(pattern)
    // firing at 3; a two-minute gap does not resolve; reminders at 33 and 63
    expect(out).toEqual(['0:pending', '3:firing', '33:reminder', '63:reminder'])
    expect(state.phase).toBe('firing')
  })

  it('handles no data as the rule says', () => {
    expect(run([true, null, null, null], { ...timing, noData: 'keep' }).out).toEqual(['0:pending'])
    expect(run([true, null, null, null], { ...timing, noData: 'breach' }).out).toEqual([
      '0:pending',
      '3:firing',
    ])
    expect(run([true, null], { ...timing, noData: 'clear' }).out).toEqual(['0:pending', '1:cancelled'])
    expect(run([true], { ...timing, forMs: 0 }).out).toEqual(['0:firing'])
  })
})
