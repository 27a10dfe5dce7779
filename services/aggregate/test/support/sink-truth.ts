import type { EnrichedEvent } from '@opstream/runtime/contract/generated/enriched-event'
import { money, units } from './money-units.ts'

/** The numbers the sink must reproduce, computed here from the events as sent. */
export function sinkTruth(events: EnrichedEvent[]) {
  const byEvent = new Map<string, number>()
  let invested = 0n
  let links = 0
  let acquired = 0
  for (const e of events) {
    if (e.acquisition) acquired += 1
    byEvent.set(e.event.event, (byEvent.get(e.event.event) ?? 0) + 1)
    if (e.event.purchase) invested += units(e.event.purchase.amount)
    if (e.event.user_id && ['register', 'login', 'identify'].includes(e.event.event)) links += 1
  }
  const amount = money(invested)
  return {
    rows: events.length,
    byEvent: Object.fromEntries([...byEvent].sort()),
    amount,
    links,
    // Every register event carries the acquisition it froze; purchases come after registration.
    rollup: { events: acquired, registrations: byEvent.get('register') ?? 0, amount },
  }
}

export const SINK_QUERIES = [
  'SELECT toUInt32(count()) AS rows, toUInt32(uniqExact(event_id)) AS ids, toDecimalString(sum(amount), 4) AS amount FROM events',
  'SELECT event, toUInt32(count()) AS n FROM events GROUP BY event ORDER BY event',
  'SELECT toUInt32(count()) AS n FROM identities',
  `SELECT toUInt32(sum(events)) AS events, toUInt32(sum(registrations)) AS registrations,
     toDecimalString(sum(invested_amount), 4) AS amount FROM channel_daily`,
]
