import type { FunnelDefinition, FunnelStep } from '../../src/core/funnel-config.ts'

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

/**
 * The raw events on each person's stitched timeline, as ClickHouse itself joins them: a
 * device's events without a user go to the user of the device's first link in `identities`
 * (by link time); everything else stays under its person key.
 */
export const STITCHED_EVENTS = `
  SELECT if(e.user_id = '' AND l.user_id != '', l.user_id, e.person_key) AS person,
         e.occurred_at AS occurred_at, e.event AS event, e.nth_purchase AS nth_purchase,
         e.platform AS platform, e.properties AS properties, e.channel_group AS channel_group,
         e.channel_campaign AS channel_campaign, e.acquisition_group AS acquisition_group,
         e.acquisition_campaign AS acquisition_campaign
  FROM events AS e
  LEFT JOIN (SELECT anonymous_id, argMin(user_id, linked_at) AS user_id FROM identities GROUP BY anonymous_id) AS l
    ON e.person_key = l.anonymous_id`

/**
 * ClickHouse's own windowFunnel over each stitched person's raw events: the level, and the
 * person's dims — the acquisition at registration, else the earliest event's channel.
 */
export function windowFunnelSql(f: FunnelDefinition): string {
  return `SELECT person,
    windowFunnel(${f.window})(toUInt64(toUnixTimestamp64Milli(occurred_at)),
      ${f.steps.map((s) => stepCondition(s)).join(', ')}) AS level,
    if(countIf(event = 'register' AND acquisition_group != '') > 0,
       argMinIf((acquisition_group, acquisition_campaign, platform), occurred_at, event = 'register' AND acquisition_group != ''),
       argMin((channel_group, channel_campaign, platform), occurred_at)) AS dims
  FROM (${STITCHED_EVENTS}) GROUP BY person`
}

/** Recomputes the funnel rollups now (they refresh on a schedule) and waits for them. */
export const REFRESH_FUNNEL_ROLLUPS = [
  'SYSTEM REFRESH VIEW funnel_hourly',
  'SYSTEM WAIT VIEW funnel_hourly',
  'SYSTEM REFRESH VIEW funnel_daily',
  'SYSTEM WAIT VIEW funnel_daily',
]

/**
 * Two checks of one funnel against windowFunnel over the stitched raw events: how many persons
 * have another level in `funnel_progress` than the oracle's, and the rows of (step, channel,
 * campaign, platform) where the oracle's count and the `funnel_daily` rollup's differ.
 */
export function funnelCheckQueries(f: FunnelDefinition): [string, string] {
  const oracle = windowFunnelSql(f)
  const name = quote(f.name)
  return [
    `SELECT toUInt32(count()) AS persons, toUInt32(countIf(o.level > 0)) AS converting,
            toUInt32(countIf(o.level != p.level)) AS differing
     FROM (${oracle}) AS o
     FULL OUTER JOIN (SELECT person_key AS person, max(step) AS level FROM funnel_progress FINAL
                      WHERE funnel = ${name} GROUP BY person_key) AS p USING person`,
    `SELECT step, channel, campaign, platform, toUInt32(o.users) AS oracle, toUInt32(r.users) AS rollup
     FROM (SELECT arrayJoin(range(1, level + 1)) AS step, dims.1 AS channel, dims.2 AS campaign,
                  dims.3 AS platform, count() AS users
           FROM (${oracle}) GROUP BY step, channel, campaign, platform) AS o
     FULL OUTER JOIN (SELECT step, channel_group AS channel, campaign, platform, sum(users) AS users
                      FROM funnel_daily WHERE funnel = ${name}
                      GROUP BY step, channel, campaign, platform) AS r
     USING (step, channel, campaign, platform)
     WHERE o.users != r.users
     ORDER BY step, channel, campaign, platform`,
  ]
}
