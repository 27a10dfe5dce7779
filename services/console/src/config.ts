/**
 * The console's variables: ClickHouse as the read-only user (the only credentials it holds,
 * never sent to the browser), its HTTP port, and the login.
 */
import {
  baseEnvSchema,
  clickhouseEnvSchema,
  clickhouseReaderEnvSchema,
  httpEnvSchema,
} from '@opstream/runtime/config'
import { z } from 'zod'
import { PASSWORD_HASH_PATTERN } from './core/password.ts'
import type { ReportReceiver } from './report/report-delivery.ts'

const url = z.url().optional()

/** The reports: when the console sends them, in which language, and to whom. */
export const reportEnvSchema = z.object({
  /**
   * The time of day (HH:MM, in REPORT_TIMEZONE) the console renders and sends yesterday's daily
   * report, and on Mondays the last week's too; `off` sends none.
   */
  REPORT_SCHEDULE: z
    .string()
    .regex(/^(off|([01]\d|2[0-3]):[0-5]\d)$/, 'HH:MM or off')
    .default('09:00'),
  REPORT_TIMEZONE: z
    .string()
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz })
        return true
      } catch {
        return false
      }
    }, 'an IANA time zone such as Asia/Shanghai')
    .default('Asia/Shanghai'),
  REPORT_LANG: z.enum(['zh', 'en']).default('zh'),
  /** Where the rendered reports are kept (HTML, PNG, Markdown). */
  REPORT_DIR: z.string().default('.data/reports'),
  REPORT_WEBHOOK_URL: url,
  REPORT_DINGTALK_WEBHOOK_URL: url,
  REPORT_DINGTALK_SECRET: z.string().optional(),
  REPORT_WECOM_WEBHOOK_URL: url,
  REPORT_FEISHU_WEBHOOK_URL: url,
  REPORT_FEISHU_SECRET: z.string().optional(),
  /** smtp://user:password@host:587 (or smtps://…:465); with REPORT_EMAIL_FROM and REPORT_EMAIL_TO. */
  REPORT_SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'smtp://… or smtps://…')
    .optional(),
  REPORT_EMAIL_FROM: z.string().optional(),
  /** Comma-separated addresses. */
  REPORT_EMAIL_TO: z.string().optional(),
})

export type ReportConfig = z.infer<typeof reportEnvSchema>

/** The receivers the configuration names. */
export function reportReceivers(c: ReportConfig): ReportReceiver[] {
  const out: ReportReceiver[] = []
  if (c.REPORT_WEBHOOK_URL) out.push({ kind: 'webhook', url: c.REPORT_WEBHOOK_URL })
  if (c.REPORT_DINGTALK_WEBHOOK_URL)
    out.push({ kind: 'dingtalk', url: c.REPORT_DINGTALK_WEBHOOK_URL, secret: c.REPORT_DINGTALK_SECRET })
  if (c.REPORT_WECOM_WEBHOOK_URL) out.push({ kind: 'wecom', url: c.REPORT_WECOM_WEBHOOK_URL })
  if (c.REPORT_FEISHU_WEBHOOK_URL)
    out.push({ kind: 'feishu', url: c.REPORT_FEISHU_WEBHOOK_URL, secret: c.REPORT_FEISHU_SECRET })
  if (c.REPORT_SMTP_URL && c.REPORT_EMAIL_FROM && c.REPORT_EMAIL_TO)
    out.push({
      kind: 'email',
      smtpUrl: c.REPORT_SMTP_URL,
      from: c.REPORT_EMAIL_FROM,
      to: c.REPORT_EMAIL_TO.split(',')
        .map((a) => a.trim())
        .filter(Boolean),
    })
  return out
}

export const consoleEnvSchema = baseEnvSchema
  .extend(clickhouseEnvSchema.pick({ CLICKHOUSE_URL: true, CLICKHOUSE_DATABASE: true }).shape)
  .extend(clickhouseReaderEnvSchema.shape)
  .extend(httpEnvSchema('CONSOLE', 3000).shape)
  .extend(
    z.object({
      /**
       * The login's password as an scrypt hash (`npm run console:password` makes one). Unset: a
       * password is made up at start and printed once.
       */
      CONSOLE_PASSWORD_HASH: z
        .string()
        .regex(PASSWORD_HASH_PATTERN, 'an scrypt hash as `npm run console:password` prints it')
        .optional(),
      /** Signs the session cookies; unset, a random one per start (sessions end with the process). */
      CONSOLE_SESSION_SECRET: z.string().min(16, 'at least 16 characters').optional(),
      /** How long a login lasts. */
      CONSOLE_SESSION_HOURS: z.coerce.number().positive().default(12),
      /** How often the pages fetch their numbers again, in seconds. */
      CONSOLE_REFRESH_S: z.coerce.number().int().min(5).default(60),
    }).shape,
  )
  .extend(reportEnvSchema.shape)

export type ConsoleConfig = z.infer<typeof consoleEnvSchema>
