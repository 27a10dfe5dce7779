import { describe, expect, it } from 'vitest'
import type { RequestContext } from './envelope.ts'
import { fromSegment } from './segment.ts'

const ctx: RequestContext = {
  appId: 'www',
  platform: 'web',
  receivedAt: new Date('2026-11-24T10:00:10.000Z'),
  ip: '10.0.0.2',
  newId: () => '00000000-0000-4000-8000-000000000002',
}

describe('fromSegment', () => {
  it('removes client clock skew: occurred_at = received_at − (sentAt − timestamp)', () => {
    // The client clock is 1 h 5 s fast: it says sent at 11:00:15 and happened at 11:00:00.
    const r = fromSegment(
      {
        type: 'track',
        event: 'Signed Up',
        anonymousId: 'a1',
        timestamp: '2026-11-24T11:00:00.000Z',
        sentAt: '2026-11-24T11:00:15.000Z',
      },
      ctx,
    )
    expect(r.ok && r.event.occurred_at.toISOString()).toBe('2026-11-24T09:59:55.000Z')
    expect(r.ok && r.event.sent_at?.toISOString()).toBe('2026-11-24T11:00:15.000Z')
  })

  it('uses the batch sentAt when the message has none, and the timestamp alone without one', () => {
    const m = { type: 'track', event: 'x', anonymousId: 'a', timestamp: '2026-11-24T10:00:00.000Z' }
    const withBatch = fromSegment(m, ctx, new Date('2026-11-24T10:00:02.000Z'))
    expect(withBatch.ok && withBatch.event.occurred_at.toISOString()).toBe('2026-11-24T10:00:08.000Z')
    const alone = fromSegment(m, ctx)
    expect(alone.ok && alone.event.occurred_at.toISOString()).toBe('2026-11-24T10:00:00.000Z')
  })

  it('takes the platform from a relayed browser or mini-program user agent, else the server library', () => {
    const platform = (context: Record<string, unknown>) => {
      const r = fromSegment({ type: 'track', event: 'x', anonymousId: 'a', context }, ctx)
      return r.ok ? r.event.app.platform : r.reason
    }
    const library = { name: '@segment/analytics-node' }
    const desktop = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36'
    const phone = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148'
    const mini = `${phone} MicroMessenger/8.0.40 NetType/WIFI Language/zh_CN miniProgram`
    expect(platform({ library, userAgent: desktop })).toBe('web')
    expect(platform({ library, userAgent: phone })).toBe('h5')
    expect(platform({ library, userAgent: mini })).toBe('miniprogram')
    expect(platform({ library, userAgent: phone, os: { name: 'iOS' } })).toBe('ios')
    expect(platform({ library })).toBe('server')
  })

  it('keeps a UUID messageId and derives a stable UUID from any other', () => {
    const a = fromSegment(
      { type: 'track', event: 'x', anonymousId: 'a', messageId: 'node-next-123-abc' },
      ctx,
    )
    const b = fromSegment(
      { type: 'track', event: 'x', anonymousId: 'a', messageId: 'node-next-123-abc' },
      ctx,
    )
    const c = fromSegment(
      { type: 'track', event: 'x', anonymousId: 'a', messageId: 'node-next-124-abc' },
      ctx,
    )
    expect(a.ok && a.event.event_id).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    )
    expect(a.ok && b.ok && a.event.event_id === b.event.event_id).toBe(true)
    expect(a.ok && c.ok && a.event.event_id !== c.event.event_id).toBe(true)
    const u = fromSegment(
      { type: 'track', event: 'x', anonymousId: 'a', messageId: 'D0E1F2A3-B4C5-4D6E-8F70-8192A3B4C5D6' },
      ctx,
    )
    expect(u.ok && u.event.event_id).toBe('d0e1f2a3-b4c5-4d6e-8f70-8192a3b4c5d6')
  })

  it('maps context: page, campaign and click ids from the URL, device, os, locale, ip', () => {
    const r = fromSegment(
      {
        type: 'page',
        name: 'Landing',
        anonymousId: 'a',
        properties: { title: '新手专享', plan: 'gold' },
        context: {
          page: {
            url: 'https://m.example.cn/l?bd_vid=BD123&x=1',
            path: '/l',
            referrer: 'https://www.baidu.com/',
          },
          campaign: { name: 'spring', source: 'baidu', medium: 'cpc', term: '理财', content: 'a' },
          device: { model: 'Mi 14', manufacturer: 'Xiaomi' },
          os: { name: 'Android', version: '14' },
          screen: { width: 1080, height: 2400 },
          userAgent: 'Mozilla/5.0 baiduboxapp/13.0',
          locale: 'zh-CN',
          ip: '1.2.3.4',
        },
      },
      ctx,
    )
    expect(r.ok).toBe(true)
    if (!r.ok) return
    expect(r.event.event).toBe('page_view')
    expect(r.event.page).toEqual({
      url: 'https://m.example.cn/l?bd_vid=BD123&x=1',
      path: '/l',
      referrer: 'https://www.baidu.com/',
      title: '新手专享',
    })
    expect(r.event.campaign).toMatchObject({
      utm_campaign: 'spring',
      utm_source: 'baidu',
      utm_medium: 'cpc',
      utm_term: '理财',
      bd_vid: 'BD123',
      gclid: null,
    })
    expect(r.event.device).toEqual({
      os: 'Android',
      os_version: '14',
      model: 'Mi 14',
      manufacturer: 'Xiaomi',
      user_agent: 'Mozilla/5.0 baiduboxapp/13.0',
      screen_width: 1080,
      screen_height: 2400,
    })
    expect(r.event.app.platform).toBe('android')
    expect(r.event.locale).toBe('zh-CN')
    expect(r.event.ip).toBe('1.2.3.4')
    expect(r.event.properties).toEqual({ plan: 'gold', name: 'Landing' })
  })

  it('types a standard event’s payload from its properties and keeps the rest', () => {
    const r = fromSegment(
      {
        type: 'track',
        event: 'invest',
        userId: 'u1',
        properties: {
          order_id: 'o9',
          revenue: 2500,
          product_id: 'p',
          term_days: 90,
          channel: 'x',
          tags: ['a'],
        },
      },
      ctx,
    )
    expect(r.ok && r.event.purchase).toEqual({
      order_id: 'o9',
      amount: '2500.0000',
      currency: 'CNY',
      product_id: 'p',
      product_type: null,
      term_days: 90,
      coupon_id: null,
    })
    expect(r.ok && r.event.properties).toEqual({ channel: 'x', tags: '["a"]' })
    expect(r.ok && r.event.anonymous_id).toBe('user:u1')
  })

  it('types content engagement: impressions, shares, clicks and reads carry their content id', () => {
    const track = (event: string, properties: Record<string, unknown>) =>
      fromSegment({ type: 'track', event, anonymousId: 'a1', properties }, ctx)
    const shown = track('impression', { content_id: 'art-7', placement: 'feed', position: 3, ab: 'b' })
    expect(shown.ok && shown.event.impression).toEqual({
      content_id: 'art-7',
      content_type: null,
      placement: 'feed',
      position: 3,
    })
    expect(shown.ok && shown.event.properties).toEqual({ ab: 'b' })
    const shared = track('share', { content_id: 'art-7', share_channel: 'wechat_moments' })
    expect(shared.ok && shared.event.share).toEqual({
      content_id: 'art-7',
      content_type: null,
      share_channel: 'wechat_moments',
    })
    const clicked = track('click', { content_id: 'art-7', placement: 'feed', element_id: 'card' })
    expect(clicked.ok && clicked.event.click).toMatchObject({ content_id: 'art-7', placement: 'feed' })
    // A share or an impression without the content it is of is refused (and goes to the DLQ).
    expect(track('share', { share_channel: 'weibo' })).toMatchObject({
      ok: false,
      reason: expect.stringContaining('content_id'),
    })
    const read = fromSegment(
      {
        type: 'page',
        name: 'article',
        anonymousId: 'a1',
        properties: { content_id: 'art-7', duration_ms: 5 },
      },
      ctx,
    )
    expect(read.ok && read.event.page_view).toEqual({
      duration_ms: 5,
      content_id: 'art-7',
      content_type: null,
    })
  })

  it('turns identify traits into a user profile update', () => {
    const r = fromSegment(
      {
        type: 'identify',
        userId: 'u7',
        anonymousId: 'dev-7',
        timestamp: '2026-11-24T10:00:00Z',
        traits: {
          tier: 'gold',
          address: { city: '杭州', state: '浙江' },
          createdAt: '2026-01-02T00:00:00Z',
          birthday: '1990-05-06T00:00:00Z',
          nickname: 'x',
        },
      },
      ctx,
    )
    expect(r.ok && r.event.event).toBe('identify')
    expect(r.ok && r.profile).toEqual({
      user_id: 'u7',
      member_tier: 'gold',
      city: '杭州',
      province: '浙江',
      birthday: '1990-05-06',
      gender: null,
      asset_band: null,
      registered_at: new Date('2026-01-02T00:00:00Z'),
      updated_at: new Date('2026-11-24T10:00:00Z'),
      custom: { nickname: 'x' },
    })
  })

  it.each([
    [{ type: 'track', anonymousId: 'a' }, 'event: required'],
    [{ type: 'track', event: 'x' }, 'anonymousId or userId is required'],
    [{ type: 'group', anonymousId: 'a', groupId: 'g' }, 'group calls are not supported'],
    [{ type: 'launch', anonymousId: 'a' }, 'type'],
    [
      { type: 'track', event: 'invest', anonymousId: 'a', properties: { order_id: 'o' } },
      'properties of invest',
    ],
    [{ type: 'track', event: 'x', anonymousId: 'a', timestamp: 'soon' }, 'timestamp'],
  ])('rejects %j with a reason', (input, reason) => {
    const r = fromSegment(input, ctx)
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.reason).toContain(reason)
  })
})
