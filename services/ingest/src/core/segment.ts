/**
 * The Segment HTTP Tracking API spec mapped onto the envelope, so apps keep the SDKs they
 * already use (Segment, RudderStack and others that speak the spec):
 * - track → the event name as sent; page and screen → page_view; identify → identify (plus a
 *   user profile update from traits); alias → alias;
 * - messageId → event_id (a UUID as is; anything else → a stable UUID derived from app and
 *   messageId, so a client retry keeps its id);
 * - occurred_at = received_at − (sentAt − timestamp): the client clock's skew removed, as
 *   Segment documents;
 * - context.page / campaign / device / os / screen / userAgent / locale / ip → page, campaign,
 *   device, locale, ip; properties → the typed payload of a standard event, the rest → properties.
 */
import { createHash } from 'node:crypto'
import { emptyEnvelope } from '@opstream/runtime/contract/envelope'
import type { Event } from '@opstream/runtime/contract/generated/event'
import type { UserProfile } from '@opstream/runtime/contract/generated/user-profile'
import { queryOf } from '@opstream/runtime/url-query'
import { z } from 'zod'
import type { RequestContext } from './envelope.ts'
import { describeIssues, isUuid, type PayloadName, payloadSchemas, REQUIRED_PAYLOAD, time } from './fields.ts'

const looseObject = z.record(z.string(), z.unknown())
const str = z.string().max(8192)

const messageSchema = z.looseObject({
  type: z.enum(['track', 'identify', 'page', 'screen', 'alias', 'group']),
  messageId: str.optional(),
  anonymousId: z.union([str, z.number()]).nullish(),
  userId: z.union([str, z.number()]).nullish(),
  event: str.optional(),
  name: str.nullish(),
  previousId: z.union([str, z.number()]).nullish(),
  timestamp: time.optional(),
  originalTimestamp: time.optional(),
  sentAt: time.optional(),
  context: looseObject.optional(),
  properties: looseObject.optional(),
  traits: looseObject.optional(),
})

type Message = z.infer<typeof messageSchema>

export type SegmentResult =
  | { ok: true; event: Event; profile: UserProfile | null }
  | { ok: false; reason: string }

export function fromSegment(input: unknown, ctx: RequestContext, batchSentAt?: Date): SegmentResult {
  const parsed = messageSchema.safeParse(input)
  if (!parsed.success) return { ok: false, reason: describeIssues(parsed.error) }
  const m = parsed.data
  if (m.type === 'group') return { ok: false, reason: 'type: group calls are not supported' }
  const anonymousId = m.anonymousId ?? null
  const userId = m.userId ?? null
  if (anonymousId === null && userId === null)
    return { ok: false, reason: 'anonymousId or userId is required' }
  for (const [field, value] of [
    ['properties', m.properties],
    ['traits', m.traits],
  ] as const) {
    if (value && Object.hasOwn(value, '__proto__'))
      return { ok: false, reason: `${field}: the key "__proto__" is not allowed` }
  }
  const name = eventName(m)
  if (name === undefined) return { ok: false, reason: 'event: required for a track call' }

  const sentAt = m.sentAt ?? batchSentAt
  const clientTime = m.timestamp ?? m.originalTimestamp
  const occurredAt =
    clientTime && sentAt
      ? new Date(ctx.receivedAt.getTime() - (sentAt.getTime() - clientTime.getTime()))
      : (clientTime ?? ctx.receivedAt)
  const context = m.context ?? {}
  const event = emptyEnvelope({
    event_id: eventId(m.messageId, ctx),
    event: name,
    occurred_at: occurredAt,
    received_at: ctx.receivedAt,
    anonymous_id: anonymousId !== null ? String(anonymousId) : `user:${userId}`,
    app: {
      platform: platformOf(context, ctx.platform),
      app_id: ctx.appId,
      app_version: text(obj(context.app).version),
    },
  })
  event.sent_at = sentAt ?? null
  event.user_id = userId !== null ? String(userId) : null
  mapContext(event, context, ctx)

  const props = { ...(m.properties ?? {}) }
  if (m.type === 'page' || m.type === 'screen') {
    for (const k of ['url', 'path', 'referrer', 'title'] as const) {
      const v = text(props[k])
      if (v !== null) event.page[k] = v
      delete props[k]
    }
    if (m.type === 'screen' && event.page.title === null) event.page.title = m.name ?? null
    if (m.name) props.name = m.name
  }
  // Click ids from the landing URL, once page properties have been applied.
  const query = queryOf(event.page.url)
  for (const id of CLICK_IDS) event.campaign[id] ??= query?.get(id) ?? null
  if (m.type === 'alias' && m.previousId != null) props.previous_id = String(m.previousId)
  const payloadError = takePayload(event, name, props)
  if (payloadError) return { ok: false, reason: payloadError }
  event.properties = stringMap(props)
  const profile =
    m.type === 'identify' && userId !== null ? profileFrom(String(userId), m.traits ?? {}, occurredAt) : null
  return { ok: true, event, profile }
}

function eventName(m: Message): string | undefined {
  switch (m.type) {
    case 'track':
      return m.event && m.event.length > 0 ? m.event : undefined
    case 'page':
    case 'screen':
      return 'page_view'
    default:
      return m.type
  }
}

