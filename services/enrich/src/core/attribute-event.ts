import type { AttributedEvent } from '@opstream/runtime/contract/generated/attributed-event'
import type { Event } from '@opstream/runtime/contract/generated/event'
import { queryOf } from '@opstream/runtime/url-query'
import type { Touch } from './channel-classifier.ts'
import { type AttributionConfig, attributeEvent, type DeviceState } from './device-attribution.ts'

const CLICK_ID_FIELDS = ['gclid', 'bd_vid', 'gdt_vid', 'qz_gdt', 'clickid', 'ttclid', 'msclkid'] as const
const UTM_PARAMS = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content'] as const

/**
 * What the classifier needs from an envelope. Campaign fields win; when the app sent none,
 * utm_* and click ids are read from the page URL's query, where landing pages carry them.
 */
export function touchOf(event: Event, clickIdParams: readonly string[]): Touch {
  const c = event.campaign
  const query = queryOf(event.page.url)
  const utm = (name: (typeof UTM_PARAMS)[number]) => c[name] ?? query?.get(name) ?? null
  const clickIds: Record<string, string> = { ...c.other_click_ids }
  for (const f of CLICK_ID_FIELDS) {
    const v = c[f]
    if (v) clickIds[f] = v
  }
  for (const p of clickIdParams) {
    const v = query?.get(p)
    if (v && !clickIds[p]) clickIds[p] = v
  }
  return {
    utm: {
      source: utm('utm_source'),
      medium: utm('utm_medium'),
      campaign: utm('utm_campaign'),
      term: utm('utm_term'),
      content: utm('utm_content'),
    },
    clickIds,
    pageUrl: event.page.url,
    referrer: event.page.referrer,
    userAgent: event.device.user_agent,
    downloadChannel: event.app_install?.download_channel ?? event.app_install?.store ?? null,
  }
}

/** Stage 1 for one event: classify its touch, advance the device's state, emit the attributed event. */
export function attributeDeviceEvent(
  event: Event,
  state: DeviceState | undefined,
  classify: (t: Touch) => AttributedEvent['attribution']['channel'],
  clickIdParams: readonly string[],
  cfg?: AttributionConfig,
): { state: DeviceState; attributed: AttributedEvent; late: boolean } {
  const channel = classify(touchOf(event, clickIdParams))
  const r = attributeEvent(state, event.anonymous_id, event.occurred_at.getTime(), channel, cfg)
  return { state: r.state, attributed: { event, attribution: r.attribution }, late: r.late }
}
