import { createHmac } from 'node:crypto'

/** An alert as notifiers see it: one series of one rule in one state. */
export interface AlertMessage {
  rule: string
  severity: string
  state: 'firing' | 'resolved'
  labels: Record<string, string>
  annotations: Record<string, string>
  startsAt: Date
  /** Set when resolved; for a firing alert, when Alertmanager may drop it if not re-sent. */
  endsAt: Date
  value: number | null
  baseline: number | null
  generatorURL: string
}

/** Fills {{value}}, {{baseline}}, {{score}}, {{volume}}, {{explanation}} and {{labels.X}}. */
export function renderTemplate(
  template: string,
  vars: Record<string, string | number | null>,
  labels: Record<string, string>,
): string {
  return template.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_, name: string) => {
    if (name.startsWith('labels.')) return labels[name.slice('labels.'.length)] ?? ''
    const v = vars[name]
    if (v === null || v === undefined) return '–'
    return typeof v === 'number' ? formatNumber(v) : v
  })
}

/** Ratios as percentages, other numbers with at most two decimals. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v)
  if (Math.abs(v) < 1 && v !== 0) return `${(v * 100).toFixed(1)} %`
  return Number.isInteger(v) ? v.toLocaleString('en') : v.toFixed(2)
}

/** Prometheus Alertmanager v2 `POST /api/v2/alerts` body (an array of one alert). */
export function alertmanagerBody(a: AlertMessage): object[] {
  return [
    {
      labels: { alertname: a.rule, severity: a.severity, ...a.labels },
      annotations: a.annotations,
      startsAt: a.startsAt.toISOString(),
      endsAt: a.endsAt.toISOString(),
      generatorURL: a.generatorURL,
    },
  ]
}

/** The text IM robots show: state, rule, labels, annotations. */
export function markdownText(a: AlertMessage): string {
  const head = `**[${a.state === 'firing' ? 'FIRING' : 'RESOLVED'}] ${a.rule}** (${a.severity})`
  const labels = Object.entries(a.labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ')
  const notes = Object.entries(a.annotations).map(([k, v]) => `- ${k}: ${v}`)
  return [head, labels ? `labels: ${labels}` : '', ...notes, `since ${a.startsAt.toISOString()}`]
    .filter(Boolean)
    .join('\n')
}

/**
 * DingTalk robot: the webhook URL gets `timestamp` (ms) and `sign` =
 * urlEncode(base64(HMAC-SHA256(key = secret, message = timestamp + "\\n" + secret))).
 */
export function dingtalkRequest(webhook: string, secret: string | null, a: AlertMessage, now: number) {
  const url = new URL(webhook)
  if (secret) {
    const sign = createHmac('sha256', secret).update(`${now}\n${secret}`).digest('base64')
    url.searchParams.set('timestamp', String(now))
    url.searchParams.set('sign', sign)
  }
  return {
    url: url.toString(),
    body: { msgtype: 'markdown', markdown: { title: `${a.rule} ${a.state}`, text: markdownText(a) } },
  }
}

/** WeCom (企业微信) group robot: `{"msgtype":"markdown","markdown":{"content":…}}`. */
export function wecomBody(a: AlertMessage): object {
  return { msgtype: 'markdown', markdown: { content: markdownText(a) } }
}

/**
 * Feishu (飞书) bot with signature check: `timestamp` in seconds and `sign` =
 * base64(HMAC-SHA256(key = timestamp + "\\n" + secret, message = "")).
 */
export function feishuBody(secret: string | null, a: AlertMessage, nowMs: number): object {
  const text = { msg_type: 'text', content: { text: markdownText(a) } }
  if (!secret) return text
  const timestamp = String(Math.floor(nowMs / 1000))
  const sign = createHmac('sha256', `${timestamp}\n${secret}`).update('').digest('base64')
  return { timestamp, sign, ...text }
}
