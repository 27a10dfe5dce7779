/**
 * One visitor's journey on the simulated platform, as the messages its apps and the back end
 * would send: the landing and a trail of pages with impressions and shares, then perhaps the
 * lifecycle — register → real-name → bind card → first investment → repurchases — with
 * recharges, withdrawals, the newbie gift, profile updates, a second device and re-engagement
 * visits. Pure: chance comes from the visitor's own seeded generator, time from its start.
 *
 * Each message carries the truth it stands for (its day in UTC, the visitor's acquisition
 * channel, and whether it is a registration or a purchase), so what was sent can be counted
 * without asking the pipeline.
 */
import {
  BANKS,
  BASE_RATES,
  type ChannelModel,
  CITIES,
  CONTENT,
  GOODS,
  PAGES,
  type Platform,
  PRODUCTS,
  type Product,
} from './platform-model.ts'
import type { Rng } from './rng.ts'

/** Signed-in behaviour that may arrive late: it moves no channel and no identity. */
const LATE_ALLOWED = new Set(['recharge', 'gift_used', 'coupon_used', 'withdraw'])
const MIN = 60_000
const HOUR = 60 * MIN
const DAY = 24 * HOUR

/** A Segment call of an app (`type` is the SDK method). */
export interface AppCall {
  type: 'track' | 'page' | 'identify'
  messageId: string
  anonymousId: string
  userId?: string
  event?: string
  name?: string
  properties?: Record<string, unknown>
  traits?: Record<string, unknown>
  context: Record<string, unknown>
}

export type Outgoing = {
  /** When it happened (the message's timestamp). */
  at: number
  /** When it is sent: later than `at` for a late message, and again for a client's retry. */
  sendAt: number
  /** Set on a client's second send of a message already sent. */
  retry?: true
  /** Set on a message a bad release broke: ingest refuses it into the DLQ, it is no event. */
  broken?: true
  /** The visitor's acquisition channel, for the truth. */
  channel: ChannelModel
  platform: Platform
} & (
  | { via: 'app'; call: AppCall }
  | {
      via: 'backend'
      event: Record<string, unknown> & { event_id: string; event: string }
      nth: number
      amount: number
    }
  | { via: 'profile'; user: Record<string, unknown> & { user_id: string } }
)

/** What can change a journey: an incident's effect on one channel and platform. */
export interface JourneyEffects {
  /** Multiplies the chance of binding a card (a conversion collapse). */
  bindCardFactor(channel: string, platform: Platform, at: number): number
  /** Whether an app's message at this time is lost (a tracking outage). */
  dropped(platform: Platform, at: number): boolean
  /** The share of the platform's impressions a bad release breaks (ingest refuses them). */
  brokenShare(platform: Platform, at: number): number
}

export const NO_EFFECTS: JourneyEffects = {
  bindCardFactor: () => 1,
  dropped: () => false,
  brokenShare: () => 0,
}

export interface Visitor {
  /** Unique within the run: the device and user ids are made from it. */
  id: string
  /** The platform's business: investments (the default) or orders of goods. */
  model?: 'finance' | 'ecommerce'
  channel: ChannelModel
  start: number
  rng: Rng
}

