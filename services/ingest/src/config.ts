import {
  baseEnvSchema,
  httpEnvSchema,
  kafkaEnvSchema,
  schemaRegistryEnvSchema,
} from '@opstream/runtime/config'
import type { z } from 'zod'

export const ingestEnvSchema = baseEnvSchema
  .extend(kafkaEnvSchema.shape)
  .extend(schemaRegistryEnvSchema.shape)
  .extend(httpEnvSchema('INGEST', 8080).shape)

export type IngestConfig = z.infer<typeof ingestEnvSchema>
