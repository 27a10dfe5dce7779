/**
 * Configuration is read from the environment once, in each service's main.ts, through a zod
 * schema. Start-up fails with one error that lists every bad or missing variable, so an
 * operator fixes them all in one go instead of one restart per mistake.
 */
import { z } from 'zod'

export class ConfigError extends Error {
  override readonly name = 'ConfigError'
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
  }
}

export type Env = Readonly<Record<string, string | undefined>>

export function loadConfig<S extends z.ZodType>(schema: S, env: Env): z.infer<S> {
  // Empty strings count as unset, as in most .env tooling.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''))
  const result = schema.safeParse(cleaned)
  if (result.success) return result.data
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.map(String).join('.') || '(root)'
    const given = cleaned[name]
    return given === undefined
      ? `${name}: ${issue.message}`
      : `${name}=${JSON.stringify(given)}: ${issue.message}`
  })
  throw new ConfigError(problems)
}

const port = z.coerce.number().int().min(0).max(65535)
const positiveInt = z.coerce.number().int().positive()

/** Variables every service reads. */
export const baseEnvSchema = z.object({
  OPSTREAM_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SHUTDOWN_TIMEOUT_MS: positiveInt.default(30_000),
})

/** Kafka connection and topic names (DESIGN.md: topic names are configuration). */
export const kafkaEnvSchema = z.object({
  KAFKA_BROKERS: z
    .string()
    .default('127.0.0.1:9092')
    .transform((s) => s.split(',').map((b) => b.trim()))
    .pipe(z.array(z.string().regex(/^[^\s:]+:\d+$/, 'each broker must be host:port')).min(1)),
  KAFKA_CLIENT_ID: z.string().min(1).optional(),
  KAFKA_PARTITIONS: positiveInt.max(1000).default(6),
  KAFKA_TOPIC_PREFIX: z.string().default('opstream.'),
  KAFKA_TOPIC_EVENTS_RAW: z.string().optional(),
  KAFKA_TOPIC_EVENTS_ATTRIBUTED: z.string().optional(),
  KAFKA_TOPIC_EVENTS_ENRICHED: z.string().optional(),
  KAFKA_TOPIC_USERS: z.string().optional(),
  KAFKA_TOPIC_CHANNELS: z.string().optional(),
  KAFKA_TOPIC_DLQ: z.string().optional(),
  KAFKA_TOPIC_TRIGGERS: z.string().optional(),
})

export type KafkaEnv = z.infer<typeof kafkaEnvSchema>

export interface TopicNames {
  eventsRaw: string
  eventsAttributed: string
  eventsEnriched: string
  users: string
  channels: string
  dlq: string
  triggers: string
}

/** The default names under a prefix. */
export function prefixedTopicNames(prefix: string): TopicNames {
  return {
    eventsRaw: `${prefix}events.raw`,
    eventsAttributed: `${prefix}events.attributed`,
    eventsEnriched: `${prefix}events.enriched`,
    users: `${prefix}users`,
    channels: `${prefix}channels`,
    dlq: `${prefix}dlq`,
    triggers: `${prefix}triggers`,
  }
}

export function topicNames(env: KafkaEnv): TopicNames {
  const d = prefixedTopicNames(env.KAFKA_TOPIC_PREFIX)
  return {
    eventsRaw: env.KAFKA_TOPIC_EVENTS_RAW ?? d.eventsRaw,
    eventsAttributed: env.KAFKA_TOPIC_EVENTS_ATTRIBUTED ?? d.eventsAttributed,
    eventsEnriched: env.KAFKA_TOPIC_EVENTS_ENRICHED ?? d.eventsEnriched,
    users: env.KAFKA_TOPIC_USERS ?? d.users,
    channels: env.KAFKA_TOPIC_CHANNELS ?? d.channels,
    dlq: env.KAFKA_TOPIC_DLQ ?? d.dlq,
    triggers: env.KAFKA_TOPIC_TRIGGERS ?? d.triggers,
  }
}

/**
 * The consumer groups and the internal topics of the stages (changelogs of keyed state, the
 * aggregate's stitch topic), all under the topic prefix: one place for names that one service
 * creates and another reads (the aggregate samples enrich's groups for the pipeline's rates).
 */
export function stageNames(prefix: string) {
  return {
    groups: {
      attribute: `${prefix}enrich.attribute`,
      profile: `${prefix}enrich.profile`,
      aggregate: `${prefix}aggregate`,
    },
    internal: {
      devicesChangelog: `${prefix}enrich.devices.changelog`,
      personsChangelog: `${prefix}enrich.persons.changelog`,
      funnelsChangelog: `${prefix}aggregate.funnels.changelog`,
      stitch: `${prefix}aggregate.stitch`,
    },
  } as const
}

/**
 * Schema ids: a Confluent-compatible Schema Registry when SCHEMA_REGISTRY_URL is set (the
 * subjects must be registered there), otherwise the built-in registry from schemas/.
 */
export const schemaRegistryEnvSchema = z.object({
  SCHEMA_REGISTRY_URL: z.url().optional(),
  SCHEMA_REGISTRY_USER: z.string().optional(),
  SCHEMA_REGISTRY_PASSWORD: z.string().optional(),
})

/**
 * ClickHouse's HTTP interface: the local server `npm start` runs (services/clickhouse-local) by
 * default, or any ClickHouse server. The defaults are the local server's development writer.
 */
export const clickhouseEnvSchema = z.object({
  CLICKHOUSE_URL: z.url().default('http://127.0.0.1:8123'),
  CLICKHOUSE_USER: z.string().default('opstream'),
  CLICKHOUSE_PASSWORD: z.string().default('opstream'),
  CLICKHOUSE_DATABASE: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a plain identifier')
    .default('opstream'),
})

/** A read-only user for the readers (alerts' series, the console, reports, Grafana). */
export const clickhouseReaderEnvSchema = z.object({
  CLICKHOUSE_READER_USER: z.string().default('reader'),
  CLICKHOUSE_READER_PASSWORD: z.string().default('reader'),
})

/**
 * The HTTP listener of one service (/metrics, /healthz/*, and ingest's API). Each service has
 * its own port variable so one .env can serve the whole pipeline on one machine; 0 picks a free port.
 */
export function httpEnvSchema<P extends string>(service: P, defaultPort: number) {
  return z.object({
    HTTP_HOST: z.string().default('127.0.0.1'),
    ...({ [`${service}_HTTP_PORT`]: port.default(defaultPort) } as Record<
      `${P}_HTTP_PORT`,
      z.ZodDefault<typeof port>
    >),
  })
}

export const consumerEnvSchema = z.object({
  CONSUMER_MAX_RETRIES: z.coerce.number().int().min(0).default(8),
  CONSUMER_HEARTBEAT_MS: positiveInt.default(3_000),
  /**
   * How long the group waits for a member that stopped heartbeating (a crashed process) before
   * its partitions move: the pause a crash costs, against false alarms on a busy machine.
   */
  CONSUMER_SESSION_TIMEOUT_MS: z.coerce.number().int().min(6_000).default(30_000),
})

/** Consumer group session settings from the configuration (heartbeats at a third of the timeout). */
export function sessionOf(env: { CONSUMER_SESSION_TIMEOUT_MS: number }): {
  sessionTimeoutMs: number
  heartbeatIntervalMs: number
} {
  return {
    sessionTimeoutMs: env.CONSUMER_SESSION_TIMEOUT_MS,
    heartbeatIntervalMs: Math.min(3_000, Math.floor(env.CONSUMER_SESSION_TIMEOUT_MS / 3)),
  }
}
