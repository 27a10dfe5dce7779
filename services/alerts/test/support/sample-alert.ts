import type { AlertMessage } from '../../src/core/alert-message.ts'

/** A firing alert of the card-binding rule on one channel, for tests of formats and delivery. */
export const sampleAlert: AlertMessage = {
  rule: 'card_binding_conversion_drop',
  severity: 'page',
  state: 'firing',
  labels: { channel_group: 'Paid Social', team: 'growth' },
  annotations: { summary: 'Paid Social: registration → card binding 31.0 % → 12.0 %' },
  startsAt: new Date('2026-11-23T10:00:00Z'),
  endsAt: new Date('2026-11-23T10:03:00Z'),
  value: 0.12,
  baseline: 0.31,
  generatorURL: 'http://127.0.0.1:3000/d/funnels',
}
