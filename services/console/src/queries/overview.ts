/**
 * The Overview page's numbers: one day's key figures beside the day before and the same day a
 * week earlier, and the events of the last hour minute by minute. From the rollups only:
 * `channel_daily` (registrations, card bindings, first investments — persons with an acquisition
 * channel), `activity_daily` (active persons, new users, GMV) and `metric_points` (events per minute).
 */
import { BREAKDOWN_WHERE, type Breakdown, breakdownParams } from '@opstream/aggregate/queries/active-users'
import { type ClickHouseClient, queryRows } from '@opstream/runtime/clickhouse-client'

export const KPI_KEYS = [
  'new_users',
  'dau',
  'registrations',
  'card_bindings',
  'first_investments',
  'gmv',
  'conversion',
] as const
export type KpiKey = (typeof KPI_KEYS)[number]

/** A figure on the day asked for, the day before and the same weekday a week before. */
export interface Kpi {
  key: KpiKey
  /** Counts as numbers; money and rates as decimal strings (4 places); null when undefined. */
  day: number | string | null
  previousDay: number | string | null
  weekBefore: number | string | null
}

export interface Overview {
  day: string
  kpis: Kpi[]
  /** The 60 minutes up to `until`, each with its events (0 where none). */
  perMinute: Array<{ minute: string; events: number }>
}

const FUNNEL_SQL = `
SELECT toUInt32(sum(registrations)) AS registrations, toUInt32(sum(card_bindings)) AS card_bindings,
  toUInt32(sum(first_investments)) AS first_investments
FROM channel_daily
WHERE day BETWEEN {from:Date} AND {to:Date} AND ${BREAKDOWN_WHERE}`

/** Over a range of days the active persons are those active on any of them (states merged). */
const ACTIVITY_SQL = `
SELECT toUInt32(uniqExactMerge(persons)) AS dau, toUInt32(uniqExactMerge(new_users)) AS new_users,
  toDecimalString(sum(gmv), 4) AS gmv
FROM activity_daily
WHERE day BETWEEN {from:Date} AND {to:Date} AND ${BREAKDOWN_WHERE}`

/** The visit channel group (where the events came from now), not the acquisition channel. */
const PER_MINUTE_SQL = `
SELECT toString(minute) AS at, toUInt32(sum(value)) AS events
FROM metric_points
WHERE metric = 'events' AND minute > {until:DateTime('UTC')} - INTERVAL 60 MINUTE AND minute <= {until:DateTime('UTC')}
  AND ({group:String} = '' OR channel_group = {group:String})
  AND ({platform:String} = '' OR platform = {platform:String})
GROUP BY minute ORDER BY minute`

interface FunnelRow {
  registrations: number
  card_bindings: number
  first_investments: number
}
interface ActivityRow {
  dau: number
  new_users: number
  gmv: string
}

export type Kpis = Record<KpiKey, number | string | null>

/** The key figures of the days [from, to], taken together. */
export async function periodKpis(
  client: ClickHouseClient,
  range: { from: string; to: string },
  b: Breakdown = {},
): Promise<Kpis> {
  const params = { ...range, ...breakdownParams(b) }
  const [[f], [a]] = await Promise.all([
    queryRows<FunnelRow>(client, FUNNEL_SQL, params),
    queryRows<ActivityRow>(client, ACTIVITY_SQL, params),
  ])
  return {
    new_users: a?.new_users ?? 0,
    dau: a?.dau ?? 0,
    registrations: f?.registrations ?? 0,
    card_bindings: f?.card_bindings ?? 0,
    first_investments: f?.first_investments ?? 0,
    gmv: a?.gmv ?? '0.0000',
    conversion: ratio(f?.first_investments ?? 0, f?.registrations ?? 0),
  }
}

export async function overview(
  client: ClickHouseClient,
  day: string,
  until: Date,
  b: Breakdown = {},
): Promise<Overview> {
  const single = (d: string) => periodKpis(client, { from: d, to: d }, b)
  const [now, previous, weekBefore, minutes] = await Promise.all([
    single(day),
    single(shiftDay(day, -1)),
    single(shiftDay(day, -7)),
    queryRows<{ at: string; events: number }>(client, PER_MINUTE_SQL, {
      until: minuteOf(until.getTime()),
      group: b.group ?? '',
      platform: b.platform ?? '',
    }),
  ])
  return {
    day,
    kpis: KPI_KEYS.map((key) => ({
      key,
      day: now[key],
      previousDay: previous[key],
      weekBefore: weekBefore[key],
    })),
    perMinute: fillMinutes(minutes, until),
  }
}

/** first investments ÷ registrations to 4 places (truncated, as ClickHouse's decimals are); null without registrations. */
export function ratio(n: number, d: number): string | null {
  if (d === 0) return null
  const scaled = Math.floor((n * 10_000) / d)
  return `${Math.floor(scaled / 10_000)}.${String(scaled % 10_000).padStart(4, '0')}`
}

export function shiftDay(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)
}

/** The minute holding `ms`, as ClickHouse writes a DateTime in UTC. */
function minuteOf(ms: number): string {
  return new Date(Math.floor(ms / 60_000) * 60_000).toISOString().slice(0, 19).replace('T', ' ')
}

function fillMinutes(rows: Array<{ at: string; events: number }>, until: Date) {
  const by = new Map(rows.map((r) => [r.at, r.events]))
  return Array.from({ length: 60 }, (_, i) => {
    const minute = minuteOf(until.getTime() - (59 - i) * 60_000)
    return { minute, events: by.get(minute) ?? 0 }
  })
}
