import type { Event } from '@opstream/runtime/contract/generated/event'
import { z } from 'zod'
import type { RequestContext } from './envelope.ts'
import { emptyEnvelope } from './envelope.ts'
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

export type NativeResult = { ok: true; event: Event } | { ok: false; reason: string }

/** Validates one native event and builds its envelope; the reason names every bad field. */
export function fromNative(input: unknown, ctx: RequestContext): NativeResult {
  const parsed = nativeEventSchema.safeParse(input)
  if (!parsed.success) return { ok: false, reason: describeIssues(parsed.error) }
  const e = parsed.data
  const required = REQUIRED_PAYLOAD[e.event]
  if (required && !e[required]) return { ok: false, reason: `${required}: required for a ${e.event} event` }
  const event = emptyEnvelope({
    event_id: e.event_id ?? ctx.newId(),
    event: e.event,
    occurred_at: e.occurred_at ?? ctx.receivedAt,
    received_at: ctx.receivedAt,
    anonymous_id: e.anonymous_id,
    app: {
      platform: e.app?.platform ?? ctx.platform,
      app_id: ctx.appId,
      app_version: e.app?.app_version ?? null,
    },
  })
  event.sent_at = e.sent_at ?? null
  event.user_id = e.user_id ?? null
  event.session_id = e.session_id ?? null
  if (e.page) event.page = e.page
  if (e.campaign) event.campaign = e.campaign
  if (e.device) event.device = e.device
  event.locale = e.locale ?? null
  event.ip = ctx.ip
  event.properties = e.properties ?? {}
  for (const name of Object.keys(payloadSchemas) as PayloadName[]) {
    const payload = e[name]
    if (payload) (event as unknown as Record<string, unknown>)[name] = payload
  }
  return { ok: true, event }
}
