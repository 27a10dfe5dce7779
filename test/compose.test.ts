/**
 * infra/docker-compose.yml without a Docker engine: the file parses, each opstream service's
 * environment passes that service's own config schema, every host:port named anywhere (service
 * environments, Prometheus targets, Grafana's datasource) is a compose service listening there,
 * and the Dockerfile installs and runs what the README's set-up does.
 */
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { aggregateEnvSchema } from '@opstream/aggregate/config'
import { alertsServiceEnvSchema } from '@opstream/alerts/config'
import { enrichEnvSchema } from '@opstream/enrich/config'
import { ingestEnvSchema } from '@opstream/ingest/config'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import type { z } from 'zod'

const root = fileURLToPath(new URL('../', import.meta.url))
const read = (path: string) => readFileSync(`${root}${path}`, 'utf8')

interface ComposeService {
  image?: string
  build?: { context: string; dockerfile: string }
  command?: string[]
  environment?: Record<string, string>
  ports?: string[]
  volumes?: string[]
}
const compose = parse(read('infra/docker-compose.yml'), { merge: true }) as {
  services: Record<string, ComposeService>
}
const services = compose.services

/** `${VAR:-default}` as compose substitutes it with VAR unset. */
const substitute = (v: string) => v.replace(/\$\{\w+:-([^}]*)\}/g, '$1')
const envOf = (name: string) =>
  Object.fromEntries(
    Object.entries(services[name]?.environment ?? {}).map(([k, v]) => [k, substitute(String(v))]),
  )

const SCHEMAS: Record<string, z.ZodObject> = {
  ingest: ingestEnvSchema,
  enrich: enrichEnvSchema,
  aggregate: aggregateEnvSchema,
  alerts: alertsServiceEnvSchema,
}

/** What each service listens on inside the compose network. */
function listening(): Map<string, Set<number>> {
  const out = new Map<string, Set<number>>([
    ['kafka', new Set([9092, 9093])],
    ['clickhouse', new Set([8123])],
    ['prometheus', new Set([9090])],
    ['alertmanager', new Set([9093])],
    ['grafana', new Set([3000])],
  ])
  for (const [name, schema] of Object.entries(SCHEMAS)) {
    const config = schema.parse(envOf(name)) as Record<string, unknown>
    out.set(name, new Set([Number(config[`${name.toUpperCase()}_HTTP_PORT`])]))
  }
  return out
}

/** Every host:port a text names (URLs and bare pairs). */
const endpoints = (text: string) =>
  [...text.matchAll(/(?:\/\/|^|[\s'",[])([a-z][a-z0-9-]*):(\d{2,5})\b/g)].map((m) => ({
    host: m[1] as string,
    port: Number(m[2]),
  }))

describe('the docker-compose stack', () => {
  it('runs each opstream service with an environment its own config schema accepts', () => {
    const known = new Set(Object.values(SCHEMAS).flatMap((s) => Object.keys(s.shape)))
    for (const [name, schema] of Object.entries(SCHEMAS)) {
      const env = envOf(name)
      const parsed = schema.safeParse(env)
      expect(parsed.success, `${name}: ${parsed.error?.message}`).toBe(true)
      // A misspelt variable would be dropped silently by the schema: every one is some service's.
      for (const key of Object.keys(env))
        expect(known.has(key) || key === 'HTTP_HOST', `${name}: ${key}`).toBe(true)
      expect(env.HTTP_HOST, name).toBe('0.0.0.0')
      const command = services[name]?.command ?? []
      expect(command.slice(0, 2)).toEqual(['npx', 'tsx'])
      expect(existsSync(`${root}${command[2]}`), `${name}: ${command[2]}`).toBe(true)
    }
    expect(existsSync(`${root}${services.topics?.command?.[2]}`)).toBe(true)
  })

  it('names only hosts and ports that a compose service listens on', () => {
    const ports = listening()
    const named = [
      ...Object.keys(SCHEMAS).flatMap((name) => Object.values(envOf(name)).flatMap(endpoints)),
      ...Object.values(envOf('grafana')).flatMap(endpoints),
      ...endpoints(read('infra/prometheus/prometheus.yml')),
    ]
    expect(named.length).toBeGreaterThan(8)
    for (const { host, port } of named) {
      if (host === '127') continue
      expect(ports.get(host)?.has(port), `${host}:${port}`).toBe(true)
    }
    // Prometheus scrapes every opstream service.
    const scraped = endpoints(read('infra/prometheus/prometheus.yml')).map((e) => e.host)
    expect(scraped.sort()).toEqual(Object.keys(SCHEMAS).sort())
    // Grafana's datasource reaches ClickHouse's HTTP port as the read-only user the services name.
    const grafana = envOf('grafana')
    expect(`${grafana.OPSTREAM_CLICKHOUSE_HOST}:${grafana.OPSTREAM_CLICKHOUSE_PORT}`).toBe('clickhouse:8123')
    expect(grafana.OPSTREAM_CLICKHOUSE_READER_USER).toBe(envOf('aggregate').CLICKHOUSE_READER_USER)
    expect(grafana.OPSTREAM_CLICKHOUSE_DATABASE).toBe(envOf('aggregate').CLICKHOUSE_DATABASE)
    const provisioning = read('infra/grafana/provisioning/datasources/opstream.yaml')
    for (const v of provisioning.matchAll(/\$\{(\w+)\}/g))
      expect(grafana, v[1]).toHaveProperty(v[1] as string)
    // The ClickHouse server has the writer and the read-only user the services log in as.
    const users = read('infra/clickhouse-server/users.d/opstream.xml')
    expect(users).toContain(`<${envOf('aggregate').CLICKHOUSE_USER}>`)
    expect(users).toMatch(new RegExp(`<${grafana.OPSTREAM_CLICKHOUSE_READER_USER}>[\\s\\S]*opstream_reader`))
  })

  it('builds the services with the README’s install, on the Node the package asks for', () => {
    const dockerfile = read('Dockerfile')
    const node = /^FROM node:(\d+)/m.exec(dockerfile)?.[1]
    const engines = (JSON.parse(read('package.json')) as { engines: { node: string } }).engines.node
    expect(Number(node)).toBeGreaterThanOrEqual(Number(/\d+/.exec(engines)?.[0]))
    expect(dockerfile).toMatch(/COPY package\.json package-lock\.json/)
    // The README's set-up installs with npm ci (scripts/ensure-deps.mjs): the image does the same.
    expect(read('scripts/ensure-deps.mjs')).toContain('npm')
    expect(dockerfile).toMatch(/^RUN npm ci\b/m)
    for (const name of [...Object.keys(SCHEMAS), 'topics'])
      expect(services[name]?.build?.dockerfile, name).toBe('Dockerfile')
    // The README's service table lists the same services.
    const readme = read('README.md')
    for (const name of Object.keys(SCHEMAS)) expect(readme).toMatch(new RegExp(`^\\| ${name}\\s+\\|`, 'm'))
  })
})
