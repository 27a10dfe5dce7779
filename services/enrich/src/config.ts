import {
  baseEnvSchema,
  consumerEnvSchema,
  httpEnvSchema,
  kafkaEnvSchema,
  schemaRegistryEnvSchema,
} from '@opstream/runtime/config'
import type { z } from 'zod'

export const enrichEnvSchema = baseEnvSchema
  .extend(kafkaEnvSchema.shape)
  .extend(schemaRegistryEnvSchema.shape)
  .extend(consumerEnvSchema.shape)
  .extend(httpEnvSchema('ENRICH', 9401).shape)

export type EnrichConfig = z.infer<typeof enrichEnvSchema>
