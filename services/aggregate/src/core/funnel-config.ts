import { z } from 'zod'

/**
 * The funnels file (config/funnels.json), validated: every funnel is data — ordered steps as
 * event predicates, a conversion window, and the lateness an event may have and still count.
 */
const duration = z
  .string()
  .regex(/^\d+(ms|s|m|h|d)$/, 'a duration such as 30m, 24h or 7d')
  .transform((s) => {
    const [, n, unit] = /^(\d+)(ms|s|m|h|d)$/.exec(s) as RegExpExecArray
    const ms = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[unit as 'ms']
    return Number(n) * ms
  })

const stepSchema = z.strictObject({
  name: z.string().min(1),
  /** Event name, or any of several. */
  event: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  /** Only the user's nth purchase (as enrich numbered it). */
  nthPurchase: z.number().int().positive().optional(),
  /** Platform, or any of several. */
  platform: z.union([z.string(), z.array(z.string()).min(1)]).optional(),
  /** Custom properties that must have exactly these values. */
  properties: z.record(z.string(), z.string()).optional(),
})

const funnelSchema = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9_]*$/, 'lower-case letters, digits and _'),
  window: duration,
  steps: z.array(stepSchema).min(2).max(32),
})

export const funnelsFileSchema = z
  .strictObject({
    $comment: z.string().optional(),
    allowedLateness: duration,
    funnels: z.array(funnelSchema).min(1),
  })
  .superRefine((f, ctx) => {
    const seen = new Set<string>()
    f.funnels.forEach((funnel, i) => {
      if (seen.has(funnel.name))
        ctx.addIssue({ code: 'custom', path: ['funnels', i, 'name'], message: 'used twice' })
      seen.add(funnel.name)
    })
  })

export type FunnelsFile = z.output<typeof funnelsFileSchema>
export type FunnelDefinition = FunnelsFile['funnels'][number]
export type FunnelStep = FunnelDefinition['steps'][number]

/** What a step predicate looks at. */
export interface FunnelEvent {
  event: string
  nthPurchase: number | null
  platform: string
  properties: Readonly<Record<string, string>>
}

const anyOf = (want: string | string[], value: string) =>
  typeof want === 'string' ? want === value : want.includes(value)

/** Indexes (0-based) of the steps an event matches. */
export function matchSteps(funnel: FunnelDefinition, e: FunnelEvent): number[] {
  const out: number[] = []
  funnel.steps.forEach((s, i) => {
    if (!anyOf(s.event, e.event)) return
    if (s.nthPurchase !== undefined && s.nthPurchase !== e.nthPurchase) return
    if (s.platform !== undefined && !anyOf(s.platform, e.platform)) return
    if (s.properties && Object.entries(s.properties).some(([k, v]) => e.properties[k] !== v)) return
    out.push(i)
  })
  return out
}
