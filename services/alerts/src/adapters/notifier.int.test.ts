import { execFileSync } from 'node:child_process'
import { testLogger } from '@opstream/runtime/testing/stack'
import { Registry } from 'prom-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type Receiver as LocalReceiver,
  type Received,
  startReceiver,
} from '../../test/support/http-receiver.ts'
import { sampleAlert } from '../../test/support/sample-alert.ts'
import { createNotifier, type Receiver } from './notifier.ts'

const firing = {
  ...sampleAlert,
  annotations: { summary: 'Paid Social: registration → card 50.0 % → 16.7 %' },
  startsAt: new Date('2026-11-25T10:00:00Z'),
  endsAt: new Date('2026-11-25T10:03:00Z'),
  value: 0.167,
  baseline: 0.5,
}

/** HMAC-SHA256, base64, computed by the openssl command line — not by Node's crypto. */
function opensslHmac(key: string, message: string): string {
  return execFileSync(
    'sh',
    ['-c', `printf '%s' "$MSG" | openssl dgst -sha256 -mac HMAC -macopt hexkey:$KEY -binary | base64`],
    { env: { ...process.env, KEY: Buffer.from(key).toString('hex'), MSG: message }, encoding: 'utf8' },
  ).trim()
}

async function counter(registry: Registry, name: string): Promise<Record<string, number>> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name)
  const values = (metric?.values ?? []) as Array<{ labels: Record<string, string>; value: number }>
  return Object.fromEntries(values.map((v) => [Object.values(v.labels).join('/'), v.value]))
}

