import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import {
  baseEnvSchema,
  ConfigError,
  clickhouseEnvSchema,
  httpEnvSchema,
  kafkaEnvSchema,
  loadConfig,
  topicNames,
} from './config.ts'

const schema = baseEnvSchema
  .extend(kafkaEnvSchema.shape)
  .extend(clickhouseEnvSchema.shape)
  .extend(httpEnvSchema('X', 7).shape)

describe('loadConfig', () => {
  it('applies defaults and parses lists and numbers', () => {
    const c = loadConfig(schema, { KAFKA_BROKERS: 'a:1, b:2', X_HTTP_PORT: '0' })
    expect(c.KAFKA_BROKERS).toEqual(['a:1', 'b:2'])
    expect(c.X_HTTP_PORT).toBe(0)
    expect(c.LOG_LEVEL).toBe('info')
    expect(c.CLICKHOUSE_URL).toBe('http://127.0.0.1:8123')
  })

  it('lists every bad variable in one error, with the value given', () => {
    let error: unknown
    try {
      loadConfig(schema, {
        LOG_LEVEL: 'loud',
        KAFKA_BROKERS: 'no-port',
        X_HTTP_PORT: '70000',
        CLICKHOUSE_URL: 'not a url',
        CLICKHOUSE_DATABASE: 'drop table',
      })
    } catch (err) {
      error = err
    }
    expect(error).toBeInstanceOf(ConfigError)
    const problems = (error as ConfigError).problems
    expect(problems).toHaveLength(5)
    expect(problems.map((p) => p.split('=')[0])).toEqual(
      expect.arrayContaining(['LOG_LEVEL', 'X_HTTP_PORT', 'CLICKHOUSE_URL', 'CLICKHOUSE_DATABASE']),
    )
    expect((error as Error).message).toContain('LOG_LEVEL="loud"')
    expect((error as Error).message).toContain('each broker must be host:port')
  })

  it('treats empty strings as unset', () => {
    expect(loadConfig(z.object({ A: z.string().default('d') }), { A: '' }).A).toBe('d')
  })

  it('names topics from the prefix unless a name is given', () => {
    const c = loadConfig(kafkaEnvSchema, { KAFKA_TOPIC_PREFIX: 'p.', KAFKA_TOPIC_DLQ: 'dead' })
    expect(topicNames(c)).toEqual({
      eventsRaw: 'p.events.raw',
      eventsAttributed: 'p.events.attributed',
      eventsEnriched: 'p.events.enriched',
      users: 'p.users',
      channels: 'p.channels',
      dlq: 'dead',
      triggers: 'p.triggers',
    })
  })
})