function eventId(messageId: string | undefined, ctx: RequestContext): string {
  if (messageId === undefined || messageId.length === 0) return ctx.newId()
  if (isUuid(messageId)) return messageId.toLowerCase()
  // A name-based UUID (version 5 layout) of app and messageId: stable across client retries.
  const h = createHash('sha1').update(`${ctx.appId}\n${messageId}`).digest()
  h[6] = ((h[6] as number) & 0x0f) | 0x50
  h[8] = ((h[8] as number) & 0x3f) | 0x80
  const hex = h.subarray(0, 16).toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`
}

const SERVER_LIBRARIES =
  /analytics-node|rudder-sdk-node|analytics-python|analytics-java|analytics-go|analytics-ruby|rudder-sdk-(python|java|go|ruby)/i

function platformOf(
  context: Record<string, unknown>,
  fallback: Event['app']['platform'],
): Event['app']['platform'] {
  const os = (text(obj(context.os).name) ?? '').toLowerCase()
  if (os.includes('ios') || os.includes('iphone') || os.includes('ipados')) return 'ios'
  if (os.includes('android')) return 'android'
  // A browser's or mini-program's event relayed by a back end: its user agent says where it ran.
  const agent = text(context.userAgent) ?? ''
  if (/miniProgram/i.test(agent)) return 'miniprogram'
  if (/^Mozilla\//.test(agent)) return /Mobile|Android|iPhone/.test(agent) ? 'h5' : 'web'
  if (SERVER_LIBRARIES.test(text(obj(context.library).name) ?? '')) return 'server'
  return fallback
}

const CLICK_IDS = ['gclid', 'bd_vid', 'gdt_vid', 'qz_gdt', 'clickid', 'ttclid', 'msclkid'] as const

function mapContext(event: Event, context: Record<string, unknown>, ctx: RequestContext): void {
  const page = obj(context.page)
  event.page = {
    url: text(page.url),
    path: text(page.path),
    referrer: text(page.referrer),
    title: text(page.title),
  }
  const campaign = obj(context.campaign)
  event.campaign.utm_source = text(campaign.source)
  event.campaign.utm_medium = text(campaign.medium)
  event.campaign.utm_campaign = text(campaign.name)
  event.campaign.utm_term = text(campaign.term)
  event.campaign.utm_content = text(campaign.content)
  for (const id of CLICK_IDS) event.campaign[id] = text(campaign[id])
  const device = obj(context.device)
  const os = obj(context.os)
  const screen = obj(context.screen)
  event.device = {
    os: text(os.name),
    os_version: text(os.version),
    model: text(device.model),
    manufacturer: text(device.manufacturer),
    user_agent: text(context.userAgent),
    screen_width: int(screen.width),
    screen_height: int(screen.height),
  }
  event.locale = text(context.locale)
  event.ip = text(context.ip) ?? ctx.ip
}

/** Moves the properties of a standard event's payload out of `props` into the typed payload. */
function takePayload(event: Event, name: string, props: Record<string, unknown>): string | undefined {
  const payloadName: PayloadName | undefined =
    REQUIRED_PAYLOAD[name] ??
    (name in payloadSchemas && name !== 'purchase' ? (name as PayloadName) : undefined)
  if (!payloadName) return undefined
  const schema = payloadSchemas[payloadName]
  const fields = Object.keys(schema.shape)
  const candidate: Record<string, unknown> = {}
  for (const f of fields) if (props[f] !== undefined) candidate[f] = props[f]
  if (payloadName === 'purchase' && candidate.amount === undefined)
    candidate.amount = props.revenue ?? props.total
  const parsed = schema.safeParse(candidate)
  if (!parsed.success) {
    if (REQUIRED_PAYLOAD[name]) return `properties of ${name}: ${describeIssues(parsed.error)}`
    return undefined
  }
  for (const f of fields) delete props[f]
  if (payloadName === 'purchase') {
    delete props.revenue
    delete props.total
  }
  ;(event as unknown as Record<string, unknown>)[payloadName] = parsed.data
  return undefined
}

const PROFILE_TRAITS = [
  'member_tier',
  'tier',
  'city',
  'province',
  'birthday',
  'gender',
  'asset_band',
  'registered_at',
  'createdAt',
  'address',
]

function profileFrom(userId: string, traits: Record<string, unknown>, at: Date): UserProfile {
  const address = obj(traits.address)
  const registered = time.safeParse(traits.registered_at ?? traits.createdAt)
  const custom: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(traits)) if (!PROFILE_TRAITS.includes(k)) custom[k] = v
  return {
    user_id: userId,
    member_tier: text(traits.member_tier) ?? text(traits.tier),
    city: text(traits.city) ?? text(address.city),
    province: text(traits.province) ?? text(address.state),
    birthday: text(traits.birthday)?.slice(0, 10) ?? null,
    gender: text(traits.gender),
    asset_band: text(traits.asset_band),
    registered_at: registered.success ? registered.data : null,
    updated_at: at,
    custom: stringMap(custom),
  }
}

/** Scalars as strings; objects and arrays as JSON; null and undefined left out. */
function stringMap(values: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(values)) {
    if (v === null || v === undefined) continue
    out[k] = typeof v === 'object' ? JSON.stringify(v) : String(v)
  }
  return out
}

function obj(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {}
}

function text(v: unknown): string | null {
  if (typeof v === 'string') return v.length > 0 ? v : null
  if (typeof v === 'number' && Number.isFinite(v)) return String(v)
  return null
}

function int(v: unknown): number | null {
  return typeof v === 'number' && Number.isInteger(v) && Math.abs(v) < 2 ** 31 ? v : null
}
