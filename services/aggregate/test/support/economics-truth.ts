import type { Channel } from '@opstream/runtime/contract/generated/channel'
import type { EnrichedEvent } from '@opstream/runtime/contract/generated/enriched-event'
import type { ChannelEconomicsRow } from '../../src/queries/channel-economics.ts'
import { money, units } from './money-units.ts'

/** Catalog records with daily costs for the stream's campaigns, and one campaign nobody came from. */
export function channelCosts(): Channel[] {
  const days = (n: number, from = 1) =>
    Array.from({ length: n }, (_, i) => `2026-11-${String(from + i).padStart(2, '0')}`)
  const entry = (code: string, group: string, amounts: Array<[string, string]>): Channel => ({
    code,
    name: `campaign ${code}`,
    channel_group: group,
    owner: 'growth',
    costs: amounts.map(([date, amount]) => ({ date, amount, currency: 'CNY' })),
    updated_at: new Date('2026-11-24T00:00:00Z'),
  })
  return [
    entry(
      'bd_brand',
      'Paid Search',
      days(25).map((d, i) => [d, `${1_000 + i * 37}.5000`]),
    ),
    entry(
      'tt_1124',
      'Paid Social',
      days(20, 3).map((d, i) => [d, `${2_500 + i * 11}.2500`]),
    ),
    entry(
      'wx_moments',
      'Paid Social',
      days(10).map((d) => [d, '777.7700']),
    ),
    entry('ghost', 'Paid Other', [['2026-11-03', '300.0000']]),
  ]
}

/**
 * Channel economics computed here, in plain code, from the events and catalog records as they
 * were sent — the truth the rollup-based query must reproduce. Decimal division truncates to
 * 4 places, as ClickHouse's does.
 */
export function economicsOf(events: EnrichedEvent[], catalog: Channel[]): ChannelEconomicsRow[] {
  const rows = new Map<string, ChannelEconomicsRow & { cost_units: bigint; inv: bigint; first: bigint }>()
  const row = (day: string, code: string) => {
    const key = `${day}|${code}`
    let r = rows.get(key)
    if (!r) {
      r = {
        day,
        cost_code: code,
        acquisition_group: '',
        acquisition_source: '',
        acquisition_campaign: '',
        events: 0,
        registrations: 0,
        verifications: 0,
        card_bindings: 0,
        first_investments: 0,
        investments: 0,
        invested_amount: '',
        first_invested_amount: '',
        cost: '',
        cost_per_registration: null,
        cac: null,
        invested_per_cost: null,
        cost_units: 0n,
        inv: 0n,
        first: 0n,
      }
      rows.set(key, r)
    }
    return r
  }
  for (const e of events) {
    const acq = e.acquisition?.channel
    if (!acq) continue
    const r = row(e.event.occurred_at.toISOString().slice(0, 10), acq.campaign ?? acq.source ?? '')
    r.acquisition_group = acq.group
    r.acquisition_source = acq.source ?? ''
    r.acquisition_campaign = acq.campaign ?? ''
    r.events += 1
    if (e.event.event === 'register') r.registrations += 1
    if (e.event.event === 'real_name_verified') r.verifications += 1
    if (e.event.event === 'bind_card') r.card_bindings += 1
    const nth = e.counters.nth_purchase
    if (nth !== null && e.event.purchase) {
      r.investments += 1
      r.inv += units(e.event.purchase.amount)
      if (nth === 1) {
        r.first_investments += 1
        r.first += units(e.event.purchase.amount)
      }
    }
  }
  for (const c of catalog) {
    for (const cost of c.costs) {
      const r = row(cost.date, c.code)
      if (!r.acquisition_group) r.acquisition_group = c.channel_group
      r.cost_units = units(cost.amount)
    }
  }
  return [...rows.values()]
    .map(({ cost_units: cost, inv, first, ...r }) => ({
      ...r,
      invested_amount: money(inv),
      first_invested_amount: money(first),
      cost: money(cost),
      cost_per_registration: r.registrations > 0 && cost > 0n ? money(cost / BigInt(r.registrations)) : null,
      cac: r.first_investments > 0 && cost > 0n ? money(cost / BigInt(r.first_investments)) : null,
      invested_per_cost: cost > 0n ? money((inv * 10_000n) / cost) : null,
    }))
    .sort((a, b) => (a.day === b.day ? (a.cost_code < b.cost_code ? -1 : 1) : a.day < b.day ? -1 : 1))
}
