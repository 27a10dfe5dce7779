import { readFileSync } from 'node:fs'
import type { Panel } from '@grafana/schema'
import { createIngestMetrics } from '@opstream/ingest/metrics'
import { createConsumerMetrics } from '@opstream/runtime/metrics'
import { Registry } from 'prom-client'
import { describe, expect, it } from 'vitest'
import { DASHBOARDS } from './dashboards/catalog.ts'

const provisioned = readFileSync(
  new URL('../../../infra/grafana/provisioning/datasources/opstream.yaml', import.meta.url),
  'utf8',
)
const uids = new Set([...provisioned.matchAll(/^\s+uid: (\S+)$/gm)].map((m) => m[1]))

/** Every datasource reference in a dashboard, wherever it sits. */
function datasourceRefs(node: unknown, out: Array<{ type?: string; uid?: string }> = []) {
  if (Array.isArray(node)) for (const n of node) datasourceRefs(n, out)
  else if (node !== null && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === 'datasource' && v !== null && typeof v === 'object') out.push(v as { uid?: string })
      else datasourceRefs(v, out)
    }
  }
  return out
}

describe('the provisioned dashboards', () => {
  const all = Object.entries(DASHBOARDS)

  it('name only the provisioned datasources (and Grafana’s own annotations)', () => {
    expect(uids).toEqual(new Set(['opstream-clickhouse', 'opstream-prometheus']))
    for (const [, d] of all)
      for (const ref of datasourceRefs(d))
        expect(ref.uid === '-- Grafana --' || uids.has(ref.uid), `${d.title}: ${ref.uid}`).toBe(true)
  })

  it('have unique uids and panel ids, titles in Chinese and English, and time columns for time series', () => {
    expect(new Set(all.map(([, d]) => d.uid)).size).toBe(all.length)
    for (const [, d] of all) {
      const panels = (d.panels ?? []) as Panel[]
      expect(new Set(panels.map((p) => p.id)).size, d.title).toBe(panels.length)
      for (const p of [d, ...panels]) expect(p.title, p.title).toMatch(/\p{Script=Han}.* · .*[A-Za-z]/u)
      for (const p of panels.filter(
        (x) => x.type === 'timeseries' && x.datasource?.uid === 'opstream-clickhouse',
      ))
        expect(String((p.targets?.[0] as { rawSql?: string } | undefined)?.rawSql), p.title).toMatch(
          /\bAS time\b/,
        )
    }
  })

  it('ask Prometheus only for metrics the services register', async () => {
    const registry = new Registry()
    createIngestMetrics(registry)
    for (const service of ['enrich', 'aggregate']) createConsumerMetrics(registry, service)
    const names = new Set((await registry.getMetricsAsJSON()).map((m) => m.name))
    const exprs = all.flatMap(([, d]) =>
      ((d.panels ?? []) as Panel[]).flatMap((p) =>
        (p.targets ?? [])
          .map((t) => (t as { expr?: string }).expr)
          .filter((e): e is string => e !== undefined),
      ),
    )
    expect(exprs.length).toBeGreaterThan(0)
    for (const expr of exprs) {
      const metric = /\(([a-z_]+)\[/.exec(expr)?.[1]
      expect(metric && names.has(metric), expr).toBe(true)
    }
  })
})
