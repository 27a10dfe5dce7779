/**
 * Field rules shared by the native API and the Segment mapping. Values arrive as JSON and
 * leave as the envelope's types: times as Date, amounts as exact decimal strings.
 */
import { z } from 'zod'

const DECIMAL = /^-?\d{1,14}(\.\d{1,4})?$/

/**
 * An amount: a decimal string, or a JSON number that prints as one; up to 14 + 4 digits.
 * Returned in the envelope's canonical form, exactly 4 decimals ("5000.00" → "5000.0000").
 */
export const amount = z
  .union([z.string(), z.number().finite()])
  .transform((v) => (typeof v === 'number' ? String(v) : v.trim()))
  .refine((v) => DECIMAL.test(v), 'must be a decimal with at most 14 integer and 4 fractional digits')
  .transform(canonicalDecimal)

function canonicalDecimal(v: string): string {
  const negative = v.startsWith('-')
  const [whole = '0', fraction = ''] = (negative ? v.slice(1) : v).split('.')
  const digits = `${whole.replace(/^0+(?=\d)/, '')}.${fraction.padEnd(4, '0')}`
  return negative && /[1-9]/.test(digits) ? `-${digits}` : digits
}

/** A time: ISO 8601 string or epoch milliseconds, between years 1 and 9999. */
export const time = z.union([z.string().min(1), z.number().finite()]).transform((v, ctx) => {
  const d = new Date(v)
  const ms = d.getTime()
  if (Number.isNaN(ms) || ms < -62_135_596_800_000 || ms > 253_402_300_799_999) {
    ctx.addIssue({ code: 'custom', message: 'must be an ISO 8601 time or epoch milliseconds' })
    return z.NEVER
  }
  return d
})

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
export const uuid = z
  .string()
  .regex(UUID, 'must be a UUID')
  .transform((s) => s.toLowerCase())

export function isUuid(s: string): boolean {
  return UUID.test(s)
}

const str = z.string().max(8192)
const opt = str.nullish().transform((v) => v ?? null)
const optInt = z
  .number()
  .int()
  .min(-(2 ** 31))
  .max(2 ** 31 - 1)
  .nullish()
  .transform((v) => v ?? null)
const optTime = time.nullish().transform((v) => v ?? null)
const optAmount = amount.nullish().transform((v) => v ?? null)

/** Custom properties: scalar JSON values, kept as strings (numbers and booleans printed). */
export const properties = z
  .record(z.string(), z.union([z.string(), z.number().finite(), z.boolean(), z.null()]))
  .refine((p) => !Object.hasOwn(p, '__proto__'), 'the key "__proto__" is not allowed')
  .transform((p) => {
    const out: Record<string, string> = {}
    for (const [k, v] of Object.entries(p)) if (v !== null) out[k] = String(v)
    return out
  })

/** Typed business payloads, as the envelope holds them. */
export const payloadSchemas = {
  page_view: z.strictObject({
    duration_ms: z
      .number()
      .int()
      .nonnegative()
      .nullish()
      .transform((v) => v ?? null),
    content_id: opt,
    content_type: opt,
  }),
  click: z.strictObject({
    element_id: opt,
    element_text: opt,
    target_url: opt,
    content_id: opt,
    placement: opt,
    position: optInt,
  }),
  impression: z.strictObject({ content_id: str.min(1), content_type: opt, placement: opt, position: optInt }),
  share: z.strictObject({ content_id: str.min(1), content_type: opt, share_channel: opt }),
  register: z.strictObject({ method: opt, invite_code: opt }),
  login: z.strictObject({ method: opt }),
  real_name_verified: z.strictObject({ provider: opt }),
  bind_card: z.strictObject({ bank: opt, card_type: opt }),
  recharge: z.strictObject({ amount, currency: str.default('CNY') }),
  purchase: z.strictObject({
    order_id: str.min(1),
    amount,
    currency: str.default('CNY'),
    product_id: str.min(1),
    product_type: opt,
    term_days: optInt,
    coupon_id: opt,
  }),
  withdraw: z.strictObject({ amount, currency: str.default('CNY') }),
  coupon: z.strictObject({ coupon_id: str.min(1), coupon_type: opt, value: optAmount, expires_at: optTime }),
  gift: z.strictObject({ gift_id: str.min(1), gift_type: opt, value: optAmount, expires_at: optTime }),
  app_install: z.strictObject({ store: opt, download_channel: opt }),
} as const

export type PayloadName = keyof typeof payloadSchemas

/** Which payload a standard event name must carry. */
export const REQUIRED_PAYLOAD: Readonly<Record<string, PayloadName>> = {
  recharge: 'recharge',
  invest: 'purchase',
  order: 'purchase',
  withdraw: 'withdraw',
  coupon_issued: 'coupon',
  coupon_used: 'coupon',
  gift_issued: 'gift',
  gift_used: 'gift',
  impression: 'impression',
  share: 'share',
}

export const contextSchemas = {
  page: z.strictObject({ url: opt, path: opt, referrer: opt, title: opt }),
  campaign: z.strictObject({
    utm_source: opt,
    utm_medium: opt,
    utm_campaign: opt,
    utm_term: opt,
    utm_content: opt,
    gclid: opt,
    bd_vid: opt,
    gdt_vid: opt,
    qz_gdt: opt,
    clickid: opt,
    ttclid: opt,
    msclkid: opt,
    other_click_ids: z.record(z.string(), z.string()).default({}),
  }),
  device: z.strictObject({
    os: opt,
    os_version: opt,
    model: opt,
    manufacturer: opt,
    user_agent: opt,
    screen_width: optInt,
    screen_height: optInt,
  }),
}

/** zod issues as one line each: "path: message". */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.map(String).join('.') || '(event)'}: ${i.message}`).join('; ')
}
