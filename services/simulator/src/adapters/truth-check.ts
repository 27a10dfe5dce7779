/**
 * The truth against ClickHouse: events per day in `events`, and per day and cost code the
 * registrations, first investments, investments and amounts in `channel_daily` — each a
 * difference when they are not equal. Amounts compare as whole yuan.
 */
import { type ClickHouseClient, queryRows } from '@opstream/runtime/clickhouse-client'
import type { ChannelDay, Truth } from '../core/truth.ts'

export interface TruthDifference {
  what: string
  sent: number | string
  clickhouse: number | string
}

type Fields = Omit<ChannelDay, 'day' | 'cost_code' | 'channel_group'>
const FIELDS: Array<keyof Fields> = [
  'registrations',
  'first_investments',
  'investments',
  'invested_amount',
  'first_invested_amount',
]

export async function compareTruth(client: ClickHouseClient, truth: Truth): Promise<TruthDifference[]> {
  const days = Object.keys(truth.eventsByDay)
  if (days.length === 0) return []
  const range = { from: days[0], to: days[days.length - 1] }
  const events = await queryRows<{ on_day: string; n: string }>(
    client,
    `SELECT toString(toDate(occurred_at)) AS on_day, count() AS n FROM events
     WHERE toDate(occurred_at) BETWEEN {from:Date} AND {to:Date} GROUP BY on_day`,
    range,
  )
  const channels = await queryRows<ChannelDay>(
    client,
    `SELECT toString(day) AS on_day_s, cost_code, any(acquisition_group) AS channel_group,
       toUInt32(sum(registrations)) AS registrations, toUInt32(sum(first_investments)) AS first_investments,
       toUInt32(sum(investments)) AS investments, toFloat64(sum(invested_amount)) AS invested_amount,
       toFloat64(sum(first_invested_amount)) AS first_invested_amount
     FROM channel_daily WHERE day BETWEEN {from:Date} AND {to:Date}
     GROUP BY on_day_s, cost_code`,
    range,
  ).then((rows) => rows.map((r) => ({ ...r, day: (r as unknown as { on_day_s: string }).on_day_s })))
  const out: TruthDifference[] = []
  const got = new Map(events.map((e) => [e.on_day, Number(e.n)]))
  for (const [day, n] of Object.entries(truth.eventsByDay))
    if (got.get(day) !== n) out.push({ what: `events on ${day}`, sent: n, clickhouse: got.get(day) ?? 0 })
  const byKey = new Map(channels.map((c) => [`${c.day}|${c.cost_code}`, c]))
  const sentKeys = new Set<string>()
  for (const t of truth.channels) {
    const key = `${t.day}|${t.cost_code}`
    sentKeys.add(key)
    const c = byKey.get(key)
    for (const f of FIELDS)
      if (Math.round(Number(c?.[f] ?? 0)) !== t[f])
        out.push({
          what: `${f} of ${t.cost_code || '(direct)'} on ${t.day}`,
          sent: t[f],
          clickhouse: Number(c?.[f] ?? 0),
        })
    if (c && c.channel_group !== t.channel_group)
      out.push({
        what: `group of ${t.cost_code} on ${t.day}`,
        sent: t.channel_group,
        clickhouse: c.channel_group,
      })
  }
  // What ClickHouse holds that was never sent (registrations or purchases under another code).
  for (const [key, c] of byKey)
    if (!sentKeys.has(key) && (c.registrations > 0 || c.investments > 0))
      out.push({
        what: `${key} not sent`,
        sent: 0,
        clickhouse: `${c.registrations} registrations, ${c.investments} investments`,
      })
  return out
}
