import {
  baseEnvSchema,
  httpEnvSchema,
  kafkaEnvSchema,
  schemaRegistryEnvSchema,
} from '@opstream/runtime/config'
import { z } from 'zod'

/** sha256("dev-write-key"): the development key `npm start` accepts out of the box. */
export const DEV_WRITE_KEYS = 'dev:web:2cc827ddd1d176c150091ef0c8e181de15afbaf3c855263ca0d9069f7c2c3309'

const positiveInt = z.coerce.number().int().positive()

export const ingestApiEnvSchema = z.object({
  /** app_id:platform:sha256(write key), comma-separated. */
  INGEST_WRITE_KEYS: z.string().min(1).default(DEV_WRITE_KEYS),
  INGEST_MAX_BODY_BYTES: positiveInt.default(1_048_576),
  INGEST_MAX_BATCH_EVENTS: positiveInt.default(500),
  INGEST_RATE_LIMIT_PER_SEC: positiveInt.default(5_000),
  INGEST_RATE_LIMIT_BURST: positiveInt.default(10_000),
  INGEST_BUFFER_MAX_MESSAGES: positiveInt.default(50_000),
  INGEST_PRODUCE_TIMEOUT_MS: positiveInt.default(10_000),
})

export const ingestEnvSchema = baseEnvSchema
  .extend(kafkaEnvSchema.shape)
  .extend(schemaRegistryEnvSchema.shape)
  .extend(httpEnvSchema('INGEST', 8080).shape)
  .extend(ingestApiEnvSchema.shape)

export type IngestConfig = z.infer<typeof ingestEnvSchema>
