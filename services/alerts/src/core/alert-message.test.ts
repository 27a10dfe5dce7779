import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  type AlertMessage,
  alertmanagerBody,
  dingtalkRequest,
  feishuBody,
  formatNumber,
  renderTemplate,
  wecomBody,
} from './alert-message.ts'

const alert: AlertMessage = {
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

describe('alert messages', () => {
  it('fills templates with the numbers and labels', () => {
    const text = renderTemplate(
      '{{labels.channel_group}}: {{baseline}} → {{value}} (z {{score}}, {{volume}} registrations, {{nothing}})',
      { value: 0.12, baseline: 0.31, score: -12.141, volume: 1234 },
      { channel_group: 'Paid Social' },
    )
    expect(text).toBe('Paid Social: 31.0 % → 12.0 % (z -12.14, 1,234 registrations, –)')
    expect(formatNumber(0)).toBe('0')
  })

  it('Alertmanager v2: labels with alertname and severity, times as ISO strings', () => {
    expect(alertmanagerBody(alert)).toEqual([
      {
        labels: {
          alertname: 'card_binding_conversion_drop',
          severity: 'page',
          channel_group: 'Paid Social',
          team: 'growth',
        },
        annotations: alert.annotations,
        startsAt: '2026-11-23T10:00:00.000Z',
        endsAt: '2026-11-23T10:03:00.000Z',
        generatorURL: 'http://127.0.0.1:3000/d/funnels',
      },
    ])
  })

  it('DingTalk: signed URL as the robot checks it; WeCom and Feishu bodies', () => {
    const now = 1_795_600_000_000
    const secret = 'SEC0123456789abcdef'
    const r = dingtalkRequest('https://oapi.dingtalk.com/robot/send?access_token=T', secret, alert, now)
    const url = new URL(r.url)
    expect(url.searchParams.get('access_token')).toBe('T')
    expect(url.searchParams.get('timestamp')).toBe(String(now))
    // The robot's own check: HMAC-SHA256 over "timestamp\nsecret" keyed by the secret, base64.
    const mac = createHmac('sha256', Buffer.from(secret, 'utf8'))
    mac.update(Buffer.from(`${now}\n${secret}`, 'utf8'))
    expect(url.searchParams.get('sign')).toBe(mac.digest().toString('base64'))
    // The signature travels URL-encoded (base64's + / = escaped).
    expect(r.url).toContain(`sign=${encodeURIComponent(url.searchParams.get('sign') as string)}`)
    expect(r.body).toMatchObject({
      msgtype: 'markdown',
      markdown: { title: 'card_binding_conversion_drop firing' },
    })
    expect((wecomBody(alert) as { markdown: { content: string } }).markdown.content).toContain('[FIRING]')
    const feishu = feishuBody(secret, alert, now) as { timestamp: string; sign: string }
    expect(feishu.timestamp).toBe(String(now / 1000))
    const f = createHmac('sha256', Buffer.from(`${now / 1000}\n${secret}`, 'utf8'))
      .digest()
      .toString('base64')
    expect(feishu.sign).toBe(f)
  })
})
