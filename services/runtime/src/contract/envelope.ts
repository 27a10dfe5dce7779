import type { Event } from './generated/event.ts'

/** An envelope with every optional part empty: the mappings fill in what they know. */
export function emptyEnvelope(
  required: Pick<Event, 'event_id' | 'event' | 'occurred_at' | 'received_at' | 'anonymous_id' | 'app'>,
): Event {
  return {
    ...required,
    sent_at: null,
    user_id: null,
    session_id: null,
    page: { url: null, path: null, referrer: null, title: null },
    campaign: {
      utm_source: null,
      utm_medium: null,
      utm_campaign: null,
      utm_term: null,
      utm_content: null,
      gclid: null,
      bd_vid: null,
      gdt_vid: null,
      qz_gdt: null,
      clickid: null,
      ttclid: null,
      msclkid: null,
      other_click_ids: {},
    },
    device: {
      os: null,
      os_version: null,
      model: null,
      manufacturer: null,
      user_agent: null,
      screen_width: null,
      screen_height: null,
    },
    locale: null,
    ip: null,
    page_view: null,
    click: null,
    register: null,
    login: null,
    real_name_verified: null,
    bind_card: null,
    recharge: null,
    purchase: null,
    withdraw: null,
    coupon: null,
    gift: null,
    app_install: null,
    properties: {},
  }
}
