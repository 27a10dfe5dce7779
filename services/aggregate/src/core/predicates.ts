import { z } from 'zod'

/** A duration such as 30m, 24h or 7d, in milliseconds. */
export const duration = z
  .string()
  .regex(/^\d+(ms|s|m|h|d)$/, 'a duration such as 30m, 24h or 7d')
  .transform((s) => {
    const [, n, unit] = /^(\d+)(ms|s|m|h|d)$/.exec(s) as RegExpExecArray
    const ms = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[unit as 'ms']
    return Number(n) * ms
  })

/** An event predicate: the event's name and, optionally, its nth purchase, platform and properties. */
export const predicateShape = {
  /** Event name, or any of several. */
  event: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  /** Only the user's nth purchase (as enrich numbered it). */
  nthPurchase: z.number().int().positive().optional(),
  /** Platform, or any of several. */
  platform: z.union([z.string(), z.array(z.string()).min(1)]).optional(),
  /** Custom properties that must have exactly these values. */
  properties: z.record(z.string(), z.string()).optional(),
}

/** What a step predicate looks at. */
export interface FunnelEvent {
  event: string
  nthPurchase: number | null
  platform: string
  properties: Readonly<Record<string, string>>
}

const anyOf = (want: string | string[], value: string) =>
  typeof want === 'string' ? want === value : want.includes(value)

export type Predicate = z.output<z.ZodObject<typeof predicateShape>>

/** Whether an event satisfies a predicate. */
export function matches(p: Predicate, e: FunnelEvent): boolean {
  if (!anyOf(p.event, e.event)) return false
  if (p.nthPurchase !== undefined && p.nthPurchase !== e.nthPurchase) return false
  if (p.platform !== undefined && !anyOf(p.platform, e.platform)) return false
  return !p.properties || Object.entries(p.properties).every(([k, v]) => e.properties[k] === v)
}
