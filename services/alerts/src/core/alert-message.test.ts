import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { sampleAlert } from '../../test/support/sample-alert.ts'
import {
  alertmanagerBody,
  dingtalkRequest,
  feishuBody,
  formatValue,
  markdownText,
  renderTemplate,
  webhookBody,
  wecomBody,
} from './alert-message.ts'

const alert = sampleAlert

describe('alert messages', () => {
  it('fills templates with the numbers and labels', () => {
    const text = renderTemplate(
      '{{labels.channel_group}}: {{baseline}} → {{value}} (z {{score}}, {{volume}} registrations, {{nothing}})',
      { value: formatValue(0.12, true), baseline: formatValue(0.31, true), score: -12.141, volume: 1234 },
      { channel_group: 'Paid Social' },
    )
    expect(text).toBe('Paid Social: 31.0 % → 12.0 % (z -12.14, 1,234 registrations, –)')
    expect([formatValue(0, false), formatValue(0.5, false), formatValue(null, true)]).toEqual([
      '0',
      '0.50',
      '–',
    ])
  })

  it('Alertmanager v2: labels with alertname and severity, times as ISO strings', () => {
    expect(alertmanagerBody([alert])).toEqual([
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
    const r = dingtalkRequest('https://oapi.dingtalk.com/robot/send?access_token=T', secret, [alert], now)
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
    expect((wecomBody([alert]) as { markdown: { content: string } }).markdown.content).toContain('[FIRING]')
    const feishu = feishuBody(secret, [alert], now) as { timestamp: string; sign: string }
    expect(feishu.timestamp).toBe(String(now / 1000))
    const f = createHmac('sha256', Buffer.from(`${now / 1000}\n${secret}`, 'utf8'))
      .digest()
      .toString('base64')
    expect(feishu.sign).toBe(f)
  })

  it('one message per evaluation: ten alerts listed, the rest counted; the webhook gets them all', () => {
    const many = Array.from({ length: 13 }, (_, i) => ({ ...alert, labels: { channel_group: `c${i}` } }))
    const text = markdownText(many)
    expect(text.match(/\[FIRING\]/g)?.length).toBe(10)
    expect(text.endsWith('… and 3 more')).toBe(true)
    const body = webhookBody(many) as { alerts: Array<{ status: string; labels: Record<string, string> }> }
    expect(body.alerts).toHaveLength(13)
    expect(body.alerts[12]).toMatchObject({
      status: 'firing',
      labels: { alertname: alert.rule, channel_group: 'c12' },
    })
  })
})
