/**
 * The feeds: user profile upserts and deletes for the compacted users topic, and channel
 * catalog entries with their daily costs for the compacted channels topic.
 */
import type { Channel } from '@opstream/runtime/contract/generated/channel'
import type { UserProfile } from '@opstream/runtime/contract/generated/user-profile'
import { z } from 'zod'
import { amount, describeIssues, time } from './fields.ts'

const opt = z
  .string()
  .max(1000)
  .nullish()
  .transform((v) => v ?? null)
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD')

const userSchema = z.strictObject({
  user_id: z.string().min(1).max(512),
  deleted: z.boolean().optional(),
  member_tier: opt,
  city: opt,
  province: opt,
  birthday: isoDate.nullish().transform((v) => v ?? null),
  gender: opt,
  asset_band: opt,
  registered_at: time.nullish().transform((v) => v ?? null),
  updated_at: time.optional(),
  custom: z
    .record(z.string(), z.string())
    .refine((c) => !Object.hasOwn(c, '__proto__'), 'the key "__proto__" is not allowed')
    .default({}),
})

export type FeedUser =
  | { ok: true; userId: string; deleted: true }
  | { ok: true; userId: string; deleted: false; profile: UserProfile }
  | { ok: false; reason: string }

export function fromFeedUser(input: unknown, now: Date = new Date()): FeedUser {
  const parsed = userSchema.safeParse(input)
  if (!parsed.success) return { ok: false, reason: describeIssues(parsed.error) }
  const { deleted, updated_at, ...u } = parsed.data
  if (deleted) return { ok: true, userId: u.user_id, deleted: true }
  return { ok: true, userId: u.user_id, deleted: false, profile: { ...u, updated_at: updated_at ?? now } }
}

const channelSchema = z.strictObject({
  code: z.string().min(1).max(512),
  name: z.string().min(1).max(1000),
  channel_group: z.string().min(1).max(200),
  owner: opt,
  costs: z.array(z.strictObject({ date: isoDate, amount, currency: z.string().default('CNY') })).default([]),
})

export type FeedChannel = { ok: true; channel: Channel } | { ok: false; reason: string }

export function fromFeedChannel(input: unknown, now: Date): FeedChannel {
  const parsed = channelSchema.safeParse(input)
  if (!parsed.success) return { ok: false, reason: describeIssues(parsed.error) }
  const dates = parsed.data.costs.map((c) => c.date)
  if (new Set(dates).size !== dates.length) return { ok: false, reason: 'costs: one entry per date' }
  return { ok: true, channel: { ...parsed.data, updated_at: now } }
}
