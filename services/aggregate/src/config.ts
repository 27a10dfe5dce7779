import {
  baseEnvSchema,
  clickhouseEnvSchema,
  consumerEnvSchema,
  httpEnvSchema,
  kafkaEnvSchema,
  schemaRegistryEnvSchema,
} from '@opstream/runtime/config'
import type { z } from 'zod'

export const aggregateEnvSchema = baseEnvSchema
  .extend(kafkaEnvSchema.shape)
  .extend(schemaRegistryEnvSchema.shape)
  .extend(consumerEnvSchema.shape)
  .extend(clickhouseEnvSchema.shape)
  .extend(httpEnvSchema('AGGREGATE', 9402).shape)

export type AggregateConfig = z.infer<typeof aggregateEnvSchema>
