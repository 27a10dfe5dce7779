import type { EnrichedEvent } from '@opstream/runtime/contract/generated/enriched-event'
import { channelInfo } from '@opstream/runtime/testing/channel-info'
import { sampleEvent } from '@opstream/runtime/testing/sample-events'

let seq = 0

/**
 * A registered person's onboarding events as enrich emits them, keyed by the user (who is also
 * the device: no stitching), all from one channel and platform, `gapMs` apart from `at`:
 * first visit, registration, then as many of real-name verification and card binding as
 * `steps` asks for (2 to 4).
 */
export function onboardingEvents(opts: {
  user: string
  channelGroup: string
  platform: EnrichedEvent['event']['app']['platform']
  at: number
  steps: number
  from?: number
  gapMs?: number
}): EnrichedEvent[] {
  const names = ['page_view', 'register', 'real_name_verified', 'bind_card'].slice(opts.from ?? 0, opts.steps)
  const channel = { ...channelInfo(opts.channelGroup, opts.channelGroup.toLowerCase()), campaign: 'c1' }
  const registeredAt = new Date(opts.at + (opts.gapMs ?? 1_000))
  return names.map((name, i) => {
    const at = new Date(opts.at + ((opts.from ?? 0) + i) * (opts.gapMs ?? 1_000))
    const event = sampleEvent({
      event_id: `00000000-0000-4000-b000-${(seq++).toString(16).padStart(12, '0')}`,
      event: name,
      anonymous_id: opts.user,
      user_id: opts.user,
      occurred_at: at,
      received_at: at,
      app: { platform: opts.platform, app_id: 'licai', app_version: '5.2.0' },
    })
    return {
      event,
      attribution: {
        channel,
        session: { session_id: `${opts.user}:1`, started_at: at, index: 1, channel },
        first_touch: { channel, at: new Date(opts.at) },
        last_non_direct_touch: null,
      },
      person_key: opts.user,
      identity: { user_id: opts.user, linked_at: registeredAt, pre_registration: false },
      acquisition: { channel, registered_at: registeredAt },
      user: null,
      counters: {
        nth_purchase: null,
        cumulative_amount: '0.0000',
        first_purchase_at: null,
        days_since_registration: 0,
      },
    }
  })
}
