/**
 * What a daily or weekly report says, gathered from the rollups by the console's own queries:
 * the key figures against the previous period and the same period a week earlier, the first
 * funnel by channel group, the channel economics, the top movers with the breakdown that explains
 * each (the alerts' explanation method), the alerts that fired and the triggers' conversions.
 */
import { type FunnelStepRow, funnelSteps } from '@opstream/aggregate/queries/funnels'
import { type TriggerOutcomeRow, triggerOutcomes } from '@opstream/aggregate/queries/triggers'
import { type Explanation, explainChange } from '@opstream/alerts/core/explain-change'
import { type ClickHouseClient, queryRows } from '@opstream/runtime/clickhouse-client'
import { type AlertRow, alertHistory } from '../queries/alerts-page.ts'
import { type ChannelRow, channelTable } from '../queries/channels.ts'
import { funnelNames } from '../queries/funnels-page.ts'
import { KPI_KEYS, type Kpis, periodKpis, shiftDay } from '../queries/overview.ts'

export type Period = 'day' | 'week'

export interface Range {
  from: string
  to: string
}

export interface Mover {
  /** The channel group that moved, and by how much (registrations). */
  group: string
  before: number
  now: number
  /** The sources within the group that explain the change, strongest first. */
  explained: Explanation[]
}

export interface ReportData {
  period: Period
  range: Range
  previous: Range
  /** The same period a week earlier (for a weekly report, the week before the previous one). */
  weekEarlier: Range
  kpis: Array<{
    key: (typeof KPI_KEYS)[number]
    now: Kpis[keyof Kpis]
    previous: Kpis[keyof Kpis]
    weekEarlier: Kpis[keyof Kpis]
  }>
  funnel: { name: string; steps: FunnelStepRow[] }
  channels: ChannelRow[]
  movers: Mover[]
  alerts: AlertRow[]
  triggers: TriggerOutcomeRow[]
}

/** The period holding `date`: the day itself, or its ISO week (Monday to Sunday). */
export function periodRanges(
  period: Period,
  date: string,
): { range: Range; previous: Range; weekEarlier: Range } {
  if (period === 'day') {
    const one = (d: string) => ({ from: d, to: d })
    return { range: one(date), previous: one(shiftDay(date, -1)), weekEarlier: one(shiftDay(date, -7)) }
  }
  const weekday = (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7
  const monday = shiftDay(date, -weekday)
  const week = (back: number) => ({ from: shiftDay(monday, -7 * back), to: shiftDay(monday, 6 - 7 * back) })
  return { range: week(0), previous: week(1), weekEarlier: week(2) }
}

const MOVERS_SQL = `
SELECT acquisition_group AS grp, acquisition_source AS src,
  toUInt32(sumIf(registrations, day BETWEEN {pfrom:Date} AND {pto:Date})) AS before,
  toUInt32(sumIf(registrations, day BETWEEN {from:Date} AND {to:Date})) AS now
FROM channel_daily
WHERE day BETWEEN {pfrom:Date} AND {to:Date}
GROUP BY grp, src`

/** The channel groups whose registrations moved most, each with the sources that explain it. */
async function movers(reader: ClickHouseClient, range: Range, previous: Range, top = 3): Promise<Mover[]> {
  const rows = await queryRows<{ grp: string; src: string; before: number; now: number }>(
    reader,
    MOVERS_SQL,
    {
      ...range,
      pfrom: previous.from,
      pto: previous.to,
    },
  )
  const groups = [...new Set(rows.map((r) => r.grp))]
  return groups
    .map((group) => {
      const own = rows.filter((r) => r.grp === group)
      const { before, now, explained } = explainChange(
        own.map((r) => ({ element: r.src, before: { n: r.before }, now: { n: r.now } })),
        (s) => s.n ?? 0,
      )
      // Traffic without a source (direct) is the group itself: nothing to explain it by.
      return { group, before, now, explained: explained.filter((e) => e.element !== '') }
    })
    .filter((m) => m.now !== m.before)
    .sort((a, b) => Math.abs(b.now - b.before) - Math.abs(a.now - a.before))
    .slice(0, top)
}

export async function gatherReport(
  reader: ClickHouseClient,
  period: Period,
  date: string,
): Promise<ReportData> {
  const { range, previous, weekEarlier } = periodRanges(period, date)
  const names = await funnelNames(reader, shiftDay(range.to, -365))
  const funnel = names[0] ?? ''
  const [now, before, earlier, steps, channels, moved, alerts, triggers] = await Promise.all([
    periodKpis(reader, range),
    periodKpis(reader, previous),
    periodKpis(reader, weekEarlier),
    funnel ? funnelSteps(reader, { funnel, ...range }) : Promise.resolve([]),
    channelTable(reader, range),
    movers(reader, range, previous),
    alertHistory(reader, { ...range, state: 'firing' }),
    triggerOutcomes(reader, period === 'day' ? 'day' : 'week', range),
  ])
  return {
    period,
    range,
    previous,
    weekEarlier,
    kpis: KPI_KEYS.map((key) => ({ key, now: now[key], previous: before[key], weekEarlier: earlier[key] })),
    funnel: { name: funnel, steps },
    channels,
    movers: moved,
    alerts,
    triggers,
  }
}
