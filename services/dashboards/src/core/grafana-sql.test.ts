import { describe, expect, it } from 'vitest'
import { ALL, interpolate, type QueryContext } from './grafana-sql.ts'

// 2026-11-01 00:00:00 UTC and 2026-11-29 12:30:00 UTC.
const ctx = (variables: QueryContext['variables'] = {}, intervalMs = 3_600_000): QueryContext => ({
  from: new Date('2026-11-01T00:00:00Z'),
  to: new Date('2026-11-29T12:30:00Z'),
  intervalMs,
  variables,
})

describe('Grafana and the ClickHouse plugin on a panel’s SQL', () => {
  it('expand the backend’s time macros as pkg/macros/macros.go writes them', () => {
    const at = (sql: string, intervalMs?: number) => interpolate(sql, ctx({}, intervalMs))
    expect(at('$__timeFilter(minute)')).toBe(
      'minute >= toDateTime(1793491200) AND minute <= toDateTime(1795955400)',
    )
    expect(at('$__timeFilter_ms( at )')).toBe(
      'at >= fromUnixTimestamp64Milli(1793491200000) AND at <= fromUnixTimestamp64Milli(1795955400000)',
    )
    expect(at('$__dateFilter(day)')).toBe("day >= toDate('2026-11-01') AND day <= toDate('2026-11-29')")
    expect(at('$__dt(day, at)')).toBe(
      "(day >= toDate('2026-11-01') AND day <= toDate('2026-11-29')) AND (at >= toDateTime(1793491200) AND at <= toDateTime(1795955400))",
    )
    expect(at('$__fromTime, $__toTime, $__fromTime_ms')).toBe(
      'toDateTime(1793491200), toDateTime(1795955400), fromUnixTimestamp64Milli(1793491200000)',
    )
    expect(at('$__timeInterval(minute)')).toBe('toStartOfInterval(toDateTime(minute), INTERVAL 3600 second)')
    expect(at('$__timeInterval_ms(at)', 1500)).toBe(
      'toStartOfInterval(toDateTime64(at, 3), INTERVAL 1500 millisecond)',
    )
    // Whole seconds, at least 1.
    expect(at('$__interval_s', 1500)).toBe('1')
    expect(at('$__interval_s', 400)).toBe('1')
    expect(at("$__timeGroup(at, '5m')")).toBe('toStartOfInterval(toDateTime(at), INTERVAL 300 second)')
    expect(at('$__timeFrom(at) AND $__timeTo(at)')).toBe(
      'at >= toDateTime(1793491200) AND at <= toDateTime(1795955400)',
    )
  })

  it('leave unknown macros for ClickHouse to refuse, and refuse a wrong argument count', () => {
    expect(interpolate('SELECT $__nope(x)', ctx())).toBe('SELECT $__nope(x)')
    expect(() => interpolate('$__timeFilter(a, b)', ctx())).toThrow('expected 1 argument(s), received 2')
    expect(() => interpolate('$__dateFilter()', ctx())).toThrow('received 0')
  })

  it('drop a $__conditionalAll filter when its variable is All, and format values as the plugin does', () => {
    const sql =
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's own ${var} form
      'WHERE $__conditionalAll(g IN ($group), $group) AND $__conditionalAll(p IN (${platform}), ${platform})'
    const options = ['Paid Search', 'Paid Social', 'Direct']
    expect(
      interpolate(sql, ctx({ group: { value: ALL, options }, platform: { value: ALL, options: ['ios'] } })),
    ).toBe('WHERE 1=1 AND 1=1')
    expect(
      interpolate(
        sql,
        ctx({
          group: { value: ['Paid Search', 'Direct'], options },
          platform: { value: ['ios'], options: ['ios'] },
        }),
      ),
    ).toBe("WHERE g IN ('Paid Search','Direct') AND p IN ('ios')")
    // An empty selection is All too.
    expect(interpolate('$__conditionalAll(g = 1, $group)', ctx({ group: { value: '', options } }))).toBe(
      '1=1',
    )
  })

  it('insert single values as they are, All as allValue or every option, and leave unknown names', () => {
    const options = ['onboarding', 'repurchase']
    expect(
      interpolate(
        // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's own ${var} form
        "funnel = '$funnel' AND [[funnel]] = ${funnel}",
        ctx({ funnel: { value: 'onboarding', options } }),
      ),
    ).toBe("funnel = 'onboarding' AND onboarding = onboarding")
    expect(interpolate('f IN ($funnel)', ctx({ funnel: { value: ALL, options } }))).toBe(
      "f IN ('onboarding','repurchase')",
    )
    expect(interpolate('f IN ($funnel)', ctx({ funnel: { value: ALL, options, allValue: 'ALL' } }))).toBe(
      'f IN (ALL)',
    )
    expect(interpolate('$unknown and $__interval_s', ctx({}, 60_000))).toBe('$unknown and 60')
  })
})
