/**
 * What the simulator sent, counted as it was sent (a client's second send of a message and a
 * message lost to a tracking outage count nothing): events per day, and per day and cost code —
 * the code a channel's cost is booked under — registrations, first investments and the amounts
 * invested. Days are UTC days of the event's time, as ClickHouse's rollups keep them.
 */
import type { Outgoing } from './journeys.ts'

export interface ChannelDay {
  day: string
  cost_code: string
  channel_group: string
  registrations: number
  first_investments: number
  investments: number
  /** CNY, whole yuan (the simulator invests whole amounts). */
  invested_amount: number
  first_invested_amount: number
}

export interface Truth {
  seed: number
  from: string
  to: string
  events: number
  eventsByDay: Record<string, number>
  channels: ChannelDay[]
  /** Messages sent twice by a client (not counted as events), and those sent late. */
  retries: number
  late: number
  /** Messages a bad release broke, refused by ingest into the DLQ (no events). */
  broken: number
}

export function createTruth(seed: number) {
  const byDay = new Map<string, number>()
  const byChannel = new Map<string, ChannelDay>()
  let events = 0
  let retries = 0
  let late = 0
  let broken = 0
  let first: number | undefined
  let last: number | undefined
  const channelDay = (day: string, o: Outgoing) => {
    const key = `${day}|${o.channel.expect.costCode}`
    let c = byChannel.get(key)
    if (!c) {
      c = {
        day,
        cost_code: o.channel.expect.costCode,
        channel_group: o.channel.expect.group,
        registrations: 0,
        first_investments: 0,
        investments: 0,
        invested_amount: 0,
        first_invested_amount: 0,
      }
      byChannel.set(key, c)
    }
    return c
  }
  return {
    /** Counts one message that was sent (and acknowledged). */
    sent(o: Outgoing): void {
      if (o.retry) {
        retries += 1
        return
      }
      if (o.broken) {
        broken += 1
        return
      }
      if (o.via === 'profile') return
      if (o.sendAt > o.at) late += 1
      const day = new Date(o.at).toISOString().slice(0, 10)
      first = Math.min(first ?? o.at, o.at)
      last = Math.max(last ?? o.at, o.at)
      events += 1
      byDay.set(day, (byDay.get(day) ?? 0) + 1)
      if (o.via === 'app' && o.call.event === 'register') channelDay(day, o).registrations += 1
      if (o.via === 'backend') {
        const c = channelDay(day, o)
        c.investments += 1
        c.invested_amount += o.amount
        if (o.nth === 1) {
          c.first_investments += 1
          c.first_invested_amount += o.amount
        }
      }
    },
    snapshot(): Truth {
      const iso = (t: number | undefined) => (t === undefined ? '' : new Date(t).toISOString())
      return {
        seed,
        from: iso(first),
        to: iso(last),
        events,
        eventsByDay: Object.fromEntries([...byDay].sort()),
        channels: [...byChannel.values()].sort((a, b) =>
          a.day === b.day ? (a.cost_code < b.cost_code ? -1 : 1) : a.day < b.day ? -1 : 1,
        ),
        retries,
        late,
        broken,
      }
    },
  }
}
