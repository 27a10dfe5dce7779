/**
 * The funnels file (config/funnels.json), validated: every funnel is data — ordered steps as
 * event predicates, a conversion window, and the lateness an event may have and still count.
 */
import { z } from 'zod'
import { duration, type FunnelEvent, matches, predicateShape } from './predicates.ts'
import { triggersSchema } from './stall-triggers.ts'

const stepSchema = z.strictObject({ name: z.string().min(1), ...predicateShape })

const funnelSchema = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9_]*$/, 'lower-case letters, digits and _'),
  window: duration,
  steps: z.array(stepSchema).min(2).max(32),
})

export const funnelsFileSchema = z
  .strictObject({
    $comment: z.string().optional(),
    allowedLateness: duration,
    /**
     * How far (event time) past a device's link to a user the user's funnels keep their recent
     * events unfolded, so that the device's earlier events, reaching the aggregate late through
     * another partition, still merge exactly.
     */
    stitchGrace: duration.default(86_400_000),
    funnels: z.array(funnelSchema).min(1),
    /** Stall triggers (see stall-triggers.ts). */
    triggers: triggersSchema,
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

/** Indexes (0-based) of the steps an event matches. */
export function matchSteps(funnel: FunnelDefinition, e: FunnelEvent): number[] {
  const out: number[] = []
  funnel.steps.forEach((s, i) => {
    if (matches(s, e)) out.push(i)
  })
  return out
}
