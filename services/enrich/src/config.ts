import {
  baseEnvSchema,
  consumerEnvSchema,
  httpEnvSchema,
  kafkaEnvSchema,
  schemaRegistryEnvSchema,
} from '@opstream/runtime/config'
import { z } from 'zod'
import { MAX_WINDOW_S } from './core/dedup-window.ts'

const positiveInt = z.coerce.number().int().positive()

export const enrichStageEnvSchema = z.object({
  /** The channel rules file; the one in services/enrich/config/ when unset. */
  ENRICH_CHANNEL_RULES: z.string().optional(),
  ENRICH_SESSION_TIMEOUT_MIN: positiveInt.default(30),
  ENRICH_LOOKBACK_DAYS: positiveInt.default(30),
  /** Which stages this process runs; each can run (and scale) in processes of its own. */
  ENRICH_STAGES: z
    .string()
    .default('attribute,profile')
    .transform((s) => s.split(',').map((x) => x.trim()))
    .pipe(z.array(z.enum(['attribute', 'profile'])).min(1)),
  /** The registering device's touch that becomes a user's acquisition channel. */
  ENRICH_ACQUISITION: z.enum(['first_touch', 'last_non_direct']).default('first_touch'),
  /** A repeated event_id received within this long of the first is dropped (30m, 24h, 7d). */
  DEDUP_WINDOW: z
    .string()
    .regex(/^\d+(s|m|h|d)$/, 'a duration such as 30m, 24h or 7d')
    .default('24h')
    .transform((v) => Number(v.slice(0, -1)) * { s: 1, m: 60, h: 3600, d: 86_400 }[v.slice(-1) as 's'])
    .pipe(z.number().int().positive().max(MAX_WINDOW_S, 'at most 12 days (the window keeps 20-bit ages)')),
  /**
   * How often, at most, stage 1 tells each partition of its output how far a raw partition's
   * receipt time has got (one small record per output partition): what lets stage 2 empty idle
   * persons' deduplication windows.
   */
  ENRICH_RECEIPT_TICK_MS: z.coerce.number().int().min(100).default(1_000),
})

export const enrichEnvSchema = baseEnvSchema
  .extend(kafkaEnvSchema.shape)
  .extend(schemaRegistryEnvSchema.shape)
  .extend(consumerEnvSchema.shape)
  .extend(httpEnvSchema('ENRICH', 9401).shape)
  .extend(enrichStageEnvSchema.shape)

export type EnrichConfig = z.infer<typeof enrichEnvSchema>
