import type { Event } from '@opstream/runtime/contract/generated/event'
import { sampleEvent } from '@opstream/runtime/testing/sample-events'
import { seededRandom } from '@opstream/runtime/testing/seeded-random'

/**
 * A deterministic stream of device events for enrich tests: devices land from a mix of
 * channels, browse in sessions, some register (gaining a user_id), invest, and come back days later.
 * Same seed, same events in the same order.
 */
export function deviceEventStream(opts: { events: number; devices: number; seed?: number }): Event[] {
  const rand = seededRandom(opts.seed ?? 42)
  const landings = [
    'https://m.example.cn/l?utm_source=toutiao&utm_medium=feed&clickid=ck',
    'https://m.example.cn/l?utm_source=baidu&utm_medium=cpc&bd_vid=bd',
    'https://m.example.cn/l?gdt_vid=wx0',
    'https://m.example.cn/l',
  ]
  const referrers = [
    'https://www.baidu.com/s?wd=licai',
    'https://weibo.com/u/1',
    null,
    'https://www.zhihu.com/q/1',
  ]
  const clock = new Map<number, number>()
  const registered = new Set<number>()
  const base = Date.parse('2026-11-01T00:00:00Z')
  const out: Event[] = []
  for (let i = 0; i < opts.events; i++) {
    const d = Math.floor(rand() * opts.devices)
    const gap = rand() < 0.8 ? rand() * 10 * 60_000 : rand() * 3 * 86_400_000
    const at = (clock.get(d) ?? base + rand() * 86_400_000) + gap
    clock.set(d, at)
    const newSession = gap > 30 * 60_000 || !clock.has(d)
    const investing = registered.has(d) && rand() < 0.15
    const registering = !registered.has(d) && rand() < 0.05
    if (registering) registered.add(d)
    const landing = newSession || rand() < 0.1
    out.push(
      sampleEvent({
        event_id: `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
        event: registering ? 'register' : investing ? 'invest' : 'page_view',
        purchase: investing
          ? {
              order_id: `order-${i}`,
              amount: `${1 + Math.floor(rand() * 5_000)}.${Math.floor(rand() * 100)
                .toString()
                .padStart(2, '0')}00`,
              currency: 'CNY',
              product_id: 'fund-30d',
              product_type: null,
              term_days: 30,
              coupon_id: null,
            }
          : null,
        anonymous_id: `device-${d}`,
        user_id: registered.has(d) ? `user-${d}` : null,
        occurred_at: new Date(Math.round(at)),
        received_at: new Date(Math.round(at) + 100),
        page: {
          url: landing
            ? (landings[Math.floor(rand() * landings.length)] as string)
            : 'https://m.example.cn/p',
          path: null,
          referrer: landing
            ? (referrers[Math.floor(rand() * referrers.length)] ?? null)
            : 'https://m.example.cn/',
          title: null,
        },
      }),
    )
  }
  return out
}
