import type { Opstream as A } from '@opstream/runtime/contract/generated/attributed-event'
import type { EnrichedEvent } from '@opstream/runtime/contract/generated/enriched-event'
import type { InboundMessage } from '@opstream/runtime/kafka-types'
import { channelInfo } from '@opstream/runtime/testing/channel-info'
import { sampleEvent } from '@opstream/runtime/testing/sample-events'
import { seededRandom } from '@opstream/runtime/testing/seeded-random'

const CHANNELS: A.ChannelInfo[] = [
  { ...channelInfo('Paid Search', 'Baidu'), medium: 'cpc', campaign: 'bd_brand' },
  { ...channelInfo('Paid Social', 'toutiao'), medium: 'feed', campaign: 'tt_1124' },
  { ...channelInfo('Paid Social', 'WeChat'), medium: 'moments', campaign: 'wx_moments' },
  channelInfo('Organic Search', 'Baidu'),
  channelInfo('Direct'),
]
const PLATFORMS = ['ios', 'android', 'h5', 'miniprogram'] as const
const STEPS = ['register', 'real_name_verified', 'bind_card', 'invest'] as const

/**
 * A deterministic stream of enriched events as enrich's profile stage emits them: persons visit
 * from a channel (keyed by their device), some go on through registration (keyed by the user
 * from then on), real-name verification, card binding and repeated investments, with page views
 * in between; some registered persons browse on a second device before logging in there. Same
 * seed, same events in the same order.
 */
export function enrichedStream(opts: {
  events: number
  persons: number
  seed?: number
  /** Days over which persons first arrive (20 by default). */
  days?: number
  /**
   * Money in and out as well (recharges and withdrawals by users with a bound card), and each
   * device's first touch at its first event, as enrich records it.
   */
  money?: boolean
  /**
   * Engagement as well: device sessions (a new one after 30 minutes without events, started at
   * its first event), page views over several paths (h5 sends only the URL), content reads,
   * impressions, clicks and shares of content.
   */
  engagement?: boolean
}): EnrichedEvent[] {
  const rand = seededRandom(opts.seed ?? 7)
  const base = Date.parse('2026-11-01T00:00:00Z')
  const persons = Array.from({ length: opts.persons }, (_, i) => ({
    id: i,
    at: base + rand() * (opts.days ?? 20) * 86_400_000,
    step: 0,
    purchases: 0,
    cumulative: 0n,
    registeredAt: null as number | null,
    firstPurchaseAt: null as number | null,
    channel: CHANNELS[Math.floor(rand() * CHANNELS.length)] as A.ChannelInfo,
    platform: PLATFORMS[Math.floor(rand() * PLATFORMS.length)] as (typeof PLATFORMS)[number],
    second: 'none' as 'none' | 'anonymous' | 'signed_in',
  }))
  const out: EnrichedEvent[] = []
  const firstSeen = new Map<string, number>()
  const sessions = new Map<string, { index: number; started: number; last: number }>()
  for (let i = 0; i < opts.events; i++) {
    const p = persons[Math.floor(rand() * persons.length)] as (typeof persons)[number]
    p.at += rand() < 0.7 ? rand() * 20 * 60_000 : rand() * 2 * 86_400_000
    // Some registered persons take up a second device: anonymous there first, then they log in.
    if (p.registeredAt !== null && p.second === 'none' && rand() < 0.05) p.second = 'anonymous'
    const onSecond = p.second === 'anonymous' || (p.second === 'signed_in' && rand() < 0.5)
    let name: string
    if (p.second === 'anonymous') {
      name = rand() < 0.3 ? 'login' : 'page_view'
      if (name === 'login') p.second = 'signed_in'
    } else {
      const advancing = p.step < STEPS.length && rand() < 0.3
      name = advancing
        ? (STEPS[p.step] as string)
        : p.step === STEPS.length && rand() < 0.2
          ? 'invest'
          : 'page_view'
      if (advancing) p.step += 1
      else if (opts.money && p.step >= 3 && name === 'page_view' && rand() < 0.25)
        name = rand() < 0.6 ? 'recharge' : 'withdraw'
    }
    if (name === 'register') p.registeredAt = p.at
    const device = onSecond ? `e${p.id}` : `d${p.id}`
    const platform = onSecond ? 'h5' : p.platform
    const registered = p.registeredAt !== null && !(p.second === 'anonymous' && onSecond)
    const investing = name === 'invest'
    const amountUnits = investing ? BigInt(1 + Math.floor(rand() * 50_000)) * 10_000n : 0n
    if (investing) {
      p.purchases += 1
      p.cumulative += amountUnits
      p.firstPurchaseAt ??= p.at
    }
    const moving = name === 'recharge' || name === 'withdraw'
    // Withdrawals are sometimes large (50,000 and more): the rollups count those apart.
    const money = moving
      ? {
          amount: `${1 + Math.floor(rand() * (name === 'withdraw' ? 80_000 : 30_000))}.5000`,
          currency: 'CNY',
        }
      : null
    if (!firstSeen.has(device)) firstSeen.set(device, Math.round(p.at))
    const key = registered ? `u${p.id}` : device
    const at = Math.round(p.at)
    const engaged = opts.engagement ? engagement(rand, name, platform) : null
    if (engaged) name = engaged.name
    const session = opts.engagement ? deviceSession(sessions, device, at) : null
    const event = sampleEvent({
      event_id: `00000000-0000-4000-9000-${i.toString(16).padStart(12, '0')}`,
      event: name,
      anonymous_id: device,
      user_id: registered ? `u${p.id}` : null,
      occurred_at: new Date(Math.round(p.at)),
      received_at: new Date(Math.round(p.at) + 200),
      app: { platform, app_id: 'licai', app_version: '5.2.0' },
      purchase: investing
        ? {
            order_id: `o${i}`,
            amount: `${amountUnits / 10_000n}.0000`,
            currency: 'CNY',
            product_id: 'fund-30d',
            product_type: null,
            term_days: 30,
            coupon_id: null,
          }
        : null,
      ...(money && name === 'recharge' ? { recharge: money } : {}),
      ...(money && name === 'withdraw' ? { withdraw: money } : {}),
      ...(engaged?.parts ?? {}),
    })
    out.push({
      event,
      attribution: {
        channel: p.channel,
        session: session
          ? {
              session_id: `${device}:${session.index}`,
              started_at: new Date(session.started),
              index: session.index,
              channel: p.channel,
            }
          : { session_id: `${key}:1`, started_at: event.occurred_at, index: 1, channel: p.channel },
        first_touch: {
          channel: p.channel,
          at: new Date(opts.money ? (firstSeen.get(device) as number) : base),
        },
        last_non_direct_touch: null,
      },
      person_key: key,
      identity: {
        user_id: event.user_id,
        linked_at: p.registeredAt === null ? null : new Date(Math.round(p.registeredAt)),
        pre_registration: !registered,
      },
      acquisition: registered
        ? { channel: p.channel, registered_at: new Date(Math.round(p.registeredAt as number)) }
        : null,
      user: null,
      counters: {
        nth_purchase: investing ? p.purchases : null,
        cumulative_amount: `${p.cumulative / 10_000n}.0000`,
        first_purchase_at: p.firstPurchaseAt === null ? null : new Date(Math.round(p.firstPurchaseAt)),
        days_since_registration:
          p.registeredAt === null ? null : Math.floor((p.at - p.registeredAt) / 86_400_000),
      },
    })
  }
  return out
}