describe('alert receivers over HTTP', () => {
  let robot: LocalReceiver
  const refuse = { wecom: 0, flaky: 2 }
  beforeAll(async () => {
    robot = await startReceiver((r) => {
      if (r.path === '/flaky' && refuse.flaky > 0) {
        refuse.flaky--
        return { status: 500, body: 'busy' }
      }
      if (r.path === '/cgi-bin/webhook/send' && refuse.wecom > 0) {
        refuse.wecom--
        return { status: 200, body: { errcode: 45009, errmsg: 'api freq out of limit' } }
      }
      return { status: 200, body: r.path.startsWith('/open-apis') ? { code: 0 } : { errcode: 0 } }
    })
  })
  afterAll(() => robot.close())

  it('webhook, DingTalk (signed), WeCom and Feishu (signed) bodies as their receivers read them', async () => {
    const secret = 'SECb1c2d3e4f5a6b7c8d9'
    const receivers: Receiver[] = [
      { kind: 'webhook', url: `${robot.url}/hook` },
      { kind: 'dingtalk', url: `${robot.url}/robot/send?access_token=TOKEN1`, secret },
      { kind: 'wecom', url: `${robot.url}/cgi-bin/webhook/send?key=KEY1` },
      { kind: 'feishu', url: `${robot.url}/open-apis/bot/v2/hook/abc`, secret },
    ]
    const registry = new Registry()
    const notifier = createNotifier({ receivers, log: testLogger('notifier'), registry })
    await notifier.deliver(
      [firing],
      [firing, { ...firing, state: 'resolved', labels: { channel_group: 'Paid Search' } }],
    )

    expect(robot.bodies('/hook')).toEqual([
      {
        version: '1',
        source: 'opstream',
        alerts: [
          {
            status: 'firing',
            labels: {
              alertname: firing.rule,
              severity: 'page',
              channel_group: 'Paid Social',
              team: 'growth',
            },
            annotations: firing.annotations,
            startsAt: '2026-11-25T10:00:00.000Z',
            endsAt: '2026-11-25T10:03:00.000Z',
            value: 0.167,
            baseline: 0.5,
            generatorURL: sampleAlert.generatorURL,
          },
          expect.objectContaining({
            status: 'resolved',
            labels: expect.objectContaining({ channel_group: 'Paid Search' }),
          }),
        ],
      },
    ])

    const only = (path: string): Received => {
      const found = robot.received.filter((r) => r.path === path)
      expect(found).toHaveLength(1)
      return found[0] as Received
    }
    const ding = only('/robot/send')
    const timestamp = ding.query.get('timestamp') as string
    expect(ding.query.get('access_token')).toBe('TOKEN1')
    expect(Math.abs(Number(timestamp) - Date.now())).toBeLessThan(60_000)
    // The robot's check, by openssl: base64(HMAC-SHA256(key = secret, "timestamp\nsecret")),
    // sent URL-encoded.
    const sign = opensslHmac(secret, `${timestamp}\n${secret}`)
    expect(ding.query.get('sign')).toBe(sign)
    expect(ding.raw).toContain(`sign=${encodeURIComponent(sign)}`)
    expect(ding.body).toMatchObject({ msgtype: 'markdown', markdown: { title: '1 firing, 1 resolved' } })
    const text = (ding.body as { markdown: { text: string } }).markdown.text
    expect(text).toContain('**[FIRING] card_binding_conversion_drop** (page)')
    expect(text).toContain('**[RESOLVED] card_binding_conversion_drop** (page)')
    expect(text).toContain('- summary: Paid Social: registration → card 50.0 % → 16.7 %')

    const wecom = only('/cgi-bin/webhook/send')
    expect(wecom.query.get('key')).toBe('KEY1')
    expect(wecom.body).toEqual({ msgtype: 'markdown', markdown: { content: text } })

    const feishu = robot.received.find((r) => r.path === '/open-apis/bot/v2/hook/abc')?.body as Record<
      string,
      string
    >
    expect(Math.abs(Number(feishu.timestamp) * 1000 - Date.now())).toBeLessThan(60_000)
    // Feishu's check: base64(HMAC-SHA256(key = "timestamp\nsecret", message = "")).
    expect(feishu.sign).toBe(opensslHmac(`${feishu.timestamp}\n${secret}`, ''))
    expect(feishu).toMatchObject({ msg_type: 'text', content: { text } })
    expect(await counter(registry, 'alerts_notification_attempts_total')).toEqual({
      'webhook/ok': 1,
      'dingtalk/ok': 1,
      'wecom/ok': 1,
      'feishu/ok': 1,
    })
  })

  it('retries with backoff; a refused message waits for the next evaluation; one never taken is given up, counted', async () => {
    let clock = Date.parse('2026-11-25T10:00:00Z')
    const registry = new Registry()
    const notifier = createNotifier({
      receivers: [
        { kind: 'webhook', url: `${robot.url}/flaky` },
        { kind: 'wecom', url: `${robot.url}/cgi-bin/webhook/send?key=KEY2` },
        { kind: 'webhook', url: 'http://127.0.0.1:9/nobody-listens' },
      ],
      log: testLogger('notifier'),
      registry,
      now: () => clock,
      attempts: 3,
      backoffBaseMs: 10,
      giveUpAfterMs: 60_000,
    })
    robot.received.length = 0
    refuse.flaky = 2
    refuse.wecom = 3
    await notifier.deliver([], [firing])
    // /flaky: two 500s, then taken. WeCom: refused three times (rate limit) — waits.
    expect(robot.bodies('/flaky')).toHaveLength(3)
    expect(notifier.waiting()).toBe(2)
    clock += 30_000
    await notifier.deliver([], [])
    // WeCom takes it now; the dead address is still within its give-up time.
    expect(robot.received.filter((r) => r.query.get('key') === 'KEY2')).toHaveLength(4)
    expect(notifier.waiting()).toBe(1)
    clock += 31_000
    await notifier.deliver([], [])
    expect(notifier.waiting()).toBe(0)
    expect(await counter(registry, 'alerts_notifications_given_up_total')).toEqual({ webhook: 1 })
    expect(await counter(registry, 'alerts_notification_attempts_total')).toEqual({
      'webhook/error': 2 + 3 * 3,
      'webhook/ok': 1,
      'wecom/error': 3,
      'wecom/ok': 1,
    })
  })
})