function uuid(rng: Rng): string {
  const hex = Array.from({ length: 32 }, () => rng.int(0, 15).toString(16))
  hex[12] = '4'
  hex[16] = ((rng.int(0, 15) & 3) | 8).toString(16)
  const h = hex.join('')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

const AGENTS: Record<Platform, string> = {
  web: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36',
  h5: 'Mozilla/5.0 (Linux; Android 13; V2244A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/116.0 Mobile Safari/537.36',
  miniprogram:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 MicroMessenger/8.0.47 NetType/WIFI miniProgram',
  ios: 'opstream-demo/3.2.0 (iPhone; iOS 17.2)',
  android: 'opstream-demo/3.2.0 (Android 13; V2244A)',
}

/** The Segment context an app on `platform` sends: native apps name their OS, browsers their agent. */
function contextOf(platform: Platform, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const native = platform === 'ios' || platform === 'android'
  return {
    ...(native ? { os: { name: platform === 'ios' ? 'iOS' : 'Android' }, app: { version: '3.2.0' } } : {}),
    userAgent: AGENTS[platform],
    locale: 'zh-CN',
    ...extra,
  }
}

function landingUrl(channel: ChannelModel, rng: Rng, path = '/newbie'): string {
  const q = new URLSearchParams()
  const { utm, clickId } = channel.landing
  if (utm) {
    q.set('utm_source', utm.source)
    q.set('utm_medium', utm.medium)
    if (utm.campaign) q.set('utm_campaign', utm.campaign)
  }
  if (clickId) q.set(clickId, `${clickId.slice(0, 2)}${rng.int(100_000_000, 999_999_999)}`)
  const query = q.toString()
  return `https://www.opstream-demo.cn${path}${query ? `?${query}` : ''}`
}

/** Every message of the visitor's journey, in no particular order. */
export function journey(v: Visitor, effects: JourneyEffects = NO_EFFECTS): Outgoing[] {
  const { rng, channel } = v
  const platform = rng.weighted(
    Object.keys(channel.platforms) as Platform[],
    (p) => channel.platforms[p] ?? 0,
  )
  const device = `d-${v.id}`
  const out: Outgoing[] = []
  let t = v.start
  const app = (
    call: Omit<AppCall, 'messageId' | 'anonymousId' | 'context'>,
    at: number,
    on = platform,
    anon = device,
    mayBeLate = false,
  ) => {
    if (effects.dropped(on, at)) return
    // 3 % of the behaviour arrives late (queued on a phone without signal); 2 % of everything is
    // sent twice by the client. The landing, the sign-up and the lifecycle steps come on time:
    // attribution and identity follow arrival, so a late one would move the person's channel.
    const late = mayBeLate && rng.chance(0.03) ? rng.int(1, 30) * MIN : 0
    const message: AppCall = { ...call, messageId: uuid(rng), anonymousId: anon, context: contextOf(on) }
    const share = call.event === 'impression' ? effects.brokenShare(on, at) : 0
    if (share > 0 && rng.chance(share)) {
      message.properties = { ...message.properties, content_id: '' }
      out.push({ via: 'app', call: message, at, sendAt: at + late, channel, platform: on, broken: true })
      return
    }
    out.push({ via: 'app', call: message, at, sendAt: at + late, channel, platform: on })
    if (rng.chance(0.02))
      out.push({
        via: 'app',
        call: message,
        at,
        sendAt: at + late + rng.int(1, 90) * 1000,
        retry: true,
        channel,
        platform: on,
      })
  }

  // The landing: an app install from a store, or a page reached from the channel (in the app's
  // web view for a feed ad).
  if (channel.landing.store) {
    app(
      {
        type: 'track',
        event: 'app_install',
        properties: { store: channel.landing.store, download_channel: channel.landing.store },
      },
      t,
    )
    // The app opens a second later: ingest's clock-skew correction moves each batch's times by
    // some milliseconds, and the install must stay the first touch.
    t += 1_000
  }
  const pages = 1 + rng.int(0, 4)
  let referrer = channel.landing.referrer
  for (let i = 0; i < pages; i++) {
    const path = i === 0 ? '/newbie' : rng.pick(PAGES)
    const url =
      i === 0 && !channel.landing.store
        ? landingUrl(channel, rng, path)
        : `https://www.opstream-demo.cn${path}`
    app(
      { type: 'page', name: path, properties: { url, path, ...(referrer ? { referrer } : {}), title: path } },
      t,
      platform,
      device,
      i > 0,
    )
    // A page in a native app has no referrer; in a browser, the page before.
    referrer = platform === 'ios' || platform === 'android' ? undefined : url
    for (let k = rng.int(0, 2); k > 0; k--)
      app(
        {
          type: 'track',
          event: 'impression',
          properties: { content_id: rng.pick(CONTENT), placement: 'home_feed', position: k },
        },
        t + 2_000,
        platform,
        device,
        true,
      )
    if (rng.chance(0.03))
      app(
        {
          type: 'track',
          event: 'share',
          properties: { content_id: rng.pick(CONTENT), share_channel: 'wechat' },
        },
        t + 5_000,
        platform,
        device,
        true,
      )
    t += rng.int(10, 90) * 1000
  }

  const q = channel.quality
  if (!rng.chance(Math.min(0.95, BASE_RATES.register * q))) return out
  const user = `u-${v.id}`
  t += rng.int(30, 300) * 1000
  const signedIn = (
    call: Omit<AppCall, 'messageId' | 'anonymousId' | 'context' | 'userId'>,
    at: number,
    on = platform,
    anon = device,
  ) => app({ ...call, userId: user }, at, on, anon, LATE_ALLOWED.has(call.event ?? ''))
  signedIn({ type: 'track', event: 'register', properties: { method: 'phone' } }, t)
  signedIn({ type: 'identify', traits: { member_tier: 'normal', city: rng.pick(CITIES) } }, t + 500)
  // The newbie gift (a shop's newbie coupon), valid for a week.
  const finance = v.model !== 'ecommerce'
  const gift = finance
    ? { kind: 'gift', id: `g-${v.id}`, value: 88 }
    : { kind: 'coupon', id: `c-${v.id}`, value: 20 }
  signedIn(
    {
      type: 'track',
      event: `${gift.kind}_issued`,
      properties: {
        [`${gift.kind}_id`]: gift.id,
        [`${gift.kind}_type`]: 'newbie',
        value: gift.value,
        expires_at: new Date(t + 7 * DAY).toISOString(),
      },
    },
    t + 1_000,
  )
  const invest = (
    at: number,
    nth: number,
    amount: number,
    product: (typeof PRODUCTS | typeof GOODS)[number],
  ) =>
    out.push({
      via: 'backend',
      at,
      sendAt: at,
      channel,
      platform,
      nth,
      amount,
      event: {
        event_id: uuid(rng),
        event: finance ? 'invest' : 'order',
        occurred_at: new Date(at).toISOString(),
        anonymous_id: device,
        user_id: user,
        purchase: {
          order_id: `o-${v.id}-${nth}`,
          amount: `${amount}.00`,
          currency: 'CNY',
          product_id: product.id,
          product_type: product.type,
          term_days: product.term,
        },
      },
    })

  if (rng.chance(0.3))
    out.push({
      via: 'profile',
      at: t + rng.int(1, 10) * DAY,
      sendAt: t + rng.int(1, 10) * DAY,
      channel,
      platform,
      user: {
        user_id: user,
        member_tier: 'silver',
        city: rng.pick(CITIES),
        birthday: `19${rng.int(70, 99)}-0${rng.int(1, 9)}-1${rng.int(0, 9)}`,
      },
    })
  if (rng.chance(0.15)) {
    // A second device later: a phone app signing in.
    const at = t + rng.int(1, 7) * DAY + rng.int(0, 12) * HOUR
    const phone: Platform = rng.chance(0.5) ? 'ios' : 'android'
    const second = `${device}-2`
    app(
      { type: 'page', name: '/', properties: { path: '/', url: 'https://www.opstream-demo.cn/' } },
      at,
      phone,
      second,
    )
    signedIn(
      { type: 'track', event: 'login', properties: { method: 'password' } },
      at + 20_000,
      phone,
      second,
    )
  }
  if (rng.chance(0.2)) {
    const at = t + rng.int(1, 5) * DAY
    app(
      {
        type: 'page',
        name: '/products',
        userId: user,
        properties: {
          path: '/products',
          url: 'https://www.opstream-demo.cn/products?utm_source=push&utm_medium=push&utm_campaign=push_daily',
        },
      },
      at,
    )
  }

  // Real-name verification is finance's step; a shop goes straight to a payment method.
  if (finance) {
    if (!rng.chance(BASE_RATES.realName * Math.min(1.2, q))) return out
    t += rng.int(1, 20) * MIN
    signedIn({ type: 'track', event: 'real_name_verified', properties: { provider: 'cloudwalk' } }, t)
  }
  if (!rng.chance(BASE_RATES.bindCard * Math.min(1.2, q) * effects.bindCardFactor(channel.key, platform, t)))
    return out
  t += rng.int(1, 60) * MIN
  signedIn(
    {
      type: 'track',
      event: 'bind_card',
      properties: finance
        ? { bank: rng.pick(BANKS), card_type: 'debit' }
        : { bank: 'Alipay', card_type: 'quick_pay' },
    },
    t,
  )
  if (!rng.chance(BASE_RATES.firstInvest * Math.min(1.3, q))) return out

  // The first purchase the same day for most, a few days later for the rest; then repurchases.
  t += rng.chance(0.6) ? rng.int(5, 240) * MIN : rng.int(1, 5) * DAY + rng.int(0, 10) * HOUR
  const catalog = finance ? PRODUCTS : GOODS
  for (let nth = 1; ; nth++) {
    const product = nth === 1 ? (catalog[0] as Product) : rng.pick(catalog)
    const amount = rng.pick(product.amounts)
    if (finance)
      signedIn({ type: 'track', event: 'recharge', properties: { amount, currency: 'CNY' } }, t - 60_000)
    invest(t, nth, amount, product)
    if (nth === 1 && rng.chance(0.6))
      signedIn(
        {
          type: 'track',
          event: `${gift.kind}_used`,
          properties: { [`${gift.kind}_id`]: gift.id, [`${gift.kind}_type`]: 'newbie', value: gift.value },
        },
        t + 1_000,
      )
    if (finance && product.term > 0 && rng.chance(0.3))
      signedIn(
        { type: 'track', event: 'withdraw', properties: { amount, currency: 'CNY' } },
        t + product.term * DAY,
      )
    if (!rng.chance(BASE_RATES.repurchase)) break
    t += rng.int(2, 20) * DAY + rng.int(0, 12) * HOUR
  }
  return out
}
