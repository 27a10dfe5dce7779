import {
  baseEnvSchema,
  clickhouseEnvSchema,
  clickhouseReaderEnvSchema,
  httpEnvSchema,
} from '@opstream/runtime/config'
import { z } from 'zod'
import type { Receiver } from './adapters/notifier.ts'

/** The alerts evaluator's variables (the alerts service adds ClickHouse and its HTTP port). */
export const alertsEnvSchema = z.object({
  /** The rules file; the one in services/alerts/config/ when unset. */
  ALERTS_RULES: z.string().optional(),
  /**
   * Windows end this long before now: the time the newest minutes need to be complete in
   * ClickHouse (late events, the sink's batches). Shorter alerts sooner on partial minutes.
   */
  ALERTS_DELAY_MS: z.coerce.number().int().min(0).default(120_000),
  /** Where an alert links to (generatorURL); the service's own /alerts page when unset. */
  ALERTS_GENERATOR_URL: z.url().optional(),
  /** Prometheus Alertmanager, e.g. http://127.0.0.1:9093 (alerts go to its v2 API). */
  ALERTMANAGER_URL: z.url().optional(),
  /** A generic JSON webhook receiving every firing, reminder and resolution. */
  ALERTS_WEBHOOK_URL: z.url().optional(),
  /** DingTalk robot webhook (…/robot/send?access_token=…) and its signing secret (SEC…). */
  DINGTALK_WEBHOOK_URL: z.url().optional(),
  DINGTALK_SECRET: z.string().optional(),
  /** WeCom group robot webhook (…/cgi-bin/webhook/send?key=…). */
  WECOM_WEBHOOK_URL: z.url().optional(),
  /** Feishu custom bot webhook (…/open-apis/bot/v2/hook/…) and its signing secret. */
  FEISHU_WEBHOOK_URL: z.url().optional(),
  FEISHU_SECRET: z.string().optional(),
})

export type AlertsConfig = z.infer<typeof alertsEnvSchema>

/** The receivers the configuration names. */
export function receiversOf(c: AlertsConfig): Receiver[] {
  const receivers: Receiver[] = []
  if (c.ALERTMANAGER_URL) receivers.push({ kind: 'alertmanager', url: c.ALERTMANAGER_URL })
  if (c.ALERTS_WEBHOOK_URL) receivers.push({ kind: 'webhook', url: c.ALERTS_WEBHOOK_URL })
  if (c.DINGTALK_WEBHOOK_URL)
    receivers.push({ kind: 'dingtalk', url: c.DINGTALK_WEBHOOK_URL, secret: c.DINGTALK_SECRET })
  if (c.WECOM_WEBHOOK_URL) receivers.push({ kind: 'wecom', url: c.WECOM_WEBHOOK_URL })
  if (c.FEISHU_WEBHOOK_URL)
    receivers.push({ kind: 'feishu', url: c.FEISHU_WEBHOOK_URL, secret: c.FEISHU_SECRET })
  return receivers
}

/** The alerts service: the evaluator's variables, ClickHouse as a writer and as the read-only user. */
export const alertsServiceEnvSchema = baseEnvSchema
  .extend(clickhouseEnvSchema.shape)
  .extend(clickhouseReaderEnvSchema.shape)
  .extend(httpEnvSchema('ALERTS', 9403).shape)
  .extend(alertsEnvSchema.shape)
  .extend(
    z.object({
      /** How long to wait at start for the aggregate to have applied the migrations. */
      ALERTS_SCHEMA_WAIT_MS: z.coerce.number().int().positive().default(120_000),
    }).shape,
  )

export type AlertsServiceConfig = z.infer<typeof alertsServiceEnvSchema>
