import { type FunnelsFile, matchSteps } from './funnel-config.ts'
import type { Anchor, FunnelInput } from './person-funnels.ts'
import type { FunnelEvent } from './predicates.ts'

/** What the funnels need of one event, wherever it was read from (Kafka or `events`). */
export interface FunnelFacts extends FunnelEvent {
  at: number
  anchor: Anchor
}

/** The event's matching steps per funnel (funnels it matches nothing of are left out). */
export function funnelInput(facts: FunnelFacts, file: FunnelsFile): FunnelInput {
  const steps: Record<string, number[]> = {}
  for (const f of file.funnels) {
    const matched = matchSteps(f, facts)
    if (matched.length > 0) steps[f.name] = matched
  }
  return { at: facts.at, steps, anchor: facts.anchor }
}

/** A channel as the person's dims see it. */
export interface ChannelDims {
  group: string
  campaign: string
}

/**
 * The anchor an event offers (see betterAnchor): a registration offers the acquisition channel
 * it froze; any other event its own channel.
 */
export function eventAnchor(
  at: number,
  event: string,
  platform: string,
  channel: ChannelDims,
  acquisition: ChannelDims | null,
): Anchor {
  const registered = event === 'register' && acquisition !== null
  const dims = registered && acquisition ? acquisition : channel
  return { at, registered, channel: dims.group, campaign: dims.campaign, platform }
}

/** Events that link a device to a user (as the `identities` view takes them). */
export const LINK_EVENTS: ReadonlySet<string> = new Set(['register', 'login', 'identify'])
