import { emptyEnvelope } from '../../src/contract/envelope.ts'
import type { Event } from '../../src/contract/generated/event.ts'

/** A valid envelope with every optional part empty; tests override what they need. */
export function sampleEvent(overrides: Partial<Event> = {}): Event {
  return {
    ...emptyEnvelope({
      event_id: '3f2b8c1e-7a4d-4e5f-9a0b-1c2d3e4f5a6b',
      event: 'page_view',
      occurred_at: new Date('2026-11-01T08:00:00.000Z'),
      received_at: new Date('2026-11-01T08:00:00.250Z'),
      anonymous_id: 'device-1',
      app: { platform: 'web', app_id: 'www', app_version: null },
    }),
    page: {
      url: 'https://example.cn/landing?utm_source=baidu',
      path: '/landing',
      referrer: null,
      title: null,
    },
    ...overrides,
  }
}
