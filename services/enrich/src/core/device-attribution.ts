import type { Opstream } from '@opstream/runtime/contract/generated/attributed-event'

type ChannelInfo = Opstream.ChannelInfo
export type Attribution = Opstream.Attribution

/**
 * Sessions and touches of one device (stage 1 of enrich, keyed by anonymous_id).
 *
 * - A session ends after `sessionTimeoutMs` without events (30 min by default, as GA4 and
 *   Snowplow). Its channel is its first event's; a Direct (or Internal) event never overwrites
 *   a non-direct touch, even one that arrives late and turns out to be earlier.
 * - The first touch is the channel of the device's earliest event, whatever it was.
 * - The last non-direct touch is the latest event with a channel other than Direct/Internal,
 *   looked back at most `lookbackMs` (30 days by default) from the event being attributed.
 * - Events that arrive out of order within a session, or just before its start (within the
 *   timeout), join it; an event older than that gets a session of its own, marked `late`.
 */
export interface AttributionConfig {
  sessionTimeoutMs: number
  lookbackMs: number
}

export const DEFAULT_ATTRIBUTION: AttributionConfig = {
  sessionTimeoutMs: 30 * 60_000,
  lookbackMs: 30 * 86_400_000,
}

export interface TouchAt {
  channel: ChannelInfo
  at: number
}

export interface DeviceState {
  lastEventAt: number
  sessionIndex: number
  sessionStartedAt: number
  sessionChannel: ChannelInfo
  firstTouch: TouchAt
  lastNonDirect: TouchAt | null
}

const NOT_A_TOUCH = new Set(['Direct', 'Internal'])

export function isTouch(channel: ChannelInfo): boolean {
  return !NOT_A_TOUCH.has(channel.group)
}

export interface Attributed {
  state: DeviceState
  attribution: Attribution
  late: boolean
}

export function attributeEvent(
  state: DeviceState | undefined,
  anonymousId: string,
  at: number,
  channel: ChannelInfo,
  cfg: AttributionConfig = DEFAULT_ATTRIBUTION,
): Attributed {
  const touch = isTouch(channel)
  if (!state) {
    const next: DeviceState = {
      lastEventAt: at,
      sessionIndex: 1,
      sessionStartedAt: at,
      sessionChannel: channel,
      firstTouch: { channel, at },
      lastNonDirect: touch ? { channel, at } : null,
    }
    return { state: next, attribution: attribution(anonymousId, next, channel, at, cfg), late: false }
  }
  const next: DeviceState = { ...state }
  if (at < next.firstTouch.at) next.firstTouch = { channel, at }
  if (touch && (next.lastNonDirect === null || at >= next.lastNonDirect.at))
    next.lastNonDirect = { channel, at }
  if (at - next.lastEventAt > cfg.sessionTimeoutMs) {
    // A new session.
    next.sessionIndex += 1
    next.sessionStartedAt = at
    next.sessionChannel = channel
    next.lastEventAt = at
  } else if (at >= next.sessionStartedAt) {
    next.lastEventAt = Math.max(next.lastEventAt, at)
  } else if (next.sessionStartedAt - at <= cfg.sessionTimeoutMs) {
    // Late, and earlier than the session's first event: it becomes the first.
    next.sessionStartedAt = at
    if (touch || !isTouch(next.sessionChannel)) next.sessionChannel = channel
  } else {
    // Older than the session we keep: a session of its own.
    const lastNonDirect = touch ? { channel, at } : null
    return {
      state: next,
      attribution: {
        channel,
        session: { session_id: `${anonymousId}:late:${at}`, started_at: new Date(at), index: 0, channel },
        first_touch: toTouch(next.firstTouch),
        last_non_direct_touch: lastNonDirect ? toTouch(lastNonDirect) : null,
      },
      late: true,
    }
  }
  return { state: next, attribution: attribution(anonymousId, next, channel, at, cfg), late: false }
}

function attribution(
  anonymousId: string,
  s: DeviceState,
  channel: ChannelInfo,
  at: number,
  cfg: AttributionConfig,
): Attribution {
  const lnd =
    s.lastNonDirect && s.lastNonDirect.at <= at && at - s.lastNonDirect.at <= cfg.lookbackMs
      ? s.lastNonDirect
      : null
  return {
    channel,
    session: {
      session_id: `${anonymousId}:${s.sessionIndex}`,
      started_at: new Date(s.sessionStartedAt),
      index: s.sessionIndex,
      channel: s.sessionChannel,
    },
    first_touch: toTouch(s.firstTouch),
    last_non_direct_touch: lnd ? toTouch(lnd) : null,
  }
}

function toTouch(t: TouchAt): { channel: ChannelInfo; at: Date } {
  return { channel: t.channel, at: new Date(t.at) }
}
