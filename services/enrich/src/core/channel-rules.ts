/**
 * The channel rules file (config/channel-rules.json), validated. Everything about how traffic
 * is classified is data here: sources and their hosts, click ids, in-app user agents, and the
 * ordered rules (first match wins).
 */
import { z } from 'zod'

const SOURCE_TYPES = ['search', 'social', 'video', 'news', 'official_account', 'app_store', 'other'] as const
const PAID_KINDS = ['search', 'social', 'display'] as const

const regex = z.string().refine((s) => {
  try {
    new RegExp(s, 'i')
    return true
  } catch {
    return false
  }
}, 'must be a valid regular expression')

const conditionSchema = z.strictObject({
  medium: regex.optional(),
  utmSource: regex.optional(),
  source: z.array(z.string()).optional(),
  sourceType: z.array(z.enum(SOURCE_TYPES)).optional(),
  paid: z.boolean().optional(),
  clickIdPaid: z.enum(PAID_KINDS).optional(),
  campaign: z.boolean().optional(),
  referrer: z.boolean().optional(),
  referrerInternal: z.boolean().optional(),
  downloadChannel: z.boolean().optional(),
})

export const channelRulesSchema = z
  .strictObject({
    $comment: z.string().optional(),
    paidMedium: regex,
    internalDomains: z.array(z.string()),
    sources: z.record(
      z.string(),
      z.strictObject({
        name: z.string(),
        type: z.enum(SOURCE_TYPES),
        hosts: z.array(z.string()).default([]),
        aliases: z.array(z.string()).default([]),
        keywordParams: z.array(z.string()).default([]),
      }),
    ),
    clickIds: z.record(
      z.string(),
      z.strictObject({
        source: z.string(),
        paid: z.enum(PAID_KINDS).nullable(),
        onlyWithSources: z.array(z.string()).optional(),
      }),
    ),
    userAgents: z.array(z.strictObject({ pattern: regex, source: z.string() })),
    /** Android app referrers (android-app://PACKAGE/) by package name. */
    appPackages: z.record(z.string(), z.string()).default({}),
    rules: z.array(z.strictObject({ group: z.string().min(1), when: conditionSchema })).min(1),
    fallback: z.string().min(1),
  })
  .superRefine((rules, ctx) => {
    const known = new Set(Object.keys(rules.sources))
    const check = (id: string, path: (string | number)[]) => {
      if (!known.has(id)) ctx.addIssue({ code: 'custom', path, message: `unknown source "${id}"` })
    }
    for (const [param, c] of Object.entries(rules.clickIds)) {
      check(c.source, ['clickIds', param, 'source'])
      for (const s of c.onlyWithSources ?? []) check(s, ['clickIds', param, 'onlyWithSources'])
    }
    for (const [i, u] of rules.userAgents.entries()) check(u.source, ['userAgents', i, 'source'])
    for (const [pkg, id] of Object.entries(rules.appPackages)) check(id, ['appPackages', pkg])
    for (const [i, r] of rules.rules.entries()) {
      for (const s of r.when.source ?? []) check(s, ['rules', i, 'when', 'source'])
    }
  })

export type ChannelRules = z.infer<typeof channelRulesSchema>
export type RuleCondition = z.infer<typeof conditionSchema>
export type SourceType = (typeof SOURCE_TYPES)[number]
