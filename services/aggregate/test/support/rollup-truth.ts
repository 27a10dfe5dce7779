import type { EnrichedEvent } from '@opstream/runtime/contract/generated/enriched-event'
import type { EventVolumeRow } from '../../src/queries/event-volume.ts'
import type { LadderRow, PurchaseIntervalRow } from '../../src/queries/purchase-ladder.ts'
import { isoDay as day, monday, money, units } from './money-units.ts'

const byKey = <T extends object>(rows: Map<string, T>) =>
  [...rows.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, r]) => r)

/** Events per day, name, visit channel group and platform, counted here from the events as sent. */
export function volumeOf(events: EnrichedEvent[]): EventVolumeRow[] {
  const rows = new Map<string, EventVolumeRow & { units: bigint }>()
  for (const e of events) {
    const r = {
      day: day(e.event.occurred_at),
      event: e.event.event,
      channel_group: e.attribution.channel.group,
      platform: e.event.app.platform,
    }
    const key = [r.day, r.event, r.channel_group, r.platform].join('\u0001')
    const row = rows.get(key) ?? { ...r, events: 0, amount: '', units: 0n }
    row.events += 1
    row.units += e.event.purchase ? units(e.event.purchase.amount) : 0n
    rows.set(key, row)
  }
  return byKey(rows).map(({ units: u, ...r }) => ({ ...r, amount: money(u) }))
}

/**
 * The purchase ladder by registration week and acquisition group, from each person's purchases
 * in the events as sent: users[k-1] = persons with at least k purchases.
 */
export function weeklyLadderOf(events: EnrichedEvent[]): LadderRow[] {
  const persons = new Map<string, { cohort: string; group: string; purchases: number }>()
  for (const e of events) {
    if (!e.acquisition || !e.event.purchase) continue
    const p = persons.get(e.person_key) ?? {
      cohort: monday(e.acquisition.registered_at),
      group: e.acquisition.channel.group,
      purchases: 0,
    }
    p.purchases += 1
    persons.set(e.person_key, p)
  }
  const rows = new Map<string, LadderRow>()
  for (const p of persons.values()) {
    const key = `${p.cohort}\u0001${p.group}`
    const row = rows.get(key) ?? {
      cohort: p.cohort,
      acquisition_group: p.group,
      users: [0, 0, 0, 0, 0],
      repurchase_rate: null,
    }
    for (let k = 1; k <= Math.min(5, p.purchases); k++) row.users[k - 1] = (row.users[k - 1] ?? 0) + 1
    rows.set(key, row)
  }
  return byKey(rows).map((r) => {
    const [first = 0, second = 0] = r.users
    return { ...r, repurchase_rate: first > 0 ? money((BigInt(second) * 10_000n) / BigInt(first)) : null }
  })
}

/**
 * Median days between consecutive purchases (by purchase number) per registration week and
 * acquisition group, computed here from the events as sent; the median of an even count is the
 * mean of the middle two.
 */
export function weeklyIntervalsOf(events: EnrichedEvent[]): PurchaseIntervalRow[] {
  const persons = new Map<string, { cohort: string; group: string; times: Map<number, number> }>()
  for (const e of events) {
    const nth = e.counters.nth_purchase
    if (!e.acquisition || !e.event.purchase || nth === null) continue
    const p = persons.get(e.person_key) ?? {
      cohort: monday(e.acquisition.registered_at),
      group: e.acquisition.channel.group,
      times: new Map(),
    }
    p.times.set(nth, e.event.occurred_at.getTime())
    persons.set(e.person_key, p)
  }
  const gaps = new Map<string, { cohort: string; group: string; days: number[] }>()
  for (const p of persons.values()) {
    for (const [nth, at] of p.times) {
      const before = p.times.get(nth - 1)
      if (before === undefined) continue
      const key = `${p.cohort}\u0001${p.group}`
      const g = gaps.get(key) ?? { cohort: p.cohort, group: p.group, days: [] }
      g.days.push((at - before) / 86_400_000)
      gaps.set(key, g)
    }
  }
  return byKey(gaps).map((g) => {
    const d = [...g.days].sort((a, b) => a - b)
    const mid = Math.floor(d.length / 2)
    const median = d.length % 2 === 1 ? (d[mid] as number) : ((d[mid - 1] as number) + (d[mid] as number)) / 2
    return {
      cohort: g.cohort,
      acquisition_group: g.group,
      intervals: d.length,
      median_days: Math.round(median * 1e6) / 1e6,
    }
  })
}
