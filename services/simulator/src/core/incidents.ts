/**
 * Incidents on demand, as `KIND:ARGS` (the simulator's --incident), each from the moment it is
 * given until the run ends or its duration is over:
 *   conversion:CHANNEL:PLATFORM[:FACTOR]  card binding of the channel's visitors on the platform ×FACTOR (0.1)
 *   outage:PLATFORM[:MINUTES]             the platform's app messages are lost (tracking outage; 30 min)
 *   spike:CHANNEL[:FACTOR]                the channel's visitors ×FACTOR (5)
 *   cost:CHANNEL[:FACTOR]                 the channel's daily cost ×FACTOR (3)
 *   broken:PLATFORM[:SHARE]               a bad app release: that share (0.5) of the platform's
 *                                         impressions lose their content id; ingest refuses them (DLQ)
 */
import type { JourneyEffects } from './journeys.ts'
import { CHANNELS, type Platform } from './platform-model.ts'

export type Incident =
  | { kind: 'conversion'; channel: string; platform: Platform; factor: number; from: number }
  | { kind: 'outage'; platform: Platform; from: number; until: number }
  | { kind: 'spike'; channel: string; factor: number; from: number }
  | { kind: 'cost'; channel: string; factor: number; from: number }
  | { kind: 'broken'; platform: Platform; share: number; from: number }

const PLATFORMS: readonly Platform[] = ['web', 'h5', 'ios', 'android', 'miniprogram']

export function parseIncident(text: string, from: number): Incident {
  const [kind, ...args] = text.split(':')
  const channel = (name: string | undefined) => {
    if (!name || !CHANNELS.some((c) => c.key === name))
      throw new Error(
        `incident "${text}": unknown channel "${name ?? ''}" (one of ${CHANNELS.map((c) => c.key).join(', ')})`,
      )
    return name
  }
  const platform = (name: string | undefined): Platform => {
    if (!PLATFORMS.includes(name as Platform))
      throw new Error(`incident "${text}": unknown platform "${name ?? ''}" (one of ${PLATFORMS.join(', ')})`)
    return name as Platform
  }
  const number = (v: string | undefined, fallback: number) => {
    if (v === undefined) return fallback
    const n = Number(v)
    if (!Number.isFinite(n) || n < 0) throw new Error(`incident "${text}": "${v}" is not a number ≥ 0`)
    return n
  }
  switch (kind) {
    case 'conversion':
      return {
        kind,
        channel: channel(args[0]),
        platform: platform(args[1]),
        factor: number(args[2], 0.1),
        from,
      }
    case 'outage':
      return { kind, platform: platform(args[0]), from, until: from + number(args[1], 30) * 60_000 }
    case 'spike':
      return { kind, channel: channel(args[0]), factor: number(args[1], 5), from }
    case 'cost':
      return { kind, channel: channel(args[0]), factor: number(args[1], 3), from }
    case 'broken':
      return { kind, platform: platform(args[0]), share: Math.min(1, number(args[1], 0.5)), from }
    default:
      throw new Error(`incident "${text}": the kind is one of conversion, outage, spike, cost, broken`)
  }
}

/** The incidents' effects on journeys, and on traffic and cost. */
export function effectsOf(incidents: readonly Incident[]): JourneyEffects & {
  trafficFactor(channel: string, at: number): number
  costFactor(channel: string, at: number): number
} {
  const factor = (kind: 'spike' | 'cost', channel: string, at: number) =>
    incidents.reduce(
      (f, i) => (i.kind === kind && i.channel === channel && at >= i.from ? f * i.factor : f),
      1,
    )
  return {
    bindCardFactor: (channel, platform, at) =>
      incidents.reduce(
        (f, i) =>
          i.kind === 'conversion' && i.channel === channel && i.platform === platform && at >= i.from
            ? f * i.factor
            : f,
        1,
      ),
    dropped: (platform, at) =>
      incidents.some((i) => i.kind === 'outage' && i.platform === platform && at >= i.from && at < i.until),
    brokenShare: (platform, at) =>
      incidents.reduce(
        (x, i) => (i.kind === 'broken' && i.platform === platform && at >= i.from ? Math.max(x, i.share) : x),
        0,
      ),
    trafficFactor: (channel, at) => factor('spike', channel, at),
    costFactor: (channel, at) => factor('cost', channel, at),
  }
}
