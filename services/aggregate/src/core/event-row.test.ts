import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { chTime, chTimeMs, pathOf } from './event-row.ts'

const iso = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '')

describe('times as ClickHouse DateTime64(3) text', () => {
  it('are "YYYY-MM-DD hh:mm:ss.mmm" in UTC', () => {
    expect(chTime(new Date('2026-11-24T10:00:00.123Z'))).toBe('2026-11-24 10:00:00.123')
    expect(chTimeMs(Date.UTC(2024, 1, 29, 23, 59, 59, 5))).toBe('2024-02-29 23:59:59.005')
    expect(chTimeMs(Date.UTC(1969, 11, 31, 23, 59, 58, 500))).toBe('1969-12-31 23:59:58.500')
    expect(chTimeMs(Date.UTC(2000, 1, 29))).toBe('2000-02-29 00:00:00.000')
    expect(chTimeMs(Date.UTC(2100, 2, 1))).toBe('2100-03-01 00:00:00.000')
  })

  it('equal what Date#toISOString gives, for any millisecond of any year 0001–9999', () => {
    fc.assert(
      fc.property(fc.integer({ min: -62_135_596_800_000, max: 253_402_300_799_999 }), (ms) => {
        expect(chTimeMs(ms)).toBe(iso(ms))
      }),
      { numRuns: 20_000 },
    )
  })
})

describe('page paths from URLs', () => {
  it('drop the origin, the query and the fragment', () => {
    expect(pathOf('https://m.licai.example/funds/f1?utm_source=baidu#top')).toBe('/funds/f1')
    expect(pathOf('https://m.licai.example')).toBe('/')
    expect(pathOf('https://m.licai.example?x=1')).toBe('/')
    expect(pathOf('/articles/a7?from=share')).toBe('/articles/a7')
    expect(pathOf('pages/index/index')).toBe('pages/index/index')
    expect(pathOf(null)).toBe('')
  })
})