const SESSION_GAP_MS = 30 * 60_000
const PAGES = ['/', '/funds', '/funds/f-30d', '/me', '/activity/newbie']
const ARTICLES = ['a1', 'a2', 'a3', 'a4', 'a5', 'a6']
const PLACEMENTS = ['feed', 'banner', 'search']

/** The device's session for an event at `at`: a new one after 30 minutes without events. */
function deviceSession(
  sessions: Map<string, { index: number; started: number; last: number }>,
  device: string,
  at: number,
): { index: number; started: number } {
  const s = sessions.get(device)
  const next =
    !s || at - s.last > SESSION_GAP_MS
      ? { index: (s?.index ?? 0) + 1, started: at, last: at }
      : { ...s, last: at }
  sessions.set(device, next)
  return next
}

/**
 * What a page view becomes with engagement on: an impression, click or share of a piece of
 * content, a read of an article, or a page view of another page. Other events keep their name.
 */
function engagement(
  rand: () => number,
  name: string,
  platform: string,
): { name: string; parts: Partial<EnrichedEvent['event']> } | null {
  if (name !== 'page_view') return null
  const r = rand()
  const content = ARTICLES[Math.floor(rand() * ARTICLES.length)] as string
  const placement = PLACEMENTS[Math.floor(rand() * PLACEMENTS.length)] as string
  const position = 1 + Math.floor(rand() * 10)
  if (r < 0.18)
    return {
      name: 'impression',
      parts: { impression: { content_id: content, content_type: 'article', placement, position } },
    }
  if (r < 0.24)
    return {
      name: 'click',
      parts: {
        click: {
          element_id: 'card',
          element_text: null,
          target_url: null,
          content_id: content,
          placement,
          position,
        },
      },
    }
  if (r < 0.27)
    return {
      name: 'share',
      parts: { share: { content_id: content, content_type: 'article', share_channel: 'wechat_moments' } },
    }
  const read = r < 0.45
  const path = read ? `/articles/${content}` : (PAGES[Math.floor(rand() * PAGES.length)] as string)
  // H5 pages send only their URL; the apps their screen path.
  const page =
    platform === 'h5'
      ? { url: `https://m.licai.example${path}?from=feed`, path: null, referrer: null, title: null }
      : { url: null, path, referrer: null, title: null }
  return {
    name: 'page_view',
    parts: {
      page,
      page_view: {
        duration_ms: null,
        content_id: read ? content : null,
        content_type: read ? 'article' : null,
      },
    },
  }
}

/** The stream as the sink receives it from partition 0 of `topic`, offsets from 0. */
export function asInbound(
  events: readonly EnrichedEvent[],
  encode: (e: EnrichedEvent) => Buffer,
  topic = 'enriched',
): InboundMessage[] {
  return events.map((e, i) => ({
    topic,
    partition: 0,
    offset: String(i),
    key: Buffer.from(e.person_key),
    value: encode(e),
    headers: {},
    timestamp: '0',
  }))
}
