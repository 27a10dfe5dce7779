import {
  baseEnvSchema,
  consumerEnvSchema,
  httpEnvSchema,
  kafkaEnvSchema,
  schemaRegistryEnvSchema,
} from '@opstream/runtime/config'
import { z } from 'zod'

const positiveInt = z.coerce.number().int().positive()

export const enrichStageEnvSchema = z.object({
  /** The channel rules file; the one in services/enrich/config/ when unset. */
  ENRICH_CHANNEL_RULES: z.string().optional(),
  ENRICH_SESSION_TIMEOUT_MIN: positiveInt.default(30),
  ENRICH_LOOKBACK_DAYS: positiveInt.default(30),
})

export const enrichEnvSchema = baseEnvSchema
  .extend(kafkaEnvSchema.shape)
  .extend(schemaRegistryEnvSchema.shape)
  .extend(consumerEnvSchema.shape)
  .extend(httpEnvSchema('ENRICH', 9401).shape)
  .extend(enrichStageEnvSchema.shape)

export type EnrichConfig = z.infer<typeof enrichEnvSchema>
