import {
  baseEnvSchema,
  clickhouseEnvSchema,
  consumerEnvSchema,
  httpEnvSchema,
  kafkaEnvSchema,
  schemaRegistryEnvSchema,
} from '@opstream/runtime/config'
import { z } from 'zod'

export const aggregateEnvSchema = baseEnvSchema
  .extend(kafkaEnvSchema.shape)
  .extend(schemaRegistryEnvSchema.shape)
  .extend(consumerEnvSchema.shape)
  .extend(clickhouseEnvSchema.shape)
  .extend(httpEnvSchema('AGGREGATE', 9402).shape)
  .extend(
    z.object({
      /** Partitions written to ClickHouse at the same time (each batch is one INSERT). */
      AGGREGATE_PARTITIONS_CONCURRENTLY: z.coerce.number().int().positive().default(4),
      /** The funnels file; the one in services/aggregate/config/ when unset. */
      AGGREGATE_FUNNELS: z.string().optional(),
      /** How often consumer lag and the DLQ total are sampled into pipeline_health. */
      AGGREGATE_HEALTH_SAMPLE_MS: z.coerce.number().int().positive().default(15_000),
    }).shape,
  )

export type AggregateConfig = z.infer<typeof aggregateEnvSchema>
