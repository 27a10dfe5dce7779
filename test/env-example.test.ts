import { readFileSync } from 'node:fs'
import { loadConfig } from '@opstream/runtime/config'
import { describe, expect, it } from 'vitest'
import { aggregateEnvSchema } from '../services/aggregate/src/config.ts'
import { alertsServiceEnvSchema } from '../services/alerts/src/config.ts'
import { clickhouseLocalEnvSchema } from '../services/clickhouse-local/src/config.ts'
import { consoleEnvSchema } from '../services/console/src/config.ts'
import { enrichEnvSchema } from '../services/enrich/src/config.ts'
import { ingestEnvSchema } from '../services/ingest/src/config.ts'

const schemas = {
  ingest: ingestEnvSchema,
  enrich: enrichEnvSchema,
  aggregate: aggregateEnvSchema,
  alerts: alertsServiceEnvSchema,
  console: consoleEnvSchema,
  'clickhouse-local': clickhouseLocalEnvSchema,
}

function parseEnvFile(text: string): Record<string, string> {
  const entries = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0 && !l.startsWith('#'))
    .map((l) => {
      const eq = l.indexOf('=')
      return [l.slice(0, eq), l.slice(eq + 1)] as const
    })
  return Object.fromEntries(entries)
}

const example = parseEnvFile(readFileSync(new URL('../.env.example', import.meta.url), 'utf8'))

describe('.env.example', () => {
  it('documents exactly the variables the services read', () => {
    const read = new Set(Object.values(schemas).flatMap((s) => Object.keys(s.shape)))
    expect(Object.keys(example).sort()).toEqual([...read].sort())
  })

  it.each(Object.entries(schemas))('is a valid configuration for %s', (_name, schema) => {
    expect(() => loadConfig(schema, example)).not.toThrow()
  })

  it('shows each default as its value', () => {
    for (const schema of Object.values(schemas)) {
      const defaults = loadConfig(schema, {}) as Record<string, unknown>
      const documented = loadConfig(schema, example) as Record<string, unknown>
      expect(documented).toEqual(defaults)
    }
  })
})
