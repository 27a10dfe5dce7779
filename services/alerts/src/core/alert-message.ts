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

/**
 * Fills {{value}}, {{baseline}}, {{score}}, {{volume}}, {{explanation}} and {{labels.X}}. Numbers
 * are formatted as plain numbers; pass a ratio already formatted (see formatValue).
 */
export function renderTemplate(
  template: string,
  vars: Record<string, string | number | null>,
  labels: Record<string, string>,
): string {
  return template.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_, name: string) => {
    if (name.startsWith('labels.')) return labels[name.slice('labels.'.length)] ?? ''
    const v = vars[name]
    if (v === null || v === undefined) return '–'
    return typeof v === 'number' ? formatValue(v, false) : v
  })
}

/** A ratio as a percentage with one decimal; a count with separators, or with two decimals. */
export function formatValue(v: number | null, ratio: boolean): string {
  if (v === null) return '–'
  if (!Number.isFinite(v)) return String(v)
  if (ratio) return `${(v * 100).toFixed(1)} %`
  return Number.isInteger(v) ? v.toLocaleString('en') : v.toFixed(2)
}

/** Prometheus Alertmanager v2 `POST /api/v2/alerts` body: one entry per alert. */
export function alertmanagerBody(alerts: readonly AlertMessage[]): object[] {
  return alerts.map((a) => ({
    labels: { alertname: a.rule, severity: a.severity, ...a.labels },
    annotations: a.annotations,
    startsAt: a.startsAt.toISOString(),
    endsAt: a.endsAt.toISOString(),
    generatorURL: a.generatorURL,
  }))
}

/** How many alerts one IM message lists at most (robots take 20 messages a minute). */
export const MAX_LISTED = 10

function alertText(a: AlertMessage): string {
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
 * The text IM robots show: every alert of one evaluation in one message (state, rule, labels,
 * annotations), at most MAX_LISTED of them and a count of the rest — one message, not a flood.
 */
export function markdownText(alerts: readonly AlertMessage[]): string {
  const listed = alerts.slice(0, MAX_LISTED).map(alertText)
  const rest = alerts.length - listed.length
  return [...listed, ...(rest > 0 ? [`… and ${rest} more`] : [])].join('\n\n')
}

const title = (alerts: readonly AlertMessage[]) =>
  alerts.length === 1 && alerts[0]
    ? `${alerts[0].rule} ${alerts[0].state}`
    : `${alerts.filter((a) => a.state === 'firing').length} firing, ${alerts.filter((a) => a.state === 'resolved').length} resolved`

/** A generic JSON webhook: every alert of one evaluation with its numbers. */
export function webhookBody(alerts: readonly AlertMessage[]): object {
  return {
    version: '1',
    source: 'opstream',
    alerts: alerts.map((a) => ({
      status: a.state,
      labels: { alertname: a.rule, severity: a.severity, ...a.labels },
      annotations: a.annotations,
      startsAt: a.startsAt.toISOString(),
      endsAt: a.endsAt.toISOString(),
      value: a.value,
      baseline: a.baseline,
      generatorURL: a.generatorURL,
    })),
  }
}

/**
 * DingTalk robot: the webhook URL gets `timestamp` (ms) and `sign` =
 * urlEncode(base64(HMAC-SHA256(key = secret, message = timestamp + "\\n" + secret))).
 */
export function dingtalkRequest(
  webhook: string,
  secret: string | null,
  alerts: readonly AlertMessage[],
  now: number,
) {
  return {
    url: dingtalkSignedUrl(webhook, secret, now),
    body: { msgtype: 'markdown', markdown: { title: title(alerts), text: markdownText(alerts) } },
  }
}

/** WeCom (企业微信) group robot: `{"msgtype":"markdown","markdown":{"content":…}}`. */
export function wecomBody(alerts: readonly AlertMessage[]): object {
  return { msgtype: 'markdown', markdown: { content: markdownText(alerts) } }
}

/**
 * Feishu (飞书) bot with signature check: `timestamp` in seconds and `sign` =
 * base64(HMAC-SHA256(key = timestamp + "\\n" + secret, message = "")).
 */
export function feishuBody(secret: string | null, alerts: readonly AlertMessage[], nowMs: number): object {
  return feishuSigned(secret, { msg_type: 'text', content: { text: markdownText(alerts) } }, nowMs)
}

/** A DingTalk robot's webhook URL with its signature (unchanged without a secret). */
export function dingtalkSignedUrl(webhook: string, secret: string | null, now: number): string {
  const url = new URL(webhook)
  if (secret) {
    const sign = createHmac('sha256', secret).update(`${now}\n${secret}`).digest('base64')
    url.searchParams.set('timestamp', String(now))
    url.searchParams.set('sign', sign)
  }
  return url.toString()
}

/** A Feishu bot's message with its timestamp and signature (unchanged without a secret). */
export function feishuSigned<T extends object>(secret: string | null, message: T, nowMs: number): T {
  if (!secret) return message
  const timestamp = String(Math.floor(nowMs / 1000))
  const sign = createHmac('sha256', `${timestamp}\n${secret}`).update('').digest('base64')
  return { timestamp, sign, ...message }
}

/** IM robots answer 200 with an error code in the body when they refuse: the refusal, or null. */
export function robotRefusal(replyText: string): string | null {
  const reply = replyText
    ? (JSON.parse(replyText) as { errcode?: number; code?: number; errmsg?: string; msg?: string })
    : {}
  const code = reply.errcode ?? reply.code ?? 0
  return code === 0 ? null : `robot refused (code ${code}): ${reply.errmsg ?? reply.msg ?? ''}`
}
