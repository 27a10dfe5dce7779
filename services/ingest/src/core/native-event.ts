import { emptyEnvelope } from '@opstream/runtime/contract/envelope'
import type { Event } from '@opstream/runtime/contract/generated/event'
import { z } from 'zod'
import type { RequestContext } from './envelope.ts'
import {
  contextSchemas,
  describeIssues,
  type PayloadName,
  payloadSchemas,
  properties,
  REQUIRED_PAYLOAD,
  time,
  uuid,
} from './fields.ts'

const PLATFORMS = ['web', 'h5', 'ios', 'android', 'miniprogram', 'server', 'other'] as const

/**
 * One event of the native API (`POST /v1/events`): the envelope's own field names. Unknown
 * fields are an error, so a misspelt field is reported instead of silently dropped.
 */
const nativeEventSchema = z.strictObject({
  event_id: uuid.optional(),
  event: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[\p{L}\p{N}_.:\- ]+$/u, 'letters, digits, space, _ . : - only'),
  occurred_at: time.optional(),
  sent_at: time.optional(),
  anonymous_id: z.string().min(1).max(512),
  user_id: z.string().min(1).max(512).nullish(),
  session_id: z.string().max(512).nullish(),
  app: z
    .strictObject({ platform: z.enum(PLATFORMS).optional(), app_version: z.string().max(100).nullish() })
    .optional(),
  page: contextSchemas.page.optional(),
  campaign: contextSchemas.campaign.optional(),
  device: contextSchemas.device.optional(),
  locale: z.string().max(100).nullish(),
  properties: properties.optional(),
  ...(Object.fromEntries(Object.entries(payloadSchemas).map(([k, s]) => [k, s.optional()])) as {
    [K in PayloadName]: z.ZodOptional<(typeof payloadSchemas)[K]>
  }),
})

/** Shared empty context parts, frozen: an envelope is encoded, never edited in place. */
const empty = deepFreeze(
  emptyEnvelope({
    event_id: '',
    event: '',
    occurred_at: new Date(0),
    received_at: new Date(0),
    anonymous_id: '',
    app: { platform: 'other', app_id: '', app_version: null },
  }),
)

function deepFreeze<T extends object>(o: T): T {
  for (const v of Object.values(o))
    if (v !== null && typeof v === 'object' && !(v instanceof Date)) deepFreeze(v)
  return Object.freeze(o)
}

export type NativeResult = { ok: true; event: Event } | { ok: false; reason: string }

/** Validates one native event and builds its envelope; the reason names every bad field. */
export function fromNative(input: unknown, ctx: RequestContext): NativeResult {
  const parsed = nativeEventSchema.safeParse(input)
  if (!parsed.success) return { ok: false, reason: describeIssues(parsed.error) }
  const e = parsed.data
  const required = REQUIRED_PAYLOAD[e.event]
  if (required && !e[required]) return { ok: false, reason: `${required}: required for a ${e.event} event` }
  // One object literal with every field in schema order: a stable shape keeps V8's property
  // access fast in the encoder (objects built by later assignment of dynamic keys are not).
  const event: Event = {
    event_id: e.event_id ?? ctx.newId(),
    event: e.event,
    occurred_at: e.occurred_at ?? ctx.receivedAt,
    received_at: ctx.receivedAt,
    sent_at: e.sent_at ?? null,
    anonymous_id: e.anonymous_id,
    user_id: e.user_id ?? null,
    session_id: e.session_id ?? null,
    app: {
      platform: e.app?.platform ?? ctx.platform,
      app_id: ctx.appId,
      app_version: e.app?.app_version ?? null,
    },
    page: e.page ?? empty.page,
    campaign: e.campaign ?? empty.campaign,
    device: e.device ?? empty.device,
    locale: e.locale ?? null,
    ip: ctx.ip,
    page_view: e.page_view ?? null,
    click: e.click ?? null,
    impression: e.impression ?? null,
    share: e.share ?? null,
    register: e.register ?? null,
    login: e.login ?? null,
    real_name_verified: e.real_name_verified ?? null,
    bind_card: e.bind_card ?? null,
    recharge: e.recharge ?? null,
    purchase: e.purchase ?? null,
    withdraw: e.withdraw ?? null,
    coupon: e.coupon ?? null,
    gift: e.gift ?? null,
    app_install: e.app_install ?? null,
    properties: e.properties ?? {},
  }
  return { ok: true, event }
}
