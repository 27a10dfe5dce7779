import { describe, expect, it } from 'vitest'
import type { RequestContext } from './envelope.ts'
import { fromNative } from './native-event.ts'

const ctx: RequestContext = {
  appId: 'www',
  platform: 'web',
  receivedAt: new Date('2026-11-24T10:00:00.000Z'),
  ip: '10.0.0.1',
  newId: () => '00000000-0000-4000-8000-000000000001',
}

describe('fromNative', () => {
  it('builds the envelope: server fields stamped, client fields kept, payload typed', () => {
    const r = fromNative(
      {
        event_id: 'AAAAAAAA-1111-4222-8333-444444444444',
        event: 'invest',
        occurred_at: '2026-11-24T09:59:58.500Z',
        anonymous_id: 'dev-9',
        user_id: 'u-9',
        app: { platform: 'android', app_version: '5.2.0' },
        campaign: { utm_source: 'toutiao', clickid: 'ck-1' },
        purchase: { order_id: 'o-1', amount: 1000.5, product_id: 'p-30d', term_days: 30 },
        properties: { page: 'home', first: true, n: 3, gone: null },
      },
      ctx,
    )
    expect(r.ok).toBe(true)
    if (!r.ok) return
    const e = r.event
    expect(e.event_id).toBe('aaaaaaaa-1111-4222-8333-444444444444')
    expect(e.occurred_at.toISOString()).toBe('2026-11-24T09:59:58.500Z')
    expect(e.received_at).toEqual(ctx.receivedAt)
    expect(e.app).toEqual({ platform: 'android', app_id: 'www', app_version: '5.2.0' })
    expect(e.ip).toBe('10.0.0.1')
    expect(e.campaign.utm_source).toBe('toutiao')
    expect(e.campaign.clickid).toBe('ck-1')
    expect(e.campaign.gclid).toBeNull()
    expect(e.purchase).toEqual({
      order_id: 'o-1',
      amount: '1000.5000',
      currency: 'CNY',
      product_id: 'p-30d',
      product_type: null,
      term_days: 30,
      coupon_id: null,
    })
    expect(e.properties).toEqual({ page: 'home', first: 'true', n: '3' })
  })

  it('fills defaults: a new id, received time, the write key’s platform', () => {
    const r = fromNative({ event: 'page_view', anonymous_id: 'd' }, ctx)
    expect(r.ok && r.event.event_id).toBe('00000000-0000-4000-8000-000000000001')
    expect(r.ok && r.event.occurred_at).toEqual(ctx.receivedAt)
    expect(r.ok && r.event.app.platform).toBe('web')
  })

  it.each([
    [{ anonymous_id: 'd' }, 'event: '],
    [{ event: 'x' }, 'anonymous_id: '],
    [{ event: 'x', anonymous_id: 'd', occurred_at: 'yesterday' }, 'occurred_at: must be an ISO 8601 time'],
    [{ event: 'x', anonymous_id: 'd', event_id: 'abc' }, 'event_id: must be a UUID'],
    [{ event: 'x', anonymous_id: 'd', colour: 'red' }, 'colour'],
    [{ event: 'invest', anonymous_id: 'd' }, 'purchase: required for a invest event'],
    [
      { event: 'invest', anonymous_id: 'd', purchase: { order_id: 'o', amount: '1.23456', product_id: 'p' } },
      'purchase.amount: must be a decimal',
    ],
    [{ event: 'x', anonymous_id: 'd', properties: { deep: { a: 1 } } }, 'properties.deep'],
    [{ event: 'x', anonymous_id: 'd', app: { platform: 'tv' } }, 'app.platform'],
  ])('rejects %j naming the field', (input, reason) => {
    const r = fromNative(input, ctx)
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.reason).toContain(reason)
  })
})
