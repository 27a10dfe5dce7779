import type { EnrichedEvent } from '@opstream/runtime/contract/generated/enriched-event'

/** One row of the ClickHouse `events` table (infra/clickhouse/0002_events.sql), JSONEachRow-ready. */
export interface EventRow {
  event_id: string
  event: string
  occurred_at: string
  received_at: string
  anonymous_id: string
  user_id: string
  person_key: string
  platform: string
  app_id: string
  app_version: string
  session_id: string
  session_index: number
  session_started_at: string
  session_channel_group: string
  channel_group: string
  channel_source: string
  channel_medium: string
  channel_campaign: string
  channel_keyword: string
  first_touch_group: string
  first_touch_source: string
  first_touch_at: string | null
  last_touch_group: string
  last_touch_source: string
  last_touch_campaign: string
  acquisition_group: string
  acquisition_source: string
  acquisition_campaign: string
  acquisition_name: string
  registered_at: string | null
  linked_at: string | null
  pre_registration: boolean
  member_tier: string
  city: string
  province: string
  asset_band: string
  amount: string | null
  currency: string
  order_id: string
  product_id: string
  nth_purchase: number | null
  cumulative_amount: string
  first_purchase_at: string | null
  days_since_registration: number | null
  page_url: string
  page_path: string
  referrer: string
  content_id: string
  content_type: string
  placement: string
  properties: Record<string, string>
  src_partition: number
  src_offset: string
}

/** ClickHouse DateTime64(3, 'UTC') text: "2026-11-24 10:00:00.123". */
export function chTime(d: Date): string {
  return chTimeMs(d.getTime())
}

const PAD2 = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'))
const PAD3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'))
const DAY_MS = 86_400_000
/** Years 1000–9999 have four digits; the rest go through toISOString. */
const FOUR_DIGIT_YEARS: readonly [number, number] = [-30_610_224_000_000, 253_402_300_799_999]

/**
 * `chTime` of epoch milliseconds, computed with integer arithmetic (the civil-from-days
 * algorithm of H. Hinnant) instead of Date#toISOString and two replaces, a quarter of the
 * cost; rows carry several times each. Equal to the toISOString form for every date.
 */
export function chTimeMs(ms: number): string {
  if (!(ms >= FOUR_DIGIT_YEARS[0] && ms <= FOUR_DIGIT_YEARS[1]) || !Number.isInteger(ms))
    return new Date(ms).toISOString().replace('T', ' ').replace('Z', '')
  const days = Math.floor(ms / DAY_MS)
  let rest = ms - days * DAY_MS
  const hour = Math.floor(rest / 3_600_000)
  rest -= hour * 3_600_000
  const minute = Math.floor(rest / 60_000)
  rest -= minute * 60_000
  const second = Math.floor(rest / 1000)
  const milli = rest - second * 1000
  const z = days + 719_468
  const era = Math.floor(z / 146_097)
  const dayOfEra = z - era * 146_097
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  )
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100))
  const mp = Math.floor((5 * dayOfYear + 2) / 153)
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1
  const month = mp < 10 ? mp + 3 : mp - 9
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
  return `${year}-${PAD2[month]}-${PAD2[day]} ${PAD2[hour]}:${PAD2[minute]}:${PAD2[second]}.${PAD3[milli]}`
}

const chTimeOrNull = (d: Date | null | undefined): string | null => (d ? chTime(d) : null)

/** The money an event moves: purchase, recharge or withdraw amount. */
function moneyOf(e: EnrichedEvent['event']): { amount: string; currency: string } | null {
  return e.purchase ?? e.recharge ?? e.withdraw ?? null
}

/** The content an impression, click, share or page view (a read) is of. */
function contentOf(
  e: EnrichedEvent['event'],
): { content_id: string | null; content_type: string | null } | null {
  if (e.click) return { content_id: e.click.content_id, content_type: null }
  return e.impression ?? e.share ?? e.page_view ?? null
}

const ORIGIN = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i

/** The path of a URL (no origin, query or fragment); '' without one. */
export function pathOf(url: string | null): string {
  if (!url) return ''
  const rest = url.replace(ORIGIN, '')
  const end = rest.search(/[?#]/)
  const path = end === -1 ? rest : rest.slice(0, end)
  return path === '' ? '/' : path
}

export function toEventRow(x: EnrichedEvent, partition: number, offset: string): EventRow {
  const { event: e, attribution: a, acquisition: acq, user: u } = x
  const money = moneyOf(e)
  const content = contentOf(e)
  return {
    event_id: e.event_id,
    event: e.event,
    occurred_at: chTime(e.occurred_at),
    received_at: chTime(e.received_at),
    anonymous_id: e.anonymous_id,
    user_id: x.identity.user_id ?? '',
    person_key: x.person_key,
    platform: e.app.platform,
    app_id: e.app.app_id,
    app_version: e.app.app_version ?? '',
    session_id: a.session.session_id,
    session_index: a.session.index,
    session_started_at: chTime(a.session.started_at),
    session_channel_group: a.session.channel.group,
    channel_group: a.channel.group,
    channel_source: a.channel.source ?? '',
    channel_medium: a.channel.medium ?? '',
    channel_campaign: a.channel.campaign ?? '',
    channel_keyword: a.channel.keyword ?? '',
    first_touch_group: a.first_touch?.channel.group ?? '',
    first_touch_source: a.first_touch?.channel.source ?? '',
    first_touch_at: chTimeOrNull(a.first_touch?.at),
    last_touch_group: a.last_non_direct_touch?.channel.group ?? '',
    last_touch_source: a.last_non_direct_touch?.channel.source ?? '',
    last_touch_campaign: a.last_non_direct_touch?.channel.campaign ?? '',
    acquisition_group: acq?.channel.group ?? '',
    acquisition_source: acq?.channel.source ?? '',
    acquisition_campaign: acq?.channel.campaign ?? '',
    acquisition_name: acq?.channel.name ?? '',
    registered_at: chTimeOrNull(acq?.registered_at),
    linked_at: chTimeOrNull(x.identity.linked_at),
    pre_registration: x.identity.pre_registration,
    member_tier: u?.member_tier ?? '',
    city: u?.city ?? '',
    province: u?.province ?? '',
    asset_band: u?.asset_band ?? '',
    amount: money?.amount ?? null,
    currency: money?.currency ?? '',
    order_id: e.purchase?.order_id ?? '',
    product_id: e.purchase?.product_id ?? '',
    nth_purchase: x.counters.nth_purchase,
    cumulative_amount: x.counters.cumulative_amount,
    first_purchase_at: chTimeOrNull(x.counters.first_purchase_at),
    days_since_registration: x.counters.days_since_registration,
    page_url: e.page.url ?? '',
    page_path: e.page.path ?? pathOf(e.page.url),
    referrer: e.page.referrer ?? '',
    content_id: content?.content_id ?? '',
    content_type: content?.content_type ?? '',
    placement: (e.click ?? e.impression)?.placement ?? '',
    properties: e.properties,
    src_partition: partition,
    src_offset: offset,
  }
}
