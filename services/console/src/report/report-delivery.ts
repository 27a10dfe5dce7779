/**
 * Sends a rendered report to its receivers: DingTalk (Markdown, signed), WeCom (the PNG as an
 * image message, then the Markdown), Feishu (text, signed), a generic JSON webhook (title,
 * Markdown, HTML and the PNG in base64) and e-mail over SMTP (the HTML with the PNG inline and
 * attached). Each receiver is tried with backoff; one that still fails is reported as failed —
 * logged, counted by the caller, and returned — never dropped silently.
 */
import { createHash } from 'node:crypto'
import { dingtalkSignedUrl, feishuSigned, robotRefusal } from '@opstream/alerts/core/alert-message'
import { backoffMs, withRetries } from '@opstream/runtime/backoff'
import { describeError } from '@opstream/runtime/errors'
import type { Logger } from '@opstream/runtime/logger'
import { createTransport } from 'nodemailer'

export interface RenderedReport {
  title: string
  markdown: string
  html: string
  png: Buffer
  /** What the report covers, for the webhook. */
  period: string
  from: string
  to: string
}

export type ReportReceiver =
  | { kind: 'webhook'; url: string }
  | { kind: 'dingtalk'; url: string; secret?: string | undefined }
  | { kind: 'wecom'; url: string }
  | { kind: 'feishu'; url: string; secret?: string | undefined }
  | { kind: 'email'; smtpUrl: string; from: string; to: string[] }

export interface DeliveryResult {
  receiver: ReportReceiver['kind']
  ok: boolean
  attempts: number
  error?: string
}

export interface DeliveryOptions {
  log: Logger
  attempts?: number
  backoffBaseMs?: number
  timeoutMs?: number
  now?: () => number
}

async function postJson(url: string, body: unknown, robot: boolean, timeoutMs: number): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  })
  const text = await res.text()
  if (!res.ok) throw new Error(`HTTP ${res.status}: ${text.slice(0, 200)}`)
  const refusal = robot ? robotRefusal(text) : null
  if (refusal) throw new Error(refusal)
}

async function sendOnce(
  r: ReportReceiver,
  report: RenderedReport,
  now: number,
  timeoutMs: number,
): Promise<void> {
  switch (r.kind) {
    case 'webhook':
      return postJson(
        r.url,
        {
          source: 'opstream',
          kind: 'report',
          title: report.title,
          period: report.period,
          from: report.from,
          to: report.to,
          markdown: report.markdown,
          html: report.html,
          png_base64: report.png.toString('base64'),
        },
        false,
        timeoutMs,
      )
    case 'dingtalk':
      return postJson(
        dingtalkSignedUrl(r.url, r.secret ?? null, now),
        { msgtype: 'markdown', markdown: { title: report.title, text: report.markdown } },
        true,
        timeoutMs,
      )
    case 'wecom': {
      const image = {
        base64: report.png.toString('base64'),
        md5: createHash('md5').update(report.png).digest('hex'),
      }
      await postJson(r.url, { msgtype: 'image', image }, true, timeoutMs)
      return postJson(r.url, { msgtype: 'markdown', markdown: { content: report.markdown } }, true, timeoutMs)
    }
    case 'feishu':
      return postJson(
        r.url,
        feishuSigned(r.secret ?? null, { msg_type: 'text', content: { text: report.markdown } }, now),
        true,
        timeoutMs,
      )
    case 'email': {
      const transport = createTransport(smtpOptions(r.smtpUrl, timeoutMs))
      try {
        await transport.sendMail({
          from: r.from,
          to: r.to,
          subject: report.title,
          text: report.markdown,
          html: `${report.html.replace('</body>', `<p><img src="cid:report.png" alt="${report.title}"></p></body>`)}`,
          attachments: [{ filename: 'report.png', content: report.png, cid: 'report.png' }],
        })
      } finally {
        transport.close()
      }
    }
  }
}

/** smtp://user:password@host:port (smtps:// for TLS from the start), with time limits. */
function smtpOptions(smtpUrl: string, timeoutMs: number) {
  const u = new URL(smtpUrl)
  const secure = u.protocol === 'smtps:'
  return {
    host: u.hostname,
    port: Number(u.port || (secure ? 465 : 587)),
    secure,
    ...(u.username
      ? { auth: { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } }
      : {}),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  }
}

/** Delivers to every receiver, one after another; resolves with each one's outcome. */
export async function deliverReport(
  report: RenderedReport,
  receivers: readonly ReportReceiver[],
  opts: DeliveryOptions,
): Promise<DeliveryResult[]> {
  const attempts = opts.attempts ?? 4
  const now = opts.now ?? Date.now
  const results: DeliveryResult[] = []
  for (const r of receivers) {
    let attempt = 0
    const error = await withRetries(
      (n) => {
        attempt = n
        return sendOnce(r, report, now(), opts.timeoutMs ?? 15_000)
      },
      {
        retries: attempts - 1,
        backoff: (n) => backoffMs(n, opts.backoffBaseMs ?? 1_000, 30_000),
        onFailure: (err, n) =>
          opts.log.warn({ receiver: r.kind, attempt: n, err: describeError(err) }, 'report delivery failed'),
      },
    ).then(
      () => undefined,
      (err: unknown) => describeError(err),
    )
    const ok = error === undefined
    if (!ok)
      opts.log.error({ receiver: r.kind, attempts, err: error, title: report.title }, 'report not delivered')
    results.push({ receiver: r.kind, ok, attempts: attempt, ...(ok ? {} : { error }) })
  }
  return results
}
