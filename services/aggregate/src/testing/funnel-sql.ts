import type { FunnelDefinition, FunnelStep } from '../core/funnel-config.ts'

const quote = (v: string) => `'${v.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`
const list = (v: string | string[]) => (typeof v === 'string' ? [v] : v).map(quote).join(', ')

/** A step predicate as a ClickHouse condition, given the names of the columns it looks at. */
export function stepCondition(step: FunnelStep, columns = { nth: 'nth_purchase' }): string {
  const parts = [`event IN (${list(step.event)})`]
  if (step.nthPurchase !== undefined) parts.push(`${columns.nth} = ${step.nthPurchase}`)
  if (step.platform !== undefined) parts.push(`platform IN (${list(step.platform)})`)
  for (const [k, v] of Object.entries(step.properties ?? {}))
    parts.push(`properties[${quote(k)}] = ${quote(v)}`)
  return parts.join(' AND ')
}

/** ClickHouse's own windowFunnel over the raw `events` table: each person key's level. */
export function windowFunnelSql(f: FunnelDefinition): string {
  return `SELECT person_key, windowFunnel(${f.window})(toUInt64(toUnixTimestamp64Milli(occurred_at)),
    ${f.steps.map((s) => stepCondition(s)).join(', ')}) AS level FROM events GROUP BY person_key`
}

/**
 * Two checks of one funnel against windowFunnel over the raw events: how many person keys have
 * another level in `funnel_progress` than the oracle's, and the oracle's per-step counts next
 * to the `funnel_daily` rollup's.
 */
export function funnelCheckQueries(f: FunnelDefinition): [string, string] {
  const oracle = windowFunnelSql(f)
  return [
    `SELECT toUInt32(count()) AS persons, toUInt32(countIf(o.level != p.level)) AS differing
     FROM (${oracle}) AS o
     LEFT JOIN (SELECT person_key, max(step) AS level FROM funnel_progress FINAL
                WHERE funnel = ${quote(f.name)} GROUP BY person_key) AS p USING person_key`,
    `SELECT o.step AS step, toUInt32(o.users) AS oracle, toUInt32(r.users) AS rollup
     FROM (SELECT arrayJoin(range(1, level + 1)) AS step, count() AS users FROM (${oracle}) GROUP BY step) AS o
     FULL OUTER JOIN (SELECT step, sum(users) AS users FROM funnel_daily
                      WHERE funnel = ${quote(f.name)} GROUP BY step) AS r USING step
     ORDER BY step`,
  ]
}
